import { badRequest, type Route, type SandboxRequest } from './http-types.js';
import { IDENTITY_STATUSES, IDENTITY_TYPES, type SubStatusField } from './identity-enums.js';
import {
  applyUpdate, buildIdentity, checkDuplicates, getIdentity, identityView, indexIdentity, setSubStatuses,
} from './identity-records.js';
import { cancelReview, refreshSummaryStatus, scheduleReview } from './identity-status.js';
import { checkIdentityShape, createIdentityBody, sandboxStatusBody, updateIdentityBody } from './identity-validation.js';
import { checkOrderBy, paginate, readBoolean, readLimit, readOrder, timeFilter } from './pagination.js';
import type { IdentityRecord, SandboxState } from './state.js';
import { timestamp } from './time.js';
import { type Check, Issues, isPlainObject, join } from './validate.js';

type Json = Record<string, unknown>;

const writeIdentity = ['identity:write_identity'];
const readIdentity = ['identity:read_identity'];

/** Runs a body check plus any extra rules, then throws one 400 naming every problem. */
function validate(body: unknown, check: Check, extra: (body: Json, issues: Issues) => void = () => {}): Json {
  const issues = new Issues();
  if (!isPlainObject(body)) {
    issues.add('body', 'a JSON object is required');
  } else {
    check(body, '', issues);
    if (issues.list.length === 0) extra(body, issues);
  }
  issues.throwIfAny();
  return body as Json;
}

function checkMembersExist(state: SandboxState, body: Json, issues: Issues): void {
  const members = Array.isArray(body.institution_members) ? (body.institution_members as Json[]) : [];
  members.forEach((member, index) => {
    if (!state.identities.has(String(member.identity_id))) {
      issues.add(join(join('institution_members', index), 'identity_id'), 'no identity with this id exists');
    }
  });
}

function readFilter(query: URLSearchParams, name: string, allowed: readonly string[]): string | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!allowed.includes(raw)) throw badRequest(`${name}: must be one of ${allowed.join(', ')}`);
  return raw;
}

function listIdentities({ query }: SandboxRequest, state: SandboxState) {
  checkOrderBy(query);
  const status = readFilter(query, 'summary_status', IDENTITY_STATUSES);
  const type = readFilter(query, 'identity_type', IDENTITY_TYPES);
  const limit = readLimit(query, 100, 1000);
  const order = readOrder(query, 'DESC');
  const created = timeFilter<IdentityRecord>(query, 'created_at', (identity) => identity.created_at as string);
  const updated = timeFilter<IdentityRecord>(query, 'updated_at', (identity) => identity.updated_at as string);
  const page = paginate([...state.identities.values()], {
    query,
    order,
    limit,
    keep: (identity) =>
      (status === undefined || identity.summary_status === status) &&
      (type === undefined || identity.type === type) &&
      created(identity) &&
      updated(identity),
  });
  const items = page.items.map((identity) => identityView(state, identity, { details: false, members: false }));
  return { body: { ...page, items } };
}

export const identityRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/identity/identities',
    scopes: writeIdentity,
    handle({ body }, state) {
      const fields = validate(body, createIdentityBody, (valid, issues) => {
        checkIdentityShape(valid, issues);
        checkMembersExist(state, valid, issues);
      });
      checkDuplicates(state, fields);
      const identity = buildIdentity(state, fields);
      state.identities.set(identity.id, identity);
      indexIdentity(state, identity);
      scheduleReview(state, identity);
      return { body: identityView(state, identity, { details: true, members: true }) };
    },
  },
  {
    method: 'GET',
    path: '/v2/identity/identities',
    scopes: readIdentity,
    handle: listIdentities,
  },
  {
    method: 'GET',
    path: '/v2/identity/identities/:id',
    scopes: readIdentity,
    handle({ params, query }, state) {
      const include = { details: readBoolean(query, 'include_details'), members: readBoolean(query, 'include_institution_members') };
      return { body: identityView(state, getIdentity(state, params.id ?? ''), include) };
    },
  },
  {
    method: 'PUT',
    path: '/v2/identity/identities/:id',
    scopes: writeIdentity,
    handle({ params, body }, state) {
      const identity = getIdentity(state, params.id ?? '');
      const delta = validate(body, updateIdentityBody, (valid, issues) => {
        if (identity.type === 'PERSON' && valid.institution_details !== undefined) {
          issues.add('institution_details', 'a PERSON identity cannot become an INSTITUTION');
        }
        if (identity.type === 'INSTITUTION' && valid.person_details !== undefined) {
          issues.add('person_details', 'an INSTITUTION identity cannot become a PERSON');
        }
      });
      const next = applyUpdate(identity, delta);
      const issues = new Issues();
      checkIdentityShape(next, issues);
      issues.throwIfAny();
      checkDuplicates(state, next, identity.id);
      Object.assign(identity, next, { updated_at: timestamp(state) });
      indexIdentity(state, identity);
      refreshSummaryStatus(state, identity);
      scheduleReview(state, identity);
      return { body: identityView(state, identity, { details: true, members: true }) };
    },
  },
  {
    method: 'PUT',
    path: '/v2/identity/identities/:id/sandbox-status',
    scopes: writeIdentity,
    handle({ params, body }, state) {
      const identity = getIdentity(state, params.id ?? '');
      const fields = validate(body, sandboxStatusBody, (valid, issues) => {
        if (valid.id !== undefined && valid.id !== identity.id) issues.add('id', 'must match the identity id in the path');
      });
      cancelReview(state, identity.id);
      setSubStatuses(identity, fields as Partial<Record<SubStatusField, string>>);
      for (const key of ['user_disabled', 'admin_disabled'] as const) {
        const setting = fields[key];
        if (isPlainObject(setting) && typeof setting.disabled === 'boolean') identity[key] = setting.disabled;
      }
      identity.updated_at = timestamp(state);
      refreshSummaryStatus(state, identity);
      return { body: {} };
    },
  },
];
