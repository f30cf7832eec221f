import * as E from './identity-enums.js';
import {
  type Check, Issues, alpha3, bool, dateOnly, dateTime, ignored, isPlainObject, isPresent, join, listOf, objectOf,
  oneOf, shaped, str, stringMap, text, uuid,
} from './validate.js';

type Mode = 'create' | 'update';

/** On update an address is a delta, so its required parts are checked after merging. */
const addressOf = (mode: Mode): Check => objectOf({
  fields: {
    country: text(35), address1: text(35), address2: str({ maxLength: 35 }), city: text(35), province: text(35),
    zip_code: text(35),
  },
  required: mode === 'create' ? ['country', 'address1', 'city', 'province'] : [],
});

const anyString = str();
const readOnlyStatus = ignored;

const personDetailsOf = (mode: Mode): Check => objectOf({
  fields: {
    first_name: text(200), last_name: text(200), middle_name: str({ maxLength: 200 }), date_of_birth: dateOnly,
    address: addressOf(mode),
    nationality: alpha3, cip_id: text(200), cip_id_type: oneOf(E.PERSON_CIP_ID_TYPES), cip_id_country: alpha3,
    govt_id: text(200), govt_id_type: oneOf(E.PERSON_CIP_ID_TYPES), phone_number: anyString, email: anyString,
    profession: anyString, country_of_birth: anyString, verifier_type: oneOf(E.VERIFIER_TYPES), verifier_id: anyString,
    id_verification_url: anyString, passthrough_verifier_type: oneOf(E.PASSTHROUGH_VERIFIER_TYPES),
    passthrough_verified_at: dateTime, passthrough_verification_id: anyString,
    passthrough_verification_status: oneOf(E.PASSTHROUGH_RESULTS, 'must be APPROVED or DENIED (the final result of the verification)'),
    passthrough_verification_fields: listOf(oneOf(E.PASSTHROUGH_VERIFICATION_FIELDS)),
    id_verification_status: readOnlyStatus, sanctions_verification_status: readOnlyStatus,
    additional_screening_status: readOnlyStatus, document_verification_status: readOnlyStatus,
  },
});

const institutionDetailsOf = (mode: Mode): Check => objectOf({
  fields: {
    name: text(200), business_address: addressOf(mode), incorporation_address: addressOf(mode), phone_number: anyString,
    email: anyString, institution_type: oneOf(E.INSTITUTION_TYPES), institution_sub_type: oneOf(E.INDUSTRY_SECTORS),
    cip_id: text(200), cip_id_type: oneOf(E.INSTITUTION_CIP_ID_TYPES), cip_id_country: alpha3,
    govt_registration_date: dateTime, regulation_status: oneOf(E.REGULATION_STATUSES),
    trading_type: oneOf(E.TRADING_TYPES), listed_exchange: anyString, ticker_symbol: anyString,
    parent_institution_name: anyString, regulator_name: anyString, regulator_jurisdiction: anyString,
    regulator_register_number: anyString, doing_business_as: anyString, business_description: anyString,
    sanctions_verification_status: readOnlyStatus, document_verification_status: readOnlyStatus,
    additional_screening_status: readOnlyStatus, id_verification_status: readOnlyStatus,
  },
});

const customerDueDiligence: Check = objectOf({
  fields: {
    aliases: listOf(anyString), estimated_net_worth: oneOf(E.NET_WORTH), estimated_yearly_income: oneOf(E.YEARLY_INCOME),
    expected_transfer_value: oneOf(E.TRANSFER_VALUE), source_of_wealth: oneOf(E.SOURCE_OF_WEALTH),
    source_of_funds: oneOf(E.SOURCE_OF_FUNDS), purpose_of_account: oneOf(E.PURPOSE_OF_ACCOUNT),
    employment_status: oneOf(E.EMPLOYMENT_STATUS), employment_industry_sector: oneOf(E.INDUSTRY_SECTORS),
    industry_sector: oneOf(E.INDUSTRY_SECTORS), has_underlying_trust_structure: bool, has_nominee_shareholders: bool,
    created_at: dateTime, is_publicly_traded: bool, merchant_funding_source: oneOf(E.MERCHANT_FUNDING_SOURCE),
    customer_regions: listOf(oneOf(E.CUSTOMER_REGIONS)),
  },
});

const ownership: Check = shaped((value, path, issues) => {
  if (typeof value !== 'string' || !/^(\d+\.?\d*|\.\d+)$/.test(value) || Number(value) > 100) {
    issues.add(path, 'must be a decimal string from 0 to 100 (percent)');
  }
}, { kind: 'string' });

