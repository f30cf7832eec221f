/** JSON Schemas of the Paxos Identity API: the create-identity body, sandbox-status body and Identity. */

import type { JsonSchema } from '../define.js';
import {
  alpha3, boolean, closedObject, dateTime, decimalString, metadata, openObject, plainString, refIdInput, sensitive,
  stringEnum, text, uuid,
} from './common.js';
import {
  INDUSTRY_SECTORS, INSTITUTION_CIP_ID_TYPES, INSTITUTION_ROLES, PASSTHROUGH_FIELDS, PASSTHROUGH_VERIFIER_TYPES,
  PERSON_CIP_ID_TYPES, TIN_STATUSES, VERIFIER_TYPES,
} from './identity-enums.js';
import { customerDueDiligenceSchema } from './due-diligence.js';

export const IDENTITY_STATUSES = ['PENDING', 'ERROR', 'APPROVED', 'DENIED', 'DISABLED'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];

/** The Paxos Identity; see {@link identityOutput} for the documented fields. */
export interface Identity {
  id: string;
  summary_status: IdentityStatus;
  ref_id?: string;
  [field: string]: unknown;
}

const identityStatus = (description: string): JsonSchema => stringEnum(IDENTITY_STATUSES, description);

export const addressSchema = (description: string): JsonSchema =>
  closedObject(description, {
    country: alpha3('Country.'),
    address1: sensitive(text('First address line.', 35)),
    address2: sensitive(plainString('Second address line; send "" to clear it.', { maxLength: 35 })),
    city: sensitive(text('City.', 35)),
    province: text('State or province, e.g. NY.', 35),
    zip_code: sensitive(text('Postal code.', 35)),
  }, ['country', 'address1', 'city', 'province']);

const passthroughRequired = [
  'passthrough_verifier_type', 'passthrough_verified_at', 'passthrough_verification_id',
  'passthrough_verification_status', 'passthrough_verification_fields',
];

export const personDetailsSchema: JsonSchema = {
  ...closedObject('Details of a person (leave out for an institution).', {
    first_name: sensitive(text('First name.', 200)),
    middle_name: sensitive(plainString('Middle name.', { maxLength: 200 })),
    last_name: sensitive(text('Last name.', 200)),
    date_of_birth: sensitive(plainString('Date of birth, YYYY-MM-DD.', { format: 'date' })),
    address: addressSchema('Mailing address.'),
    nationality: alpha3('Nationality.'),
    cip_id: sensitive(text('Customer identification number, e.g. the SSN; unique across identities.', 200)),
    cip_id_type: stringEnum(PERSON_CIP_ID_TYPES, 'Kind of cip_id; US residents use SSN or ITIN.'),
    cip_id_country: alpha3('Country that issued cip_id.'),
    govt_id: sensitive(text('Government id (older field; prefer cip_id).', 200)),
    govt_id_type: stringEnum(PERSON_CIP_ID_TYPES, 'Kind of govt_id.'),
    phone_number: sensitive(plainString('Phone number.')),
    email: sensitive(plainString('Email address.')),
    profession: plainString('Profession.'),
    country_of_birth: plainString('Country of birth.'),
    verifier_type: stringEnum(VERIFIER_TYPES, 'Who verified the identity; PASSTHROUGH needs every passthrough_* field.'),
    verifier_id: plainString('Id of the verification at the verifier.'),
    id_verification_url: plainString('Link to the verification record.'),
    passthrough_verifier_type: stringEnum(PASSTHROUGH_VERIFIER_TYPES, 'The IDV vendor that verified the person.'),
    passthrough_verified_at: dateTime('When the IDV vendor verified the person.'),
    passthrough_verification_id: sensitive(plainString('Id of the verification record at the IDV vendor.', { minLength: 1 })),
    passthrough_verification_status: stringEnum(['APPROVED', 'DENIED'], 'Final result of the vendor verification.'),
    passthrough_verification_fields: {
      type: 'array',
      minItems: 1,
      items: stringEnum(PASSTHROUGH_FIELDS, 'A verified field.'),
      description: 'Which fields the vendor verified.',
    },
  }),
  if: { type: 'object', required: ['verifier_type'], properties: { verifier_type: { const: 'PASSTHROUGH' } } },
  then: { required: passthroughRequired },
};

export const institutionDetailsSchema: JsonSchema = closedObject('Details of an institution (leave out for a person).', {
  name: text('Legal name of the institution.', 200),
  business_address: addressSchema('Business address.'),
  incorporation_address: addressSchema('Address of incorporation.'),
  phone_number: sensitive(plainString('Phone number.')),
  email: sensitive(plainString('Email address.')),
  institution_type: stringEnum(['TRUST', 'CORPORATION', 'LLC', 'PARTNERSHIP'], 'Legal form.'),
  institution_sub_type: stringEnum(INDUSTRY_SECTORS, 'Industry.'),
  cip_id: sensitive(text('Identification number, e.g. the EIN.', 200)),
  cip_id_type: stringEnum(INSTITUTION_CIP_ID_TYPES, 'Kind of cip_id.'),
  cip_id_country: alpha3('Country that issued cip_id.'),
  govt_registration_date: dateTime('Registration date.'),
  regulation_status: stringEnum(['US_REGULATED', 'INTL_REGULATED', 'NON_REGULATED'], 'Regulation status.'),
  trading_type: stringEnum(['PRIVATE', 'PUBLIC', 'PUBLICLY_TRADED_SUBSIDIARY'], 'Whether and how it is traded publicly.'),
  listed_exchange: plainString('Exchange it is listed on.'),
  ticker_symbol: plainString('Ticker symbol.'),
  parent_institution_name: plainString('Name of the parent institution.'),
  regulator_name: plainString('Name of the regulator.'),
  regulator_jurisdiction: plainString('Jurisdiction of the regulator.'),
  regulator_register_number: plainString('Number in the regulator\'s register.'),
  doing_business_as: plainString('Trading name.'),
  business_description: plainString('What the business does.'),
});

