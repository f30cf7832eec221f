import { Problem } from './http-types.js';
import { type SubStatusField, SUB_STATUS_FIELDS, SUB_STATUS_FIELDS_OF } from './identity-enums.js';
import { detailsOf, initialSubStatuses } from './identity-status.js';
import type { IdentityRecord, SandboxState } from './state.js';
import { timestamp } from './time.js';
import { isPlainObject, isPresent } from './validate.js';

type Json = Record<string, unknown>;

/** The identity with this id, or the 404 Problem `identity not found: <id>`. */
export function getIdentity(state: SandboxState, id: string): IdentityRecord {
  const identity = state.identities.get(id);
  if (!identity) throw new Problem(404, 'Not Found', `identity not found: ${id}`);
  return identity;
}

const alreadyExists = (detail: string, existing: IdentityRecord) =>
  new Problem(409, 'Already Exists', detail, { slug: 'already-exists', meta: { existing: { id: existing.id } } });

type CipTriple = readonly [id: string, type: string, country: string];

function cipTriple(identity: Json): CipTriple | undefined {
  const details = identity.person_details ?? identity.institution_details;
  if (!isPlainObject(details)) return undefined;
  const { cip_id, cip_id_type, cip_id_country } = details;
  if (typeof cip_id !== 'string' || typeof cip_id_type !== 'string' || typeof cip_id_country !== 'string') return undefined;
  return [cip_id, cip_id_type, cip_id_country];
}

/** Whether `identity` has the CIP triple `triple`: compared field by field, with nothing built per identity. */
function hasCipTriple(identity: Json, [cipId, cipType, cipCountry]: CipTriple): boolean {
  const details = identity.person_details ?? identity.institution_details;
  if (!isPlainObject(details)) return false;
  return details.cip_id === cipId && details.cip_id_type === cipType && details.cip_id_country === cipCountry;
}

/**
 * Throws 409 already-exists when another identity has the same `ref_id` or CIP triple. One pass over the
 * identities with plain comparisons (a batch creates thousands; building a key per identity per create
 * made the check the emulator's main cost). A `ref_id` duplicate wins over a CIP duplicate, as Paxos reports it.
 */
export function checkDuplicates(state: SandboxState, candidate: Json, self?: string): void {
  const refId = typeof candidate.ref_id === 'string' ? candidate.ref_id : undefined;
  const triple = cipTriple(candidate);
  if (refId === undefined && triple === undefined) return;
  let sameCip: IdentityRecord | undefined;
  for (const other of state.identities.values()) {
    if (other.id === self) continue;
    if (refId !== undefined && other.ref_id === refId) throw alreadyExists('duplicate ref_id provided', other);
    if (sameCip === undefined && triple !== undefined && hasCipTriple(other, triple)) sameCip = other;
  }
  if (sameCip !== undefined) throw alreadyExists('duplicate (cip_id, cip_id_type, cip_id_country) provided', sameCip);
}

const TAX_ID_TYPES = new Set(['SSN', 'ITIN', 'EIN']);

/** Paxos fills `tax_details` from a US tax number used as CIP id, unless tax details were given or waived. */
export function autofillTaxDetails(identity: Json): void {
  if (identity.tax_details_not_required === true || isPresent(identity.tax_details)) return;
  const details = identity.person_details ?? identity.institution_details;
  if (!isPlainObject(details) || typeof details.cip_id !== 'string' || !TAX_ID_TYPES.has(String(details.cip_id_type))) return;
  identity.tax_details = [{
    tax_payer_id: details.cip_id,
    tax_payer_country: typeof details.cip_id_country === 'string' ? details.cip_id_country : 'USA',
    tin_verification_status: 'TIN_VERIFICATION_PENDING',
  }];
}

function withTinStatus(identity: Json): void {
  const taxDetails = Array.isArray(identity.tax_details) ? (identity.tax_details as Json[]) : [];
  for (const detail of taxDetails) detail.tin_verification_status ??= 'TIN_VERIFICATION_PENDING';
  const first = taxDetails[0];
  if (first) identity.summary_tin_verification_status = first.tin_verification_status;
  else delete identity.summary_tin_verification_status;
}

/** Drops values a client may send but only Paxos sets. */
function dropReadOnly(identity: Json): void {
  for (const key of ['person_details', 'institution_details'] as const) {
    const details = identity[key];
    if (isPlainObject(details)) for (const field of SUB_STATUS_FIELDS) delete details[field];
  }
  if (Array.isArray(identity.institution_members)) {
    for (const member of identity.institution_members as Json[]) delete member.summary_status;
  }
}

