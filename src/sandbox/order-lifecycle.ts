import { Decimal } from './decimal.js';
import { Problem, forbidden } from './http-types.js';
import { MAX_MARKET_NOTIONAL } from './market-catalog.js';
import { commissionOn, crosses, planFills, type Demand, type Fill } from './matching.js';
import type { OrderDraft } from './order-input.js';
import type { MarketBook } from './price-model.js';
import type { SandboxState } from './state.js';
import { timestamp } from './time.js';
import { refIdKey, type OrderRecord, type OrderStatus } from './trading-state.js';

/**
 * Order lifecycle: SUBMITTED on create (funds reserved), then a few milliseconds later FILLED, OPEN
 * (resting, possibly part-filled), CANCELLED (IOC/FOK remainder) or REJECTED (a crossing post-only order).
 * An OPEN order stays open until cancelled or, for GTT, until it expires; the book never moves, so it
 * cannot fill later.
 */

/** Delay between the create response and the order's processing. */
export const FILL_DELAY_MS = 5;

const CLOSED: ReadonlySet<OrderStatus> = new Set(['FILLED', 'CANCELLED', 'REJECTED']);
export const isClosed = (order: OrderRecord): boolean => CLOSED.has(order.status);

function bookOf(state: SandboxState, market: string): MarketBook {
  const book = state.trading.books.get(market);
  if (!book) throw new Error(`no book for ${market}`);
  return book;
}

/** A timer that the server clears on close. */
function later(state: SandboxState, ms: number, run: () => void): NodeJS.Timeout {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    run();
  }, ms);
  state.timers.add(timer);
  return timer;
}

/** What the order holds back while it lives: quote for a BUY (notional plus commission), base for a SELL. */
function reservation(draft: OrderDraft): Decimal {
  if (draft.side === 'SELL') return draft.baseAmount ?? Decimal.ZERO;
  const notional = draft.quoteAmount ?? (draft.price ?? Decimal.ZERO).mul(draft.baseAmount ?? Decimal.ZERO);
  return notional.add(commissionOn(notional));
}

function checkNotional(state: SandboxState, draft: OrderDraft): void {
  const { spec } = draft;
  let notional: Decimal;
  let max: Decimal;
  if (draft.type === 'MARKET') {
    const [bestBid] = bookOf(state, spec.market).bids;
    notional = draft.quoteAmount ?? (draft.baseAmount ?? Decimal.ZERO).mul(bestBid?.price ?? Decimal.ZERO);
    max = MAX_MARKET_NOTIONAL;
  } else {
    notional = (draft.price ?? Decimal.ZERO).mul(draft.baseAmount ?? Decimal.ZERO);
    max = spec.maxLimitNotional;
  }
  if (notional.lte(max)) return;
  const shown = notional.toFixed(2);
  throw new Problem(403, 'Notional Value Too Large',
    `notional value too large for ${spec.market} ${draft.type} order: order had notional value ${shown}, but maximum allowed notional value is ${max.toString()}`,
    { slug: 'notional-value-too-large', meta: { market: spec.market, order_type: draft.type, order_notional_value: shown, max_notional_value: max.toString() } });
}

/**
 * Checks the notional cap, reserves the funds and stores the order as SUBMITTED, all synchronously, so
 * parallel requests can never overdraw a profile. Processing follows after {@link FILL_DELAY_MS}.
 */
export function placeOrder(state: SandboxState, profileId: string, draft: OrderDraft): OrderRecord {
  checkNotional(state, draft);
  const { spec } = draft;
  const reserveAsset = draft.side === 'BUY' ? spec.quote : spec.base;
  const needed = reservation(draft);
  const result = state.ledger.reserve(profileId, reserveAsset, needed);
  if (!result.ok) {
    throw new Problem(403, 'Insufficient Funds',
      `insufficient ${reserveAsset} funds in profile ${profileId}: ${needed.toString()} needed, ${result.available.toString()} available`,
      { slug: 'insufficient-funds', meta: { profile_id: profileId, asset: reserveAsset, available: result.available.toString(), needed: needed.toString() } });
  }
  const now = timestamp(state);
  const trading = state.trading;
  const order: OrderRecord = {
    seq: trading.nextSeq++,
    id: state.newId(),
    profileId,
    refId: draft.refId,
    status: 'SUBMITTED',
    side: draft.side,
    market: spec.market,
    type: draft.type,
    timeInForce: draft.timeInForce,
    baseAmount: draft.baseAmount,
    quoteAmount: draft.quoteAmount,
    price: draft.price,
    expirationDate: draft.expiresAtMs === undefined ? undefined : new Date(draft.expiresAtMs).toISOString(),
    identityId: draft.identityId,
    identityAccountId: draft.identityAccountId,
    recipientProfileId: draft.recipientProfileId,
    metadata: draft.metadata,
    createdAt: now,
    modifiedAt: now,
    amountFilled: Decimal.ZERO,
    grossFilled: Decimal.ZERO,
    commission: Decimal.ZERO,
    reserveAsset,
    reserved: needed,
  };
  trading.orders.set(order.id, order);
  if (order.refId !== undefined) trading.refIds.set(refIdKey(profileId, order.refId), order.id);
  trading.pending.set(order.id, later(state, FILL_DELAY_MS, () => processOrder(state, order)));
  scheduleExpiry(state, order);
  return order;
}

