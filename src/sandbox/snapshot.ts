import { Decimal } from './decimal.js';
import { completeReview, scheduleReview, scheduledReviews } from './identity-status.js';
import type { Asset } from './ledger.js';
import { expireDueOrders, isClosed, processOrder, scheduleExpiry } from './order-lifecycle.js';
import { profileCreatedAt, restoreProfile } from './profiles.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot-check.js';
import { restoreFunding, takeFunding, type SnapshotFunding } from './snapshot-funding.js';
import type { AccountRecord, EventRecord, IdentityRecord, ProfileRecord, SandboxState } from './state.js';
import { continueAfter, formatMicros, lastTimestamp } from './time.js';
import { refIdKey, type ExecutionRecord, type OrderRecord, type OrderSide, type PublicTrade } from './trading-state.js';

export { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, SandboxSnapshotError, checkSnapshot, isSandboxSnapshotError } from './snapshot-check.js';

/** One asset of one profile. Amounts are decimal strings. */
export interface SnapshotBalance {
  profile_id: string;
  asset: string;
  available: string;
  trading: string;
}

/** An order as the emulator keeps it, amounts as decimal strings. */
export interface SnapshotOrder {
  seq: number;
  id: string;
  profile_id: string;
  ref_id?: string;
  status: OrderRecord['status'];
  side: OrderSide;
  market: string;
  type: OrderRecord['type'];
  time_in_force: OrderRecord['timeInForce'];
  base_amount?: string;
  quote_amount?: string;
  price?: string;
  expiration_date?: string;
  identity_id?: string;
  identity_account_id?: string;
  recipient_profile_id?: string;
  metadata: Record<string, string>;
  created_at: string;
  modified_at: string;
  amount_filled: string;
  /** Quote amount executed so far. */
  gross_filled: string;
  commission: string;
  /** The asset held back for the order, and how much of it still is. */
  reserve_asset: string;
  reserved: string;
}

export interface SnapshotExecution {
  /** A uint64 as a string. */
  execution_id: string;
  order_id: string;
  profile_id: string;
  account_id?: string;
  market: string;
  side: OrderSide;
  amount: string;
  price: string;
  gross: string;
  commission: string;
  commission_asset: string;
  executed_at: string;
}

export interface SnapshotTrade {
  match_number: string;
  price: string;
  amount: string;
  executed_at: string;
}

/**
 * The whole state of one emulator as plain JSON, from {@link SandboxHandle.snapshot}; `startSandbox({ snapshot })`
 * serves it again with the same ids and timestamps. Access tokens are not kept: clients get new ones.
 */
