import { Problem, badRequest, forbidden, notFound, type Route } from './http-types.js';
import { findMarket } from './market-catalog.js';
import { readOrderBody, type OrderDraft } from './order-input.js';
import { cancelOrder, expireDueOrders, placeOrder, processOrder } from './order-lifecycle.js';
import { paginate, readLimit } from './pagination.js';
import { resolveProfile } from './profiles.js';
import type { SandboxState } from './state.js';
import { parseTimestamp } from './time.js';
import {
  ORDER_STATUSES, executionView, orderView, refIdKey, type ExecutionRecord, type OrderRecord,
} from './trading-state.js';
import { isUuid } from './validate.js';

const WRITE = ['exchange:write_order'];
const READ = ['exchange:read_order'];

/** Identity summary statuses allowed to place each side (PENDING, DENIED and ERROR may place neither). */
const MAY_TRADE = { BUY: ['APPROVED'], SELL: ['APPROVED', 'DISABLED'] } as const;

function checkIdentity(state: SandboxState, draft: OrderDraft): void {
  const { identityId, identityAccountId } = draft;
  if (identityId === undefined || identityAccountId === undefined) return;
  const identity = state.identities.get(identityId);
  if (!identity) throw badRequest(`identity_id invalid: identity not found: ${identityId}`);
  const account = state.accounts.get(identityAccountId);
  if (!account) throw badRequest(`identity_account_id invalid: account not found: ${identityAccountId}`);
  const members = Array.isArray(account.members) ? (account.members as Array<{ identity_id?: unknown }>) : [];
  if (account.identity_id !== identityId && !members.some((member) => member.identity_id === identityId)) {
    throw forbidden(`identity ${identityId} may not trade on behalf of account ${identityAccountId}`);
  }
  const allowed: readonly string[] = MAY_TRADE[draft.side];
  if (!allowed.includes(identity.summary_status)) {
    throw forbidden(`identity ${identityId} may not place ${draft.side} orders while its summary_status is ${identity.summary_status}`);
  }
}

function resolveRecipient(state: SandboxState, id: string): string {
  try {
    return resolveProfile(state, id).id;
  } catch (error) {
    if (error instanceof Problem && error.status === 404) throw badRequest(`recipient_profile_id invalid: profile not found: ${id}`);
    throw error;
  }
}

function findOrder(state: SandboxState, profileId: string, id: string): OrderRecord {
  const order = state.trading.orders.get(id);
  if (!order || order.profileId !== profileId) throw notFound(`order not found: ${id}`);
  return order;
}

/** Values of a repeatable query parameter, given repeated, comma-separated, or as `name[]`. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(name), ...query.getAll(`${name}[]`)]
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

function timeBound(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const micros = parseTimestamp(raw);
  if (micros === undefined) throw badRequest(`${name}: must be an RFC3339 timestamp such as 2006-01-02T15:04:05Z`);
  return micros;
}

/** Records whose `stamp` lies within `{prefix}.begin` .. `{prefix}.end`, both inclusive. */
function inRange(query: URLSearchParams, prefix: string): (stamp: string) => boolean {
  const begin = timeBound(query, `${prefix}.begin`);
  const end = timeBound(query, `${prefix}.end`);
  return (stamp) => {
    const micros = parseTimestamp(stamp) ?? 0;
    return (begin === undefined || micros >= begin) && (end === undefined || micros <= end);
  };
}

/** The filters shared by both order listings. */
function orderFilter(query: URLSearchParams): (order: OrderRecord) => boolean {
  const refIds = new Set(listParam(query, 'ref_ids'));
  const status = query.get('status') || undefined;
  if (status !== undefined && !(ORDER_STATUSES as readonly string[]).includes(status)) {
    throw badRequest(`status invalid: must be one of ${ORDER_STATUSES.join(', ')}`);
  }
  const market = query.get('market') || undefined;
  if (market !== undefined && !findMarket(market)) throw badRequest(`market invalid: unknown market '${market.slice(0, 32)}'`);
  const inTime = inRange(query, 'order_time');
  return (order) =>
    (refIds.size === 0 || (order.refId !== undefined && refIds.has(order.refId))) &&
    (status === undefined || order.status === status) &&
    (market === undefined || order.market === market) &&
    inTime(order.createdAt);
}

/** The filters shared by both execution listings. */
function executionFilter(query: URLSearchParams): (execution: ExecutionRecord) => boolean {
  const orderId = query.get('order_id') || undefined;
  if (orderId !== undefined && !isUuid(orderId)) throw badRequest('order_id invalid: must be an order UUID');
  const sinceRaw = query.get('since_execution_id') || undefined;
  if (sinceRaw !== undefined && !/^\d{1,19}$/.test(sinceRaw)) throw badRequest('since_execution_id invalid: must be an execution id');
  const since = sinceRaw === undefined ? undefined : BigInt(sinceRaw);
  const inTime = inRange(query, 'range');
  return (execution) =>
    (orderId === undefined || execution.orderId === orderId) &&
    (since === undefined || execution.executionId > since) &&
    inTime(execution.executedAt);
}

