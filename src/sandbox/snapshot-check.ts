import { Decimal } from './decimal.js';
import { IDENTITY_STATUSES, IDENTITY_TYPES } from './identity-enums.js';
import { isSupportedAsset } from './ledger.js';
import { findMarket } from './market-catalog.js';
import type { SandboxSnapshot } from './snapshot.js';
import { checkFundingReferences, fundingShape } from './snapshot-funding.js';
import { ORDER_STATUSES } from './trading-state.js';
import { type Check, Issues, dateTime, isPlainObject, join, listOf, objectOf, oneOf, str, stringMap } from './validate.js';

/** The `format` every snapshot carries, so that another JSON file is refused by name. */
export const SNAPSHOT_FORMAT = 'paxflow-sandbox-snapshot';
export const SNAPSHOT_VERSION = 1;

/** A snapshot that cannot be restored: not one, another version, or inconsistent. Names fields, never values. */
export class SandboxSnapshotError extends Error {
  override name = 'SandboxSnapshotError';
  readonly code = 'SANDBOX_SNAPSHOT_INVALID';
}

export const isSandboxSnapshotError = (error: unknown): error is SandboxSnapshotError => error instanceof SandboxSnapshotError;

/** Problems listed in the error before the rest are counted. */
const SHOWN = 8;

const text = str();
const count: Check = (value, path, issues) => {
  if (!Number.isSafeInteger(value) || (value as number) < 0) issues.add(path, 'must be a whole number, 0 or more');
};
const finite: Check = (value, path, issues) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) issues.add(path, 'must be a number');
};
const digits: Check = (value, path, issues) => {
  if (typeof value !== 'string' || !/^[0-9]{1,20}$/.test(value)) issues.add(path, 'must be a whole number as a string');
};
const amount: Check = (value, path, issues) => {
  const parsed = typeof value === 'string' ? Decimal.tryParse(value) : undefined;
  if (parsed === undefined || parsed.isNegative()) issues.add(path, 'must be a decimal string, 0 or more');
};
const asset: Check = (value, path, issues) => {
  if (typeof value !== 'string' || !isSupportedAsset(value)) issues.add(path, 'must be an asset the emulator holds');
};
const market: Check = (value, path, issues) => {
  if (typeof value !== 'string' || findMarket(value) === undefined) issues.add(path, 'must be a market the emulator trades');
};
const side = oneOf(['BUY', 'SELL']);

/** Records stored as Paxos objects keep every field; only those the emulator relies on are checked. */
const record = (fields: Record<string, Check>, required: readonly string[]): Check => (value, path, issues) => {
  if (!isPlainObject(value)) return issues.add(path, 'must be an object');
  for (const key of required) if (value[key] === undefined || value[key] === null) issues.add(join(path, key), 'required');
  for (const [key, check] of Object.entries(fields)) {
    if (value[key] !== undefined && value[key] !== null) check(value[key], join(path, key), issues);
  }
};

