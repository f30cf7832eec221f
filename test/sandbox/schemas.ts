// JSON Schemas of the Paxos objects the emulator returns, written for these tests from the API facts.
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import * as assert from 'uvu/assert';

const STATUS = { enum: ['PENDING', 'ERROR', 'APPROVED', 'DENIED', 'DISABLED'] };
const UUID = { type: 'string', format: 'uuid' };
const TIME = { type: 'string', format: 'date-time', pattern: 'Z$' };
const TEXT = { type: 'string' };
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };

const address = {
  type: 'object',
  required: ['country', 'address1', 'city', 'province'],
  additionalProperties: false,
  properties: { country: TEXT, address1: TEXT, address2: TEXT, city: TEXT, province: TEXT, zip_code: TEXT },
};

const personDetails = {
  type: 'object',
  additionalProperties: false,
  properties: {
    first_name: TEXT, last_name: TEXT, middle_name: TEXT,
    date_of_birth: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    address, nationality: { type: 'string', pattern: '^[A-Z]{3}$' }, cip_id: TEXT,
    cip_id_type: { enum: ['SSN', 'ID_CARD', 'ITIN', 'PASSPORT', 'DRIVING_LICENSE', 'VISA'] }, cip_id_country: TEXT,
    govt_id: TEXT, govt_id_type: TEXT, phone_number: TEXT, email: TEXT, profession: TEXT, country_of_birth: TEXT,
    verifier_type: { enum: ['PAXOS', 'PASSTHROUGH', 'MANUAL'] }, verifier_id: TEXT, id_verification_url: TEXT,
    passthrough_verifier_type: TEXT, passthrough_verified_at: { type: 'string', format: 'date-time' },
    passthrough_verification_id: TEXT, passthrough_verification_status: { enum: ['APPROVED', 'DENIED'] },
    passthrough_verification_fields: { type: 'array', items: { enum: ['FULL_LEGAL_NAME', 'ADDRESS', 'DATE_OF_BIRTH', 'CIP_ID'] } },
    // A person has no document check: document_verification_status belongs to institutions only.
    id_verification_status: STATUS, sanctions_verification_status: STATUS, additional_screening_status: STATUS,
  },
};

const institutionDetails = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: TEXT, business_address: address, incorporation_address: address, phone_number: TEXT, email: TEXT,
    institution_type: { enum: ['TRUST', 'CORPORATION', 'LLC', 'PARTNERSHIP'] }, institution_sub_type: TEXT, cip_id: TEXT,
    cip_id_type: { enum: ['EIN', 'SSN', 'ITIN', 'REGISTRATION_NUMBER'] }, cip_id_country: TEXT,
    govt_registration_date: { type: 'string', format: 'date-time' },
    regulation_status: { enum: ['US_REGULATED', 'INTL_REGULATED', 'NON_REGULATED'] },
    trading_type: { enum: ['PRIVATE', 'PUBLIC', 'PUBLICLY_TRADED_SUBSIDIARY'] }, listed_exchange: TEXT, ticker_symbol: TEXT,
    parent_institution_name: TEXT, regulator_name: TEXT, regulator_jurisdiction: TEXT, regulator_register_number: TEXT,
    doing_business_as: TEXT, business_description: TEXT,
    // An institution has no ID verification: id_verification_status belongs to persons only.
    sanctions_verification_status: STATUS, document_verification_status: STATUS, additional_screening_status: STATUS,
  },
};

const institutionMember = {
  type: 'object',
  required: ['id', 'identity_id', 'roles'],
  additionalProperties: false,
  properties: {
    id: UUID, identity_id: UUID, roles: { type: 'array', minItems: 1, items: TEXT }, ownership: TEXT, position: TEXT,
    name: TEXT, summary_status: STATUS,
  },
};

export const identitySchema = {
  $id: 'Identity',
  type: 'object',
  required: ['id', 'type', 'summary_status', 'metadata', 'user_disabled', 'admin_disabled', 'created_at', 'updated_at'],
  additionalProperties: false,
  properties: {
    id: UUID, type: { enum: ['PERSON', 'INSTITUTION'] }, summary_status: STATUS, ref_id: TEXT, metadata: STRING_MAP,
    user_disabled: { type: 'boolean' }, admin_disabled: { type: 'boolean' },
    person_details: personDetails, institution_details: institutionDetails,
    institution_members: { type: 'array', items: institutionMember },
    customer_due_diligence: { type: 'object' },
    tax_details: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false,
        properties: {
          tax_payer_id: TEXT, tax_payer_country: TEXT,
          tin_verification_status: { enum: ['TIN_VERIFICATION_PENDING', 'TIN_VERIFICATION_ERROR', 'TIN_VERIFICATION_VALID'] },
        },
      },
    },
    tax_details_not_required: { type: 'boolean' },
    summary_tin_verification_status: { enum: ['TIN_VERIFICATION_PENDING', 'TIN_VERIFICATION_ERROR', 'TIN_VERIFICATION_VALID'] },
    is_merchant: { type: 'boolean' }, last_kyc_refresh_date: TIME, created_at: TIME, updated_at: TIME,
  },
};