/** Keeps records of the `profile_id` / `account_id` query filters of the account-wide listings. */
function ownerFilter(state: SandboxState, query: URLSearchParams): (owner: { profileId: string; accountId?: string }) => boolean {
  const profileParam = query.get('profile_id') || undefined;
  const profileId = profileParam === undefined ? undefined : resolveProfile(state, profileParam).id;
  const accountId = query.get('account_id') || undefined;
  if (accountId !== undefined && !isUuid(accountId)) throw badRequest('account_id invalid: must be an account UUID');
  return (owner) =>
    (profileId === undefined || owner.profileId === profileId) &&
    (accountId === undefined || owner.accountId === accountId || state.profiles.get(owner.profileId)?.account_id === accountId);
}

const listOrders = (state: SandboxState, query: URLSearchParams, keep: (order: OrderRecord) => boolean) => {
  const page = paginate([...state.trading.orders.values()], { query, order: 'DESC', limit: readLimit(query, 100, 1000), keep });
  return { body: { ...page, items: page.items.map(orderView) } };
};

const listExecutions = (state: SandboxState, query: URLSearchParams, max: number, keep: (execution: ExecutionRecord) => boolean) => {
  const page = paginate(state.trading.executions, { query, order: 'DESC', limit: readLimit(query, 20, max), keep });
  return { body: { ...page, items: page.items.map(executionView) } };
};

/** Orders and executions: create, get, list and cancel orders; list executions. */
export const orderRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/profiles/:profile_id/orders',
    scopes: WRITE,
    handle({ params, body }, state) {
      expireDueOrders(state);
      const profile = resolveProfile(state, params.profile_id ?? '');
      const draft = readOrderBody(body, state.now().getTime());
      if (draft.refId !== undefined) {
        const existingId = state.trading.refIds.get(refIdKey(profile.id, draft.refId));
        const existing = existingId === undefined ? undefined : state.trading.orders.get(existingId);
        if (existing) {
          throw new Problem(409, 'Already Exists', `order already exists with ref_id '${draft.refId}'`, {
            slug: 'already-exists',
            meta: { existing: orderView(existing) },
          });
        }
      }
      checkIdentity(state, draft);
      if (draft.recipientProfileId !== undefined) draft.recipientProfileId = resolveRecipient(state, draft.recipientProfileId);
      const order = placeOrder(state, profile.id, draft);
      if (draft.awaitFillMs > 0) processOrder(state, order);
      return { body: orderView(order) };
    },
  },
  {
    method: 'GET',
    path: '/v2/profiles/:profile_id/orders',
    scopes: READ,
    handle({ params, query }, state) {
      expireDueOrders(state);
      const profile = resolveProfile(state, params.profile_id ?? '');
      const keep = orderFilter(query);
      return listOrders(state, query, (order) => order.profileId === profile.id && keep(order));
    },
  },
  {
    method: 'GET',
    path: '/v2/profiles/:profile_id/orders/:id',
    scopes: READ,
    handle({ params }, state) {
      expireDueOrders(state);
      const profile = resolveProfile(state, params.profile_id ?? '');
      return { body: orderView(findOrder(state, profile.id, params.id ?? '')) };
    },
  },
  {
    method: 'DELETE',
    path: '/v2/profiles/:profile_id/orders/:id',
    scopes: WRITE,
    handle({ params }, state) {
      expireDueOrders(state);
      const profile = resolveProfile(state, params.profile_id ?? '');
      cancelOrder(state, findOrder(state, profile.id, params.id ?? ''));
      return { body: {} };
    },
  },
  {
    method: 'GET',
    path: '/v2/orders',
    scopes: READ,
    handle({ query }, state) {
      expireDueOrders(state);
      const keep = orderFilter(query);
      const owned = ownerFilter(state, query);
      return listOrders(state, query, (order) => keep(order) && owned({ profileId: order.profileId, accountId: order.identityAccountId }));
    },
  },
  {
    method: 'GET',
    path: '/v2/profiles/:profile_id/executions',
    scopes: READ,
    handle({ params, query }, state) {
      const profile = resolveProfile(state, params.profile_id ?? '');
      const keep = executionFilter(query);
      return listExecutions(state, query, 500, (execution) => execution.profileId === profile.id && keep(execution));
    },
  },
  {
    method: 'GET',
    path: '/v2/executions',
    scopes: READ,
    handle({ query }, state) {
      const keep = executionFilter(query);
      const owned = ownerFilter(state, query);
      return listExecutions(state, query, 1000, (execution) => keep(execution) && owned(execution));
    },
  },
];