export interface SandboxSnapshot extends SnapshotFunding {
  /** The format version, 1. */
  v: typeof SNAPSHOT_VERSION;
  /** Always `paxflow-sandbox-snapshot`: another JSON file is refused by it. */
  format: typeof SNAPSHOT_FORMAT;
  /** When it was taken, in real time. */
  taken_at: string;
  /** The price seed fixes every book, so a restore must keep it; the approval delay of new identities. */
  options: { seed: number; approval_delay_ms: number };
  /** The newest timestamp given out: later ones come after it. */
  last_timestamp?: string;
  /** Paxos Identity records, with details and sub-statuses. */
  identities: IdentityRecord[];
  accounts: AccountRecord[];
  /** Every profile, the DEFAULT one included, with its creation time. */
  profiles: Array<ProfileRecord & { created_at: string }>;
  events: EventRecord[];
  balances: SnapshotBalance[];
  /** In creation order. */
  orders: SnapshotOrder[];
  /** Oldest first. */
  executions: SnapshotExecution[];
  /** Customer trades on the public tape, per market, oldest first. */
  tape: Record<string, SnapshotTrade[]>;
  counters: { next_seq: number; next_execution_id: string };
  /** Work the emulator had not done yet; a restore does it (at once when it is due). */
  pending: {
    /** Automatic identity decisions to come: when each is due, and how far off it was when the snapshot was taken. */
    reviews: Array<{ identity_id: string; due_at: string; remaining_ms: number }>;
    /** Ids of orders submitted but not yet processed against the book. */
    orders: string[];
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

const orderToJson = (order: OrderRecord): SnapshotOrder => ({
  seq: order.seq,
  id: order.id,
  profile_id: order.profileId,
  ...optional('ref_id', order.refId),
  status: order.status,
  side: order.side,
  market: order.market,
  type: order.type,
  time_in_force: order.timeInForce,
  ...optional('base_amount', order.baseAmount?.toString()),
  ...optional('quote_amount', order.quoteAmount?.toString()),
  ...optional('price', order.price?.toString()),
  ...optional('expiration_date', order.expirationDate),
  ...optional('identity_id', order.identityId),
  ...optional('identity_account_id', order.identityAccountId),
  ...optional('recipient_profile_id', order.recipientProfileId),
  metadata: { ...order.metadata },
  created_at: order.createdAt,
  modified_at: order.modifiedAt,
  amount_filled: order.amountFilled.toString(),
  gross_filled: order.grossFilled.toString(),
  commission: order.commission.toString(),
  reserve_asset: order.reserveAsset,
  reserved: order.reserved.toString(),
});

const decimalOf = (text: string | undefined): Decimal | undefined => (text === undefined ? undefined : Decimal.parse(text));

const orderFromJson = (order: SnapshotOrder): OrderRecord => ({
  seq: order.seq,
  id: order.id,
  profileId: order.profile_id,
  refId: order.ref_id,
  status: order.status,
  side: order.side,
  market: order.market,
  type: order.type,
  timeInForce: order.time_in_force,
  baseAmount: decimalOf(order.base_amount),
  quoteAmount: decimalOf(order.quote_amount),
  price: decimalOf(order.price),
  expirationDate: order.expiration_date,
  identityId: order.identity_id,
  identityAccountId: order.identity_account_id,
  recipientProfileId: order.recipient_profile_id,
  metadata: { ...order.metadata },
  createdAt: order.created_at,
  modifiedAt: order.modified_at,
  amountFilled: Decimal.parse(order.amount_filled),
  grossFilled: Decimal.parse(order.gross_filled),
  commission: Decimal.parse(order.commission),
  reserveAsset: order.reserve_asset as Asset,
  reserved: Decimal.parse(order.reserved),
});

const executionToJson = (execution: ExecutionRecord): SnapshotExecution => ({
  execution_id: execution.executionId.toString(),
  order_id: execution.orderId,
  profile_id: execution.profileId,
  ...optional('account_id', execution.accountId),
  market: execution.market,
  side: execution.side,
  amount: execution.amount.toString(),
  price: execution.price.toString(),
  gross: execution.gross.toString(),
  commission: execution.commission.toString(),
  commission_asset: execution.commissionAsset,
  executed_at: execution.executedAt,
});

const executionFromJson = (execution: SnapshotExecution): ExecutionRecord => ({
  id: execution.execution_id,
  executionId: BigInt(execution.execution_id),
  orderId: execution.order_id,
  profileId: execution.profile_id,
  accountId: execution.account_id,
  market: execution.market,
  side: execution.side,
  amount: Decimal.parse(execution.amount),
  price: Decimal.parse(execution.price),
  gross: Decimal.parse(execution.gross),
  commission: Decimal.parse(execution.commission),
  commissionAsset: execution.commission_asset as Asset,
  executedAt: execution.executed_at,
});

const tradeToJson = (trade: PublicTrade): SnapshotTrade => ({
  match_number: trade.matchNumber.toString(),
  price: trade.price.toString(),
  amount: trade.amount.toString(),
  executed_at: trade.executedAt,
});

/** The state as plain JSON, copied: later changes to the state do not show in it. */
export function takeSnapshot(state: SandboxState): SandboxSnapshot {
  const now = Date.now();
  const { trading } = state;
  const last = lastTimestamp(state);
  return {
    v: SNAPSHOT_VERSION,
    format: SNAPSHOT_FORMAT,
    taken_at: new Date(now).toISOString(),
    options: { seed: state.options.seed, approval_delay_ms: state.options.approvalDelayMs },
    ...optional('last_timestamp', last),
    identities: structuredClone([...state.identities.values()]),
    accounts: structuredClone([...state.accounts.values()]),
    profiles: [...state.profiles.values()].map((profile) => ({ ...profile, created_at: profileCreatedAt(profile) ?? formatMicros(0) })),
    events: structuredClone(state.events),
    balances: [...state.ledger.holdings()].map(({ profileId, asset, available, trading: held }) => ({
      profile_id: profileId,
      asset,
      available: available.toString(),
      trading: held.toString(),
    })),
    orders: [...trading.orders.values()].map(orderToJson),
    executions: trading.executions.map(executionToJson),
    tape: Object.fromEntries([...trading.tape].map(([market, trades]) => [market, trades.map(tradeToJson)])),
    counters: { next_seq: trading.nextSeq, next_execution_id: trading.nextExecutionId.toString() },
    ...takeFunding(state),
    pending: {
      reviews: scheduledReviews(state).map(({ identityId, dueAt }) => ({
        identity_id: identityId,
        due_at: new Date(dueAt).toISOString(),
        remaining_ms: Math.max(0, Math.ceil(dueAt - now)),
      })),
      orders: [...trading.orders.values()].filter((order) => order.status === 'SUBMITTED').map((order) => order.id),
    },
  };
}

/**
 * Loads a snapshot that `checkSnapshot` passed into a fresh state (one that holds only its own DEFAULT profile), then does
 * the work that was pending: a decision that is due is made at once and a later one is scheduled for its
 * time; an unprocessed order is processed; a GTT order past its expiration is cancelled.
 */
export function restoreSnapshot(state: SandboxState, snapshot: SandboxSnapshot): void {
  const { trading, ledger } = state;
  state.profiles.clear();
  for (const { created_at, ...profile } of snapshot.profiles) restoreProfile(state, { ...profile }, created_at);
  for (const identity of structuredClone(snapshot.identities)) state.identities.set(identity.id, identity);
  for (const account of structuredClone(snapshot.accounts)) state.accounts.set(account.id, account);
  state.events.push(...structuredClone(snapshot.events));
  restoreFunding(state, snapshot);
  for (const holding of snapshot.balances) {
    const held = Decimal.parse(holding.trading);
    ledger.credit(holding.profile_id, holding.asset, Decimal.parse(holding.available).add(held));
    if (!held.isZero()) ledger.reserve(holding.profile_id, holding.asset, held);
  }
  for (const order of [...snapshot.orders].sort((a, b) => a.seq - b.seq).map(orderFromJson)) {
    trading.orders.set(order.id, order);
    if (order.refId !== undefined) trading.refIds.set(refIdKey(order.profileId, order.refId), order.id);
  }
  trading.executions.push(...snapshot.executions.map(executionFromJson));
  for (const [market, trades] of Object.entries(snapshot.tape)) {
    trading.tape.set(market, trades.map((trade) => ({
      matchNumber: BigInt(trade.match_number),
      price: Decimal.parse(trade.price),
      amount: Decimal.parse(trade.amount),
      executedAt: trade.executed_at,
    })));
  }
  trading.nextSeq = snapshot.counters.next_seq;
  trading.nextExecutionId = BigInt(snapshot.counters.next_execution_id);
  if (snapshot.last_timestamp !== undefined) continueAfter(state, snapshot.last_timestamp);

  const now = Date.now();
  for (const review of snapshot.pending.reviews) {
    const identity = state.identities.get(review.identity_id)!;
    const dueAt = Date.parse(review.due_at);
    if (dueAt > now) scheduleReview(state, identity, dueAt);
    else completeReview(state, identity);
  }
  for (const id of snapshot.pending.orders) processOrder(state, trading.orders.get(id)!);
  expireDueOrders(state);
  for (const order of trading.orders.values()) if (!isClosed(order)) scheduleExpiry(state, order);
}
