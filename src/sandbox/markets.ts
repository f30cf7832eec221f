import type { Decimal } from './decimal.js';
import { notFound, type Route } from './http-types.js';
import { MARKETS } from './market-catalog.js';
import { sessionStats, type BookLevel, type MarketBook } from './price-model.js';
import type { SandboxState } from './state.js';
import { formatPrice, type PublicTrade } from './trading-state.js';

const AMOUNT_PLACES = 8;
const DAY_MS = 86_400_000;

function bookOf(state: SandboxState, market: string): MarketBook {
  const book = state.trading.books.get(market);
  if (!book) throw notFound(`market not found: ${market.replace(/[^\x20-\x7e]/g, '?').slice(0, 32)}`);
  return book;
}

const levelView = (market: string, level: BookLevel) => ({
  price: formatPrice(market, level.price),
  amount: level.amount.toFixed(AMOUNT_PLACES),
});

/** Customer trades (newest first) followed by the seeded history, as public trades. */
function tapeOf(state: SandboxState, market: string, now: number): PublicTrade[] {
  const own = [...(state.trading.tape.get(market) ?? [])].reverse();
  // Seeded trades count back from the first customer trade, so the tape stays in time order.
  const oldest = own.at(-1);
  const anchor = oldest ? Math.min(now, Date.parse(oldest.executedAt)) : now;
  const seeded = (state.trading.seedTrades.get(market) ?? []).map((trade) => ({
    matchNumber: trade.matchNumber,
    price: trade.price,
    amount: trade.amount,
    executedAt: new Date(anchor - trade.ageSeconds * 1000).toISOString(),
  }));
  return [...own, ...seeded];
}

function statsView(book: MarketBook, seed: number, session: 'last_day' | 'today', begin: Date, end: Date) {
  const stats = sessionStats(book, seed, session);
  const price = (value: Decimal) => formatPrice(book.spec.market, value);
  return {
    high: price(stats.high),
    low: price(stats.low),
    open: price(stats.open),
    volume: stats.volume.toFixed(AMOUNT_PLACES),
    volume_weighted_average_price: stats.vwap.toFixed(AMOUNT_PLACES),
    range: { begin: begin.toISOString(), end: end.toISOString() },
  };
}

/** The Paxos `TickerRecord` of one market. */
function tickerView(state: SandboxState, book: MarketBook) {
  const { market } = book.spec;
  const now = state.now();
  const [bestBid] = book.bids;
  const [bestAsk] = book.asks;
  const [last] = tapeOf(state, market, now.getTime());
  const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return {
    market,
    ...(bestBid ? { best_bid: levelView(market, bestBid) } : {}),
    ...(bestAsk ? { best_ask: levelView(market, bestAsk) } : {}),
    ...(last ? { last_execution: { price: formatPrice(market, last.price), amount: last.amount.toFixed(AMOUNT_PLACES) } } : {}),
    last_day: statsView(book, state.trading.seed, 'last_day', new Date(now.getTime() - DAY_MS), now),
    today: statsView(book, state.trading.seed, 'today', midnight, now),
    snapshot_at: now.toISOString(),
  };
}

/** Public market data: markets, order books, tickers and recent executions. No token needed. */
export const marketRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v2/markets',
    scopes: 'public',
    handle() {
      const markets = MARKETS.map((spec) => ({
        market: spec.market,
        base_asset: spec.base,
        quote_asset: spec.quote,
        tick_rate: spec.tick.toString(),
      }));
      return { body: { markets } };
    },
  },
  {
    method: 'GET',
    path: '/v2/markets/:market/order-book',
    scopes: 'public',
    handle({ params }, state) {
      const book = bookOf(state, params.market ?? '');
      const { market } = book.spec;
      return {
        body: {
          market,
          asks: book.asks.map((level) => levelView(market, level)),
          bids: book.bids.map((level) => levelView(market, level)),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/v2/markets/:market/ticker',
    scopes: 'public',
    handle({ params }, state) {
      return { body: tickerView(state, bookOf(state, params.market ?? '')) };
    },
  },
  {
    method: 'GET',
    path: '/v2/all-markets/ticker',
    scopes: 'public',
    handle(_request, state) {
      return { body: { tickers: MARKETS.map((spec) => tickerView(state, bookOf(state, spec.market))) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/markets/:market/recent-executions',
    scopes: 'public',
    handle({ params }, state) {
      const book = bookOf(state, params.market ?? '');
      const { market } = book.spec;
      const items = tapeOf(state, market, state.now().getTime()).map((trade) => ({
        match_number: trade.matchNumber.toString(),
        price: formatPrice(market, trade.price),
        amount: trade.amount.toFixed(AMOUNT_PLACES),
        executed_at: trade.executedAt,
      }));
      return { body: { items } };
    },
  },
];