const identity = record(
  { id: text, type: oneOf(IDENTITY_TYPES), summary_status: oneOf(IDENTITY_STATUSES), ref_id: text, created_at: dateTime, updated_at: dateTime },
  ['id', 'type', 'summary_status', 'created_at', 'updated_at'],
);
const account = record(
  { id: text, identity_id: text, profile_id: text, ref_id: text, created_at: dateTime, updated_at: dateTime },
  ['id', 'identity_id', 'created_at', 'updated_at'],
);
const profile = objectOf({
  fields: { id: text, nickname: text, type: oneOf(['NORMAL', 'DEFAULT']), account_id: text, description: text, created_at: dateTime },
  required: ['id', 'nickname', 'type', 'created_at'],
});
const event = objectOf({
  fields: { id: text, type: text, object_type: text, object: record({}, []), created_at: dateTime, undelivered_webhooks: count },
  required: ['id', 'type', 'object_type', 'object', 'created_at', 'undelivered_webhooks'],
});
const balance = objectOf({
  fields: { profile_id: text, asset, available: amount, trading: amount },
  required: ['profile_id', 'asset', 'available', 'trading'],
});
const order = objectOf({
  fields: {
    seq: count, id: text, profile_id: text, ref_id: text, status: oneOf(ORDER_STATUSES), side, market,
    type: oneOf(['LIMIT', 'MARKET', 'POST_ONLY_LIMIT', 'STOP_MARKET', 'STOP_LIMIT']), time_in_force: oneOf(['GTC', 'FOK', 'IOC', 'GTT']),
    base_amount: amount, quote_amount: amount, price: amount, expiration_date: dateTime, identity_id: text, identity_account_id: text,
    recipient_profile_id: text, metadata: stringMap, created_at: dateTime, modified_at: dateTime, amount_filled: amount,
    gross_filled: amount, commission: amount, reserve_asset: asset, reserved: amount,
  },
  required: [
    'seq', 'id', 'profile_id', 'status', 'side', 'market', 'type', 'time_in_force', 'metadata', 'created_at', 'modified_at',
    'amount_filled', 'gross_filled', 'commission', 'reserve_asset', 'reserved',
  ],
});
const execution = objectOf({
  fields: {
    execution_id: digits, order_id: text, profile_id: text, account_id: text, market, side, amount, price: amount, gross: amount,
    commission: amount, commission_asset: asset, executed_at: dateTime,
  },
  required: ['execution_id', 'order_id', 'profile_id', 'market', 'side', 'amount', 'price', 'gross', 'commission', 'commission_asset', 'executed_at'],
});
const trade = objectOf({ fields: { match_number: digits, price: amount, amount, executed_at: dateTime }, required: ['match_number', 'price', 'amount', 'executed_at'] });
const tape: Check = (value, path, issues) => {
  if (!isPlainObject(value)) return issues.add(path, 'must be an object of trade lists by market');
  for (const [name, trades] of Object.entries(value)) {
    const at = join(path, name.slice(0, 16));
    market(name, at, issues);
    listOf(trade)(trades, at, issues);
  }
};

const shape = objectOf({
  fields: {
    v: count, format: text, taken_at: dateTime, last_timestamp: dateTime,
    options: objectOf({ fields: { seed: finite, approval_delay_ms: count }, required: ['seed', 'approval_delay_ms'] }),
    identities: listOf(identity), accounts: listOf(account), profiles: listOf(profile), events: listOf(event),
    balances: listOf(balance), orders: listOf(order), executions: listOf(execution), tape,
    counters: objectOf({ fields: { next_seq: count, next_execution_id: digits }, required: ['next_seq', 'next_execution_id'] }),
    ...fundingShape,
    pending: objectOf({
      fields: {
        reviews: listOf(objectOf({ fields: { identity_id: text, due_at: dateTime, remaining_ms: count }, required: ['identity_id', 'due_at', 'remaining_ms'] })),
        orders: listOf(text),
      },
      required: ['reviews', 'orders'],
    }),
  },
  required: [
    'v', 'format', 'taken_at', 'options', 'identities', 'accounts', 'profiles', 'events', 'balances', 'orders', 'executions', 'tape',
    'counters', 'pending',
  ],
});

/** Every id is unique within its list; returns the set of them. */
function uniqueIds<T>(items: readonly T[], idOf: (item: T) => string, path: string, issues: Issues): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const id = idOf(item);
    if (seen.has(id)) issues.add(join(path, index), 'repeats an id listed before it');
    seen.add(id);
  });
  return seen;
}

