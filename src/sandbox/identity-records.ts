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

const cipKey = ([cipId, cipType, cipCountry]: CipTriple): string => `${cipId}\u0000${cipType}\u0000${cipCountry}`;

/** The keys an identity is found by, as the index last saw them. */
interface IndexedKeys {
  refId: string | undefined;
  cip: string | undefined;
}

/**
 * Identities by `ref_id` and by CIP triple, so that a create finds a duplicate without reading every
 * identity: a batch of 10,000 rows made the emulator compare 50 million pairs. Built from
 * `state.identities` on first use and kept current by `indexIdentity`, which create and update call after
 * they write; rebuilt when the map holds identities the index has not seen (a restored snapshot). A hit is
 * still checked against the identity itself, so a stale entry can never invent a duplicate.
 */
interface IdentityIndex {
  byRefId: Map<string, Set<string>>;
  byCip: Map<string, Set<string>>;
  keys: Map<string, IndexedKeys>;
}

const indexes = new WeakMap<SandboxState, IdentityIndex>();

const keysOf = (identity: Json): IndexedKeys => {
  const triple = cipTriple(identity);
  return { refId: typeof identity.ref_id === 'string' ? identity.ref_id : undefined, cip: triple && cipKey(triple) };
};

const addKey = (map: Map<string, Set<string>>, key: string | undefined, id: string): void => {
  if (key === undefined) return;
  const ids = map.get(key);
  if (ids) ids.add(id);
  else map.set(key, new Set([id]));
};

const removeKey = (map: Map<string, Set<string>>, key: string | undefined, id: string): void => {
  if (key === undefined) return;
  const ids = map.get(key);
  ids?.delete(id);
  if (ids?.size === 0) map.delete(key);
};

const addToIndex = (index: IdentityIndex, identity: IdentityRecord): void => {
  const keys = keysOf(identity);
  index.keys.set(identity.id, keys);
  addKey(index.byRefId, keys.refId, identity.id);
  addKey(index.byCip, keys.cip, identity.id);
};

const indexOf = (state: SandboxState): IdentityIndex => {
  let index = indexes.get(state);
  if (index === undefined || index.keys.size !== state.identities.size) {
    index = { byRefId: new Map(), byCip: new Map(), keys: new Map() };
    for (const identity of state.identities.values()) addToIndex(index, identity);
    indexes.set(state, index);
  }
  return index;
};

/** Records an identity's current `ref_id` and CIP triple; call after creating or updating it. */
export function indexIdentity(state: SandboxState, identity: IdentityRecord): void {
  const index = indexes.get(state);
  if (index === undefined) return; // built from the map, this identity included, on first use
  const before = index.keys.get(identity.id);
  if (before) {
    removeKey(index.byRefId, before.refId, identity.id);
    removeKey(index.byCip, before.cip, identity.id);
  }
  addToIndex(index, identity);
}

/** The first identity, in creation order, among `ids` that is not `self` and still `matches`. */
const firstMatch = (state: SandboxState, ids: Set<string> | undefined, self: string | undefined, matches: (other: IdentityRecord) => boolean) => {
  const found: IdentityRecord[] = [];
  for (const id of ids ?? []) {
    const other = state.identities.get(id);
    if (other !== undefined && id !== self && matches(other)) found.push(other);
  }
  if (found.length <= 1) return found[0];
  // Only a restored snapshot can hold two identities with one key: answer as a scan in order would.
  for (const other of state.identities.values()) if (found.includes(other)) return other;
  return undefined;
};

/**
 * Throws 409 already-exists when another identity has the same `ref_id` (checked first, as Paxos does) or
 * the same CIP triple.
 */
export function checkDuplicates(state: SandboxState, candidate: Json, self?: string): void {
  const refId = typeof candidate.ref_id === 'string' ? candidate.ref_id : undefined;
  const triple = cipTriple(candidate);
  if (refId === undefined && triple === undefined) return;
  const index = indexOf(state);
  if (refId !== undefined) {
    const sameRef = firstMatch(state, index.byRefId.get(refId), self, (other) => other.ref_id === refId);
    if (sameRef !== undefined) throw alreadyExists('duplicate ref_id provided', sameRef);
  }
  if (triple !== undefined) {
    const sameCip = firstMatch(state, index.byCip.get(cipKey(triple)), self, (other) => hasCipTriple(other, triple));
    if (sameCip !== undefined) throw alreadyExists('duplicate (cip_id, cip_id_type, cip_id_country) provided', sameCip);
  }
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