const taxDetailSchema = closedObject('One tax residency.', {
  tax_payer_id: sensitive(text('Tax payer id, e.g. the SSN or EIN.', 35)),
  tax_payer_country: alpha3('Country of tax residency.'),
  tin_verification_status: stringEnum(TIN_STATUSES, 'Verification status of the tax payer id.'),
});

const institutionMemberSchema = closedObject('A person or institution related to the institution.', {
  identity_id: uuid('Id of the member\'s identity, created beforehand.'),
  roles: { type: 'array', minItems: 1, items: stringEnum(INSTITUTION_ROLES, 'A role.'), description: 'The member\'s roles.' },
  ownership: decimalString('Ownership share in percent, 0 to 100.'),
  position: plainString('Job title or position.'),
  name: sensitive(plainString('Name of the member.')),
}, ['identity_id', 'roles']);

/** The Paxos create-identity body, person or institution. */
export const createIdentityInput: JsonSchema = {
  ...closedObject('The Paxos create-identity request body.', {
    ref_id: refIdInput('identity'),
    person_details: personDetailsSchema,
    institution_details: institutionDetailsSchema,
    institution_members: { type: 'array', items: institutionMemberSchema, description: 'Members of an institution; at least one.' },
    metadata: metadata(),
    tax_details: { type: 'array', items: taxDetailSchema, description: 'Tax residencies; required unless tax_details_not_required.' },
    tax_details_not_required: boolean('Set true when no tax details apply.'),
    customer_due_diligence: customerDueDiligenceSchema,
    is_merchant: boolean('Whether the identity is a merchant.'),
  }),
  oneOf: [{ required: ['person_details'] }, { required: ['institution_details'] }],
  if: { type: 'object', required: ['institution_details'] },
  then: { required: ['institution_members'], properties: { institution_members: { type: 'array', minItems: 1 } } },
};

/** The Paxos sandbox-status body (without the id, which is the path parameter). */
export const sandboxStatusProperties: Record<string, JsonSchema> = Object.fromEntries([
  ...['id_verification_status', 'sanctions_verification_status', 'document_verification_status', 'additional_screening_status']
    .map((field) => [field, stringEnum(['PENDING', 'ERROR', 'APPROVED', 'DENIED'], `New ${field.replace(/_/g, ' ')}.`)]),
  ...['user_disabled', 'admin_disabled'].map((field) => [
    field,
    closedObject(`Sets ${field}; a disabled identity is DISABLED.`, { disabled: boolean('true disables, false enables.') }, ['disabled']),
  ]),
]);

/**
 * A response version of an input schema: same types, descriptions and sensitivity, open objects, no
 * input constraints (patterns, enums, required), since Paxos may answer with forms it does not accept.
 */
const outputOf = (schema: JsonSchema): JsonSchema => {
  const { type, description, properties, items } = schema;
  const kept: JsonSchema = { type, description };
  if (schema['x-sensitive'] === true) kept['x-sensitive'] = true;
  if (type === 'object') kept.additionalProperties = true;
  if (properties) {
    const entries = Object.entries(properties as Record<string, JsonSchema>);
    kept.properties = Object.fromEntries(entries.map(([key, child]) => [key, outputOf(child)]));
  }
  if (items) kept.items = outputOf(items as JsonSchema);
  return kept;
};

const fieldsOf = (schema: JsonSchema): Record<string, JsonSchema> => outputOf(schema).properties as Record<string, JsonSchema>;

/** The Paxos Identity. */
export const identityOutput: JsonSchema = openObject('The Paxos Identity.', {
  id: plainString('Identity id (UUID).'),
  type: stringEnum(['PERSON', 'INSTITUTION'], 'PERSON or INSTITUTION.'),
  summary_status: identityStatus('Overall status: PENDING, APPROVED, DENIED, DISABLED or ERROR.'),
  ref_id: plainString('The idempotency key the identity was created with.'),
  metadata: metadata(),
  user_disabled: boolean('Disabled by the API user.'),
  admin_disabled: boolean('Disabled by Paxos.'),
  person_details: openObject('Person details; returned on create and with include_details.', {
    ...fieldsOf(personDetailsSchema),
    id_verification_status: identityStatus('Result of identity verification.'),
    sanctions_verification_status: identityStatus('Result of sanctions screening.'),
    additional_screening_status: identityStatus('Result of additional screening.'),
  }),
  institution_details: openObject('Institution details; returned on create and with include_details.', {
    ...fieldsOf(institutionDetailsSchema),
    sanctions_verification_status: identityStatus('Result of sanctions screening.'),
    document_verification_status: identityStatus('Result of document verification.'),
    additional_screening_status: identityStatus('Result of additional screening.'),
  }),
  institution_members: {
    type: 'array',
    items: openObject('A member.', fieldsOf(institutionMemberSchema)),
    description: 'Members of an institution.',
  },
  tax_details: { type: 'array', items: outputOf(taxDetailSchema), description: 'Tax residencies.' },
  tax_details_not_required: boolean('Whether tax details are waived.'),
  summary_tin_verification_status: stringEnum(TIN_STATUSES, 'Overall tax id verification.'),
  customer_due_diligence: outputOf(customerDueDiligenceSchema),
  is_merchant: boolean('Whether the identity is a merchant.'),
  created_at: plainString('Creation time, RFC 3339.'),
  updated_at: plainString('Last update time, RFC 3339.'),
  last_kyc_refresh_date: plainString('Last periodic KYC refresh, RFC 3339.'),
});