/** Cancels a GTT order when its expiration comes, on the state's clock (a no-op for other orders). */
export function scheduleExpiry(state: SandboxState, order: OrderRecord): void {
  if (order.expirationDate === undefined) return;
  later(state, Math.max(0, Date.parse(order.expirationDate) - state.now().getTime()), () => {
    if (!isClosed(order)) closeOrder(state, order, 'CANCELLED');
  });
}

/** Matches a SUBMITTED order against the book now (a no-op for any other status). */
export function processOrder(state: SandboxState, order: OrderRecord): void {
  const timer = state.trading.pending.get(order.id);
  if (timer) {
    clearTimeout(timer);
    state.timers.delete(timer);
    state.trading.pending.delete(order.id);
  }
  if (order.status !== 'SUBMITTED') return;
  const book = bookOf(state, order.market);

  if (order.type === 'POST_ONLY_LIMIT') {
    if (order.price && crosses(book, order.side, order.price)) closeOrder(state, order, 'REJECTED');
    else setStatus(state, order, 'OPEN');
    return;
  }

  const demand: Demand = order.quoteAmount
    ? { side: 'BUY', budget: order.quoteAmount }
    : { side: order.side, base: order.baseAmount ?? Decimal.ZERO, ...(order.type === 'LIMIT' && order.price ? { limit: order.price } : {}) };
  const plan = planFills(book, demand);
  if (order.timeInForce === 'FOK' && !plan.complete) return closeOrder(state, order, 'CANCELLED');
  for (const fill of plan.fills) applyFill(state, order, fill);
  if (plan.complete) closeOrder(state, order, 'FILLED');
  else if (order.timeInForce === 'IOC' || order.timeInForce === 'FOK') closeOrder(state, order, 'CANCELLED');
  else setStatus(state, order, 'OPEN');
}

function applyFill(state: SandboxState, order: OrderRecord, fill: Fill): void {
  const book = bookOf(state, order.market);
  const { base, quote } = book.spec;
  const grossAfter = order.grossFilled.add(fill.gross);
  const commission = commissionOn(grossAfter).sub(order.commission);
  const beneficiary = order.recipientProfileId ?? order.profileId;
  const { ledger } = state;
  let spent: Decimal;
  if (order.side === 'BUY') {
    spent = fill.gross.add(commission);
    ledger.settle(order.profileId, quote, spent);
    ledger.credit(beneficiary, base, fill.amount);
  } else {
    spent = fill.amount;
    ledger.settle(order.profileId, base, spent);
    ledger.credit(beneficiary, quote, fill.gross.sub(commission));
  }
  order.reserved = order.reserved.sub(spent);
  if (order.reserved.isNegative()) throw new Error(`order ${order.id} spent more than it reserved`);
  order.amountFilled = order.amountFilled.add(fill.amount);
  order.grossFilled = grossAfter;
  order.commission = order.commission.add(commission);

  const trading = state.trading;
  const executedAt = timestamp(state);
  const executionId = trading.nextExecutionId++;
  trading.executions.push({
    id: executionId.toString(),
    executionId,
    orderId: order.id,
    profileId: order.profileId,
    accountId: order.identityAccountId,
    market: order.market,
    side: order.side,
    amount: fill.amount,
    price: fill.price,
    gross: fill.gross,
    commission,
    commissionAsset: quote,
    executedAt,
  });
  const tape = trading.tape.get(order.market) ?? [];
  const newestSeed = trading.seedTrades.get(order.market)?.[0]?.matchNumber ?? 0n;
  tape.push({ matchNumber: newestSeed + BigInt(tape.length + 1), price: fill.price, amount: fill.amount, executedAt });
  trading.tape.set(order.market, tape);
}

function setStatus(state: SandboxState, order: OrderRecord, status: OrderStatus): void {
  order.status = status;
  order.modifiedAt = timestamp(state);
}

/** Ends an order with `status` and gives back whatever it still holds. */
export function closeOrder(state: SandboxState, order: OrderRecord, status: OrderStatus): void {
  if (order.reserved.isPositive()) state.ledger.release(order.profileId, order.reserveAsset, order.reserved);
  order.reserved = Decimal.ZERO;
  setStatus(state, order, status);
  const timer = state.trading.pending.get(order.id);
  if (timer) {
    clearTimeout(timer);
    state.timers.delete(timer);
    state.trading.pending.delete(order.id);
  }
}

/**
 * Cancels GTT orders whose expiration has passed on the state's clock. Timers do this in real time; this
 * sweep, run before order and balance reads, also honours a clock that a test moved forward.
 */
export function expireDueOrders(state: SandboxState): void {
  const now = state.now().getTime();
  for (const order of state.trading.orders.values()) {
    if (order.expirationDate !== undefined && !isClosed(order) && Date.parse(order.expirationDate) <= now) {
      closeOrder(state, order, 'CANCELLED');
    }
  }
}

/** Cancels a live order at once, or refuses with the Paxos 403. */
export function cancelOrder(state: SandboxState, order: OrderRecord): void {
  if (isClosed(order)) throw forbidden('order is not in cancellable state');
  closeOrder(state, order, 'CANCELLED');
}