const institutionMember: Check = objectOf({
  fields: { identity_id: uuid, roles: listOf(oneOf(E.INSTITUTION_ROLES), { nonEmpty: true }), ownership, position: anyString, name: anyString, summary_status: ignored },
  required: ['identity_id', 'roles'],
  forbidden: { id: 'is assigned by Paxos and must not be sent' },
});

const taxDetail: Check = objectOf({
  fields: { tax_payer_id: text(35), tax_payer_country: alpha3, tin_verification_status: oneOf(E.TIN_VERIFICATION_STATUSES) },
});

const sharedFields = (mode: Mode): Record<string, Check> => ({
  ref_id: str({ maxLength: 200 }),
  person_details: personDetailsOf(mode),
  institution_details: institutionDetailsOf(mode),
  metadata: stringMap,
  tax_details: listOf(taxDetail),
  customer_due_diligence: customerDueDiligence,
  is_merchant: bool,
});

export const createIdentityBody: Check = objectOf({
  fields: { ...sharedFields('create'), institution_members: listOf(institutionMember), tax_details_not_required: bool },
});

export const updateIdentityBody: Check = objectOf({
  fields: { ...sharedFields('update'), set_user_disabled: bool, set_tax_details_not_required: bool, last_kyc_refresh_date: dateTime },
  forbidden: {
    institution_members: 'cannot be changed here; use the institution members endpoints',
    tax_details_not_required: 'cannot be sent on update; use set_tax_details_not_required',
  },
});

const setDisable: Check = objectOf({ fields: { disabled: bool }, required: ['disabled'] });
const settableStatus = oneOf(E.IDENTITY_STATUSES.filter((status) => status !== 'DISABLED'), 'must be one of PENDING, ERROR, APPROVED, DENIED');

export const sandboxStatusBody: Check = objectOf({
  fields: {
    id: anyString,
    id_verification_status: settableStatus, sanctions_verification_status: settableStatus,
    document_verification_status: settableStatus, additional_screening_status: settableStatus,
    user_disabled: setDisable, admin_disabled: setDisable,
  },
});

const storedPerson = personDetailsOf('create');
const storedInstitution = institutionDetailsOf('create');

const PASSTHROUGH_FIELDS = [
  'passthrough_verifier_type', 'passthrough_verified_at', 'passthrough_verification_id',
  'passthrough_verification_status', 'passthrough_verification_fields',
] as const;

/**
 * Checks the identity as it will be stored (a create body, or the record with an update's delta applied):
 * the details' field rules once more, then the rules that span several fields.
 */
export function checkIdentityShape(identity: Record<string, unknown>, issues: Issues): void {
  const person = identity.person_details;
  const institution = identity.institution_details;
  if (isPresent(person)) storedPerson(person, 'person_details', issues);
  if (isPresent(institution)) storedInstitution(institution, 'institution_details', issues);
  if (!isPresent(person) && !isPresent(institution)) {
    issues.add('person_details', 'one of person_details or institution_details is required');
  } else if (isPresent(person) && isPresent(institution)) {
    issues.add('institution_details', 'only one of person_details or institution_details may be sent');
  }
  if (isPlainObject(person) && person.verifier_type === 'PASSTHROUGH') {
    for (const field of PASSTHROUGH_FIELDS) {
      if (!isPresent(person[field])) issues.add(join('person_details', field), 'required when verifier_type is PASSTHROUGH');
    }
    const fields = person.passthrough_verification_fields;
    if (Array.isArray(fields) && fields.length === 0) {
      issues.add('person_details.passthrough_verification_fields', 'must name at least one verified field');
    }
  }
  if (isPresent(institution) && !isPresent(person)) {
    const members = identity.institution_members;
    if (!Array.isArray(members) || members.length === 0) {
      issues.add('institution_members', 'an institution needs at least one member');
    }
  }
}

const CRYPTO_BROKERAGE_PERSON = [
  'first_name', 'last_name', 'date_of_birth', 'address', 'nationality', 'cip_id', 'cip_id_type', 'cip_id_country',
] as const;
const CRYPTO_BROKERAGE_CDD = [
  'estimated_yearly_income', 'expected_transfer_value', 'source_of_wealth', 'employment_status',
  'employment_industry_sector',
] as const;

/** Whether a person has every detail that crypto brokerage requires (the required-details grid). */
export function hasCryptoBrokerageDetails(identity: Record<string, unknown>): boolean {
  const person = identity.person_details;
  const cdd = identity.customer_due_diligence;
  return isPlainObject(person) && isPlainObject(cdd)
    && CRYPTO_BROKERAGE_PERSON.every((field) => isPresent(person[field]))
    && CRYPTO_BROKERAGE_CDD.every((field) => isPresent(cdd[field]));
}
