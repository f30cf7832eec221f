import { Problem, badRequest, type Route } from './http-types.js';
import { ACCOUNT_MEMBER_ROLES, ACCOUNT_TYPES } from './identity-enums.js';
import { checkOrderBy, paginate, readLimit, readOrder, timeFilter } from './pagination.js';
import { addProfile, findProfileByNickname } from './profiles.js';
import type { AccountRecord, SandboxState } from './state.js';
import { timestamp } from './time.js';
import { Issues, bool, isPlainObject, isUuid, join, listOf, objectOf, oneOf, str, stringMap, uuid } from './validate.js';

type Json = Record<string, unknown>;

const accountMember = objectOf({
  fields: { identity_id: uuid, roles: listOf(oneOf(ACCOUNT_MEMBER_ROLES), { nonEmpty: true }), type: oneOf(ACCOUNT_MEMBER_ROLES) },
  required: ['identity_id', 'roles'],
  forbidden: { id: 'is assigned by Paxos and must not be sent' },
});

const SERVER_FIELDS = ['id', 'profile_id', 'summary_status', 'admin_disabled', 'user_disabled', 'created_at', 'updated_at'];

/** The request body's rules (exported for the property test that walks them). */
export const createAccountBody = objectOf({
  fields: {
    create_profile: bool,
    account: objectOf({
      fields: {
        identity_id: uuid, ref_id: str({ maxLength: 200 }), type: oneOf(ACCOUNT_TYPES), description: str({ maxLength: 500 }),
        metadata: stringMap, members: listOf(accountMember),
      },
      required: ['identity_id'],
      forbidden: Object.fromEntries(SERVER_FIELDS.map((field) => [field, 'is set by Paxos and must not be sent'])),
    }),
  },
  required: ['account'],
});

const identityMissing = (detail: string) => new Problem(404, 'Not Found', detail);

const VIEW_ORDER = [
  'id', 'identity_id', 'type', 'description', 'ref_id', 'metadata', 'members', 'profile_id', 'summary_status',
  'admin_disabled', 'user_disabled', 'created_at', 'updated_at',
] as const;

/** The Paxos `Account`; its summary_status follows the account holder's identity. */
function accountView(state: SandboxState, account: AccountRecord): Json {
  const holder = state.identities.get(account.identity_id);
  const disabled = account.user_disabled === true || account.admin_disabled === true;
  const fields: Json = { ...account, summary_status: disabled ? 'DISABLED' : holder?.summary_status };
  const view: Json = {};
  for (const key of VIEW_ORDER) if (fields[key] !== undefined) view[key] = structuredClone(fields[key]);
  return view;
}

function getAccount(state: SandboxState, id: string): AccountRecord {
  const account = state.accounts.get(id);
  if (!account) throw new Problem(404, 'Not Found', `account not found: ${id}`);
  return account;
}

function uniqueNickname(state: SandboxState, account: AccountRecord): string {
  const base = `account-${account.id.slice(0, 8)}`;
  let nickname = base;
  for (let suffix = 2; findProfileByNickname(state, nickname); suffix += 1) nickname = `${base}-${suffix}`;
  return nickname;
}

export const accountRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/identity/accounts',
    scopes: ['identity:write_account'],
    handle({ body }, state) {
      const issues = new Issues();
      if (!isPlainObject(body)) issues.add('body', 'a JSON object is required');
      else createAccountBody(body, '', issues);
      issues.throwIfAny();
      const request = body as { create_profile?: boolean; account: Json };
      const fields = request.account;
      const identityId = fields.identity_id as string;
      if (!state.identities.has(identityId)) throw identityMissing(`identity not found: ${identityId}`);
      const members = (fields.members ?? []) as Json[];
      members.forEach((member, index) => {
        const memberId = String(member.identity_id);
        if (!state.identities.has(memberId)) {
          throw identityMissing(`${join(join('account.members', index), 'identity_id')}: identity not found: ${memberId}`);
        }
      });
      if (typeof fields.ref_id === 'string') {
        for (const existing of state.accounts.values()) {
          if (existing.ref_id === fields.ref_id) {
            throw new Problem(409, 'Already Exists', 'duplicate ref_id provided', {
              slug: 'already-exists',
              meta: { existing: { id: existing.id } },
            });
          }
        }
      }
      const now = timestamp(state);
      const account: AccountRecord = {
        id: state.newId(),
        identity_id: identityId,
        type: fields.type ?? 'BROKERAGE',
        ...(fields.description === undefined || fields.description === null ? {} : { description: fields.description }),
        ...(typeof fields.ref_id === 'string' ? { ref_id: fields.ref_id } : {}),
        metadata: structuredClone(fields.metadata ?? {}),
        members: members.map((member) => ({ ...structuredClone(member), id: state.newId() })),
        admin_disabled: false,
        user_disabled: false,
        created_at: now,
        updated_at: now,
      };
      if (request.create_profile === true) {
        const description = typeof account.description === 'string' ? account.description : undefined;
        account.profile_id = addProfile(state, { nickname: uniqueNickname(state, account), type: 'NORMAL', description, account_id: account.id }).id;
      }
      state.accounts.set(account.id, account);
      return { body: accountView(state, account) };
    },
  },
  {
    method: 'GET',
    path: '/v2/identity/accounts/:id',
    scopes: ['identity:read_account'],
    handle({ params }, state) {
      return { body: accountView(state, getAccount(state, params.id ?? '')) };
    },
  },
  {
    method: 'GET',
    path: '/v2/identity/accounts',
    scopes: ['identity:read_account'],
    handle({ query }, state) {
      checkOrderBy(query);
      const limit = readLimit(query, 100, 1000);
      const order = readOrder(query, 'DESC');
      const identityId = query.get('identity_id') || undefined;
      if (identityId !== undefined && !isUuid(identityId)) throw badRequest('identity_id: must be a UUID');
      const created = timeFilter<AccountRecord>(query, 'created_at', (account) => account.created_at as string);
      const updated = timeFilter<AccountRecord>(query, 'updated_at', (account) => account.updated_at as string);
      const page = paginate([...state.accounts.values()], {
        query,
        order,
        limit,
        keep: (account) => (identityId === undefined || account.identity_id === identityId) && created(account) && updated(account),
      });
      return { body: { ...page, items: page.items.map((account) => accountView(state, account)) } };
    },
  },
];