const ROLES = { enum: ['BENEFICIAL_OWNER', 'AUTHORIZED_USER', 'FINANCIAL_ADVISOR'] };

export const accountSchema = {
  $id: 'Account',
  type: 'object',
  required: ['id', 'identity_id', 'type', 'metadata', 'members', 'admin_disabled', 'user_disabled', 'created_at', 'updated_at'],
  additionalProperties: false,
  properties: {
    id: UUID, identity_id: UUID, type: { enum: ['BROKERAGE', 'TRADITIONAL_IRA', 'ROTH_IRA', 'SEP_IRA', 'FINANCIAL_ADVISOR'] },
    description: TEXT, ref_id: TEXT, metadata: STRING_MAP,
    members: {
      type: 'array',
      items: {
        type: 'object', required: ['id', 'identity_id', 'roles'], additionalProperties: false,
        properties: { id: UUID, identity_id: UUID, roles: { type: 'array', minItems: 1, items: ROLES }, type: ROLES },
      },
    },
    profile_id: UUID, summary_status: STATUS, admin_disabled: { type: 'boolean' }, user_disabled: { type: 'boolean' },
    created_at: TIME, updated_at: TIME,
  },
};

export const profileSchema = {
  $id: 'Profile',
  type: 'object',
  required: ['id', 'nickname', 'type'],
  additionalProperties: false,
  properties: { id: UUID, nickname: { type: 'string', minLength: 1 }, type: { enum: ['NORMAL', 'DEFAULT'] }, description: TEXT, account_id: UUID },
};

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  required: ['type', 'title', 'status'],
  additionalProperties: false,
  properties: {
    type: { anyOf: [{ const: 'about:blank' }, { type: 'string', pattern: '^https://developer\\.paxos\\.com/docs/v2/problems/[a-z-]+$' }] },
    title: { type: 'string', minLength: 1 },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', minLength: 1 },
    meta: { type: 'object' },
  },
};

export const tokenSchema = {
  $id: 'TokenResponse',
  type: 'object',
  required: ['access_token', 'expires_in', 'scope', 'token_type'],
  additionalProperties: false,
  properties: {
    access_token: { type: 'string', minLength: 20 },
    expires_in: { type: 'integer', minimum: 1 },
    scope: { type: 'string' },
    token_type: { const: 'bearer' },
  },
};

export const oauthErrorSchema = {
  $id: 'OAuthError',
  type: 'object',
  required: ['error', 'error_description'],
  additionalProperties: false,
  properties: {
    error: { enum: ['invalid_request', 'invalid_client', 'invalid_scope', 'unsupported_grant_type'] },
    error_description: { type: 'string', minLength: 1 },
  },
};

export const eventSchema = {
  $id: 'Event',
  type: 'object',
  required: ['id', 'type', 'object_type', 'object', 'created_at', 'undelivered_webhooks'],
  additionalProperties: false,
  properties: {
    id: UUID,
    type: { enum: ['identity.approved', 'identity.denied', 'identity.disabled'] },
    object_type: { const: 'identity_summary_status_change' },
    object: {
      type: 'object',
      required: ['id', 'identity_id', 'old_summary_status', 'new_summary_status'],
      additionalProperties: false,
      properties: { id: UUID, identity_id: UUID, old_summary_status: STATUS, new_summary_status: STATUS },
    },
    created_at: TIME,
    undelivered_webhooks: { type: 'integer', minimum: 0 },
  },
};

const listOf = (id: string, item: string) => ({
  $id: id,
  type: 'object',
  required: ['items'],
  additionalProperties: false,
  properties: { items: { type: 'array', items: { $ref: item } }, next_page_cursor: { type: 'string', minLength: 1 } },
});

export const eventListSchema = {
  $id: 'EventList',
  type: 'object',
  required: ['events'],
  additionalProperties: false,
  properties: { events: { type: 'array', items: { $ref: 'Event' } } },
};

const ajv = new Ajv2020({ allErrors: true, strict: true });
formatsPlugin.default(ajv);
for (const schema of [
  identitySchema, accountSchema, profileSchema, problemSchema, tokenSchema, oauthErrorSchema, eventSchema, eventListSchema,
  listOf('IdentityList', 'Identity'), listOf('AccountList', 'Account'), listOf('ProfileList', 'Profile'),
  { $id: 'Empty', type: 'object', maxProperties: 0 },
]) {
  ajv.addSchema(schema);
}

export type SchemaName =
  | 'Identity' | 'Account' | 'Profile' | 'Problem' | 'TokenResponse' | 'OAuthError' | 'Event' | 'EventList'
  | 'IdentityList' | 'AccountList' | 'ProfileList' | 'Empty';

/** Fails the test unless `body` matches the named schema. */
export function assertSchema(name: SchemaName, body: unknown): void {
  const validate = ajv.getSchema(name);
  if (!validate) throw new Error(`no schema named ${name}`);
  if (!validate(body)) {
    assert.unreachable(`${name} schema: ${ajv.errorsText(validate.errors)}`);
  }
}