/** A new identity record from a validated create body. */
export function buildIdentity(state: SandboxState, body: Json): IdentityRecord {
  const fields = structuredClone(body);
  dropReadOnly(fields);
  const type: IdentityRecord['type'] = isPresent(fields.person_details) ? 'PERSON' : 'INSTITUTION';
  const now = timestamp(state);
  const identity: IdentityRecord = {
    ...fields,
    id: state.newId(),
    type,
    summary_status: 'PENDING',
    metadata: fields.metadata ?? {},
    user_disabled: false,
    admin_disabled: false,
    tax_details_not_required: fields.tax_details_not_required === true,
    created_at: now,
    updated_at: now,
  };
  if (type === 'INSTITUTION') {
    identity.institution_members = ((fields.institution_members ?? []) as Json[]).map((member) => ({ ...member, id: state.newId() }));
  }
  Object.assign(detailsOf(identity), initialSubStatuses(type));
  autofillTaxDetails(identity);
  withTinStatus(identity);
  return identity;
}

function mergeAddress(current: unknown, delta: Json): Json {
  const merged: Json = { ...(isPlainObject(current) ? current : {}), ...delta };
  if (merged.address2 === '') delete merged.address2;
  return merged;
}

function mergeDetails(current: unknown, delta: Json): Json {
  const merged: Json = { ...(isPlainObject(current) ? current : {}) };
  for (const [key, value] of Object.entries(delta)) {
    if (!isPresent(value) || (SUB_STATUS_FIELDS as readonly string[]).includes(key)) continue;
    merged[key] = ['address', 'business_address', 'incorporation_address'].includes(key) && isPlainObject(value)
      ? mergeAddress(merged[key], value)
      : value;
  }
  return merged;
}

/** The identity as it would be after applying a validated update delta (the stored record is untouched). */
export function applyUpdate(identity: IdentityRecord, delta: Json): Json {
  const next: Json = structuredClone({ ...identity });
  for (const [key, value] of Object.entries(delta)) {
    if (!isPresent(value)) continue;
    switch (key) {
      case 'person_details':
      case 'institution_details':
      case 'customer_due_diligence':
        next[key] = mergeDetails(next[key], value as Json);
        break;
      case 'set_user_disabled':
        next.user_disabled = value;
        break;
      case 'set_tax_details_not_required':
        next.tax_details_not_required = value;
        break;
      default:
        next[key] = structuredClone(value);
    }
  }
  withTinStatus(next);
  return next;
}

/**
 * Sets sub-statuses (sandbox-status) on the details that hold them. A sub-status the identity's kind of
 * details does not have (documents on a person, ID verification on an institution) is ignored.
 */
export function setSubStatuses(identity: IdentityRecord, statuses: Partial<Record<SubStatusField, string>>): void {
  const details = detailsOf(identity);
  for (const field of SUB_STATUS_FIELDS_OF[identity.type]) {
    const value = statuses[field];
    if (value !== undefined) details[field] = value;
  }
}

/**
 * The Paxos `Identity` object. Personal details (`person_details`, `institution_details`, `tax_details`)
 * appear only when asked for; institution members only with `members`.
 */
export function identityView(state: SandboxState, identity: IdentityRecord, include: { details: boolean; members: boolean }): Json {
  const view: Json = {};
  for (const key of VIEW_ORDER) {
    const value = identity[key];
    if (value === undefined) continue;
    if (DETAIL_FIELDS.has(key) && !include.details) continue;
    if (key === 'institution_members') {
      if (include.members && Array.isArray(value)) view[key] = (value as Json[]).map((member) => memberView(state, member));
      continue;
    }
    view[key] = structuredClone(value);
  }
  return view;
}

const VIEW_ORDER = [
  'id', 'type', 'summary_status', 'ref_id', 'metadata', 'user_disabled', 'admin_disabled', 'person_details',
  'institution_details', 'institution_members', 'customer_due_diligence', 'tax_details', 'tax_details_not_required',
  'summary_tin_verification_status', 'is_merchant', 'last_kyc_refresh_date', 'created_at', 'updated_at',
] as const;
const DETAIL_FIELDS = new Set<string>(['person_details', 'institution_details', 'tax_details']);

function memberView(state: SandboxState, member: Json): Json {
  const linked = state.identities.get(String(member.identity_id));
  return { ...structuredClone(member), ...(linked ? { summary_status: linked.summary_status } : {}) };
}
