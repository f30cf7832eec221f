import type { Decimal } from './decimal.js';
import type { Asset } from './ledger.js';
import { findMarket, MARKETS } from './market-catalog.js';
import { buildBook, seedTrades, type MarketBook, type SeedTrade } from './price-model.js';

export const ORDER_STATUSES = ['PENDING_SUBMISSION', 'SUBMITTED', 'OPEN', 'FILLED', 'CANCELLED', 'REJECTED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'MARKET' | 'POST_ONLY_LIMIT' | 'STOP_MARKET' | 'STOP_LIMIT';
export type TimeInForce = 'GTC' | 'FOK' | 'IOC' | 'GTT';

/** An order as the emulator keeps it; {@link orderView} turns it into the Paxos `Order`. */
export interface OrderRecord {
  /** Creation rank within the state; lists sort on it. */
  seq: number;
  id: string;
  profileId: string;
  refId?: string;
  status: OrderStatus;
  side: OrderSide;
  market: string;
  type: OrderType;
  timeInForce: TimeInForce;
  baseAmount?: Decimal;
  quoteAmount?: Decimal;
  price?: Decimal;
  /** RFC3339, for GTT orders. */
  expirationDate?: string;
  identityId?: string;
  identityAccountId?: string;
  recipientProfileId?: string;
  metadata: Record<string, string>;
  createdAt: string;
  modifiedAt: string;
  /** Base amount executed so far. */
  amountFilled: Decimal;
  /** Quote amount executed so far (sum of price × amount). */
  grossFilled: Decimal;
  /** Commission charged so far, in the quote asset. */
  commission: Decimal;
  /** The asset held in `trading` for this order: quote for a BUY, base for a SELL. */
  reserveAsset: Asset;
  /** What is still held for it; released when the order closes. */
  reserved: Decimal;
}

/** One fill of a customer order against the market maker. */
export interface ExecutionRecord {
  /** `executionId` as text; the page cursor names it. */
  id: string;
  executionId: bigint;
  orderId: string;
  profileId: string;
  accountId?: string;
  market: string;
  side: OrderSide;
  amount: Decimal;
  price: Decimal;
  gross: Decimal;
  commission: Decimal;
  commissionAsset: Asset;
  executedAt: string;
}

/** A trade on the public tape (`recent-executions`, ticker `last_execution`). */
export interface PublicTrade {
  matchNumber: bigint;
  price: Decimal;
  amount: Decimal;
  executedAt: string;
}

/** The trading half of the emulator's state. */
export interface TradingState {
  readonly seed: number;
  /** The market maker's book per market; fixed for the life of the state. */
  readonly books: ReadonlyMap<string, MarketBook>;
  /** Trades "before start", per market, newest first. */
  readonly seedTrades: ReadonlyMap<string, readonly SeedTrade[]>;
  /** Every order by id, in creation order. */
  orders: Map<string, OrderRecord>;
  /** `profileId + '\n' + ref_id` → order id. */
  refIds: Map<string, string>;
  /** Every customer execution, oldest first. */
  executions: ExecutionRecord[];
  /** Customer trades per market, oldest first. */
  tape: Map<string, PublicTrade[]>;
  /** Fill timers of orders not yet processed, by order id. */
  pending: Map<string, NodeJS.Timeout>;
  nextSeq: number;
  nextExecutionId: bigint;
}

/** A fresh trading state whose books and tape history follow from `seed`. */
export function createTradingState(seed: number): TradingState {
  const books = new Map<string, MarketBook>();
  const history = new Map<string, SeedTrade[]>();
  for (const spec of MARKETS) {
    const book = buildBook(spec, seed);
    books.set(spec.market, book);
    history.set(spec.market, seedTrades(book, seed));
  }
  return {
    seed,
    books,
    seedTrades: history,
    orders: new Map(),
    refIds: new Map(),
    executions: [],
    tape: new Map(),
    pending: new Map(),
    nextSeq: 1,
    nextExecutionId: 1_600_000n + BigInt(Math.abs(Math.trunc(seed)) % 1000) * 1000n,
  };
}

export const refIdKey = (profileId: string, refId: string): string => `${profileId}\n${refId}`;

/** Base amounts and average prices are shown with 8 places, as Paxos does. */
const AMOUNT_PLACES = 8;

/** The Paxos `Order` object. Unused amounts read `"0"`. */
export function orderView(order: OrderRecord): Record<string, unknown> {
  const vwap = order.amountFilled.isZero() ? undefined : order.grossFilled.div(order.amountFilled, AMOUNT_PLACES, 'half-up');
  return {
    id: order.id,
    profile_id: order.profileId,
    ...(order.refId === undefined ? {} : { ref_id: order.refId }),
    status: order.status,
    side: order.side,
    market: order.market,
    type: order.type,
    base_amount: order.baseAmount?.toString() ?? '0',
    price: order.price?.toString() ?? '0',
    quote_amount: order.quoteAmount?.toString() ?? '0',
    metadata: { ...order.metadata },
    created_at: order.createdAt,
    modified_at: order.modifiedAt,
    amount_filled: order.amountFilled.toFixed(AMOUNT_PLACES),
    volume_weighted_average_price: vwap ? vwap.toFixed(AMOUNT_PLACES) : '0.00000000',
    time_in_force: order.timeInForce,
    ...(order.expirationDate === undefined ? {} : { expiration_date: order.expirationDate }),
    ...(order.identityId === undefined ? {} : { identity_id: order.identityId }),
    ...(order.identityAccountId === undefined ? {} : { identity_account_id: order.identityAccountId }),
    ...(order.recipientProfileId === undefined ? {} : { recipient_profile_id: order.recipientProfileId }),
  };
}

/** A price with as many places as the market's tick has (`1810.50` on ETHUSD). */
export function formatPrice(market: string, price: Decimal): string {
  const places = findMarket(market)?.tick.scale ?? 2;
  return price.decimalPlaces() > places ? price.toString() : price.toFixed(places);
}

/** The Paxos `Execution` object. */
export function executionView(execution: ExecutionRecord): Record<string, unknown> {
  return {
    execution_id: execution.executionId.toString(),
    order_id: execution.orderId,
    executed_at: execution.executedAt,
    market: execution.market,
    side: execution.side,
    amount: execution.amount.toFixed(AMOUNT_PLACES),
    price: formatPrice(execution.market, execution.price),
    commission: execution.commission.toFixed(2),
    commission_asset: execution.commissionAsset,
    rebate: '0',
    rebate_asset: execution.commissionAsset,
    ...(execution.accountId === undefined ? {} : { account_id: execution.accountId }),
    gross_trade_amount: execution.gross.toString(),
  };
}