/** References between the lists: a snapshot that passes can be restored without a dangling id. */
function checkReferences(snapshot: SandboxSnapshot, issues: Issues): void {
  const identities = uniqueIds(snapshot.identities, (item) => item.id, 'identities', issues);
  uniqueIds(snapshot.accounts, (item) => item.id, 'accounts', issues);
  const profiles = uniqueIds(snapshot.profiles, (item) => item.id, 'profiles', issues);
  const orders = uniqueIds(snapshot.orders, (item) => item.id, 'orders', issues);
  uniqueIds(snapshot.balances, (item) => `${item.profile_id}\n${item.asset}`, 'balances', issues);
  uniqueIds(snapshot.orders.filter((item) => item.ref_id !== undefined), (item) => `${item.profile_id}\n${item.ref_id}`, 'orders (profile and ref_id)', issues);
  if (snapshot.profiles.filter((item) => item.type === 'DEFAULT').length !== 1) issues.add('profiles', 'must hold exactly one DEFAULT profile');
  const known = (ids: Set<string>, id: string | undefined, path: string, what: string): void => {
    if (id !== undefined && !ids.has(id)) issues.add(path, `names no ${what} of the snapshot`);
  };
  snapshot.accounts.forEach((item, index) => {
    known(identities, item.identity_id, join(join('accounts', index), 'identity_id'), 'identity');
    known(profiles, item.profile_id, join(join('accounts', index), 'profile_id'), 'profile');
  });
  snapshot.balances.forEach((item, index) => known(profiles, item.profile_id, join(join('balances', index), 'profile_id'), 'profile'));
  let lastSeq = 0;
  snapshot.orders.forEach((item, index) => {
    known(profiles, item.profile_id, join(join('orders', index), 'profile_id'), 'profile');
    known(profiles, item.recipient_profile_id, join(join('orders', index), 'recipient_profile_id'), 'profile');
    lastSeq = Math.max(lastSeq, item.seq);
  });
  if (snapshot.counters.next_seq <= lastSeq) issues.add('counters.next_seq', 'must be above every order seq');
  let lastExecution = 0n;
  snapshot.executions.forEach((item, index) => {
    known(orders, item.order_id, join(join('executions', index), 'order_id'), 'order');
    if (BigInt(item.execution_id) > lastExecution) lastExecution = BigInt(item.execution_id);
  });
  if (BigInt(snapshot.counters.next_execution_id) <= lastExecution) issues.add('counters.next_execution_id', 'must be above every execution_id');
  checkFundingReferences(snapshot, { identities, profiles }, issues);
  snapshot.pending.reviews.forEach((item, index) => known(identities, item.identity_id, join(join('pending.reviews', index), 'identity_id'), 'identity'));
  const byId = new Map(snapshot.orders.map((item) => [item.id, item]));
  snapshot.pending.orders.forEach((id, index) => {
    if (byId.get(id)?.status !== 'SUBMITTED') issues.add(join('pending.orders', index), 'must name a SUBMITTED order of the snapshot');
  });
}

/**
 * Checks that `value` is a snapshot this emulator can restore, and returns it typed. Throws a
 * {@link SandboxSnapshotError} naming what is wrong (fields and rules, never values: snapshots hold
 * personal details).
 */
export function checkSnapshot(value: unknown): SandboxSnapshot {
  if (!isPlainObject(value) || value.format !== SNAPSHOT_FORMAT) {
    throw new SandboxSnapshotError('not a sandbox emulator snapshot (no "format": "paxflow-sandbox-snapshot")');
  }
  if (value.v !== SNAPSHOT_VERSION) {
    const version = Number.isSafeInteger(value.v) ? String(value.v) : 'unknown';
    throw new SandboxSnapshotError(`sandbox snapshot version ${version} is not supported (this emulator reads version ${SNAPSHOT_VERSION})`);
  }
  const issues = new Issues();
  shape(value, '', issues);
  if (issues.list.length === 0) checkReferences(value as unknown as SandboxSnapshot, issues);
  if (issues.list.length > 0) {
    const more = issues.list.length > SHOWN ? `; and ${issues.list.length - SHOWN} more` : '';
    throw new SandboxSnapshotError(`invalid sandbox snapshot: ${issues.list.slice(0, SHOWN).join('; ')}${more}`);
  }
  return value as unknown as SandboxSnapshot;
}
