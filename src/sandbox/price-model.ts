import { Decimal } from './decimal.js';
import type { MarketSpec } from './market-catalog.js';

/**
 * The emulator's market maker. Each market's book is a pure function of the seed: the seed shifts the
 * catalog's anchor by a whole number of ticks and everything else follows. Books do not move with the
 * clock and are not consumed by fills, so the same seed always fills the same order at the same prices.
 */

export interface BookLevel {
  price: Decimal;
  amount: Decimal;
}

export interface MarketBook {
  spec: MarketSpec;
  /** Best (lowest) first. */
  asks: BookLevel[];
  /** Best (highest) first. */
  bids: BookLevel[];
}

/** The figures of a ticker's `last_day` or `today` block. */
export interface SessionStats {
  open: Decimal;
  high: Decimal;
  low: Decimal;
  volume: Decimal;
  vwap: Decimal;
}

/** A market trade made before the emulator started, for recent-executions and the ticker. */
export interface SeedTrade {
  matchNumber: bigint;
  price: Decimal;
  amount: Decimal;
  /** How long before "now" it happened. */
  ageSeconds: number;
}

/** A 32-bit unsigned hash of the seed and a label (FNV-1a, then a murmur3 finaliser). */
export function seededInt(seed: number, label: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}|${label}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** An integer from `min` to `max` inclusive, fixed by the seed and label. */
export const seededRange = (seed: number, label: string, min: number, max: number): number =>
  min + (seededInt(seed, label) % (max - min + 1));

const ticks = (spec: MarketSpec, count: number): Decimal => spec.tick.mul(Decimal.of(count));

/** Whole ticks the seed moves this market's book by, within ± `maxShiftTicks`. */
export const shiftTicks = (seed: number, spec: MarketSpec): number =>
  seededRange(seed, `shift:${spec.market}`, -spec.maxShiftTicks, spec.maxShiftTicks);

export function buildBook(spec: MarketSpec, seed: number): MarketBook {
  const bestAsk = spec.anchorAsk.add(ticks(spec, shiftTicks(seed, spec)));
  const bestBid = bestAsk.sub(ticks(spec, spec.spreadTicks));
  const asks = spec.sizes.map((amount, level) => ({ price: bestAsk.add(ticks(spec, level * spec.levelTicks)), amount }));
  const bids = spec.sizes.map((amount, level) => ({ price: bestBid.sub(ticks(spec, level * spec.levelTicks)), amount }));
  return { spec, asks, bids };
}

/** Halfway between the best bid and the best ask, on tick (rounded down). */
export function midPrice(book: MarketBook): Decimal {
  const [ask] = book.asks;
  const [bid] = book.bids;
  if (!ask || !bid) throw new Error(`empty book for ${book.spec.market}`);
  const tick = book.spec.tick;
  const half = ask.price.add(bid.price).div(Decimal.of(2), tick.scale + 1, 'down');
  return half.div(tick, 0, 'floor').mul(tick);
}

/** Made-up but stable session figures around the book, for the ticker. */
export function sessionStats(book: MarketBook, seed: number, session: 'last_day' | 'today'): SessionStats {
  const { spec } = book;
  const label = `${session}:${spec.market}`;
  const mid = midPrice(book);
  const reach = Math.max(spec.spreadTicks * 3, 6);
  const open = mid.add(ticks(spec, seededRange(seed, `${label}:open`, -reach, reach)));
  const [ask] = book.asks;
  const [bid] = book.bids;
  if (!ask || !bid) throw new Error(`empty book for ${spec.market}`);
  const high = Decimal.max(open, ask.price).add(ticks(spec, seededRange(seed, `${label}:high`, 1, reach)));
  let low = Decimal.min(open, bid.price).sub(ticks(spec, seededRange(seed, `${label}:low`, 1, reach)));
  if (!low.isPositive()) low = spec.tick;
  const [firstSize = Decimal.of(1)] = spec.sizes;
  const volume = firstSize.mul(Decimal.of(seededRange(seed, `${label}:volume`, 40, 400)));
  const vwap = open.add(high).add(low).add(mid).div(Decimal.of(4), 8, 'half-up');
  return { open, high, low, volume, vwap };
}

/** Ten trades at the touch, newest first, each one to three minutes apart. */
export function seedTrades(book: MarketBook, seed: number): SeedTrade[] {
  const { spec } = book;
  const [ask] = book.asks;
  const [bid] = book.bids;
  if (!ask || !bid) throw new Error(`empty book for ${spec.market}`);
  const firstMatch = BigInt(seededRange(seed, `match:${spec.market}`, 100_000_000, 900_000_000));
  const trades: SeedTrade[] = [];
  let age = 0;
  for (let index = 0; index < 10; index += 1) {
    const label = `trade:${spec.market}:${index}`;
    age += seededRange(seed, `${label}:gap`, 60, 180);
    const price = seededInt(seed, `${label}:side`) % 2 === 0 ? ask.price : bid.price;
    const amount = ask.amount.mul(Decimal.of(seededRange(seed, `${label}:size`, 1, 100))).div(Decimal.of(100), 8, 'down');
    trades.push({ matchNumber: firstMatch - BigInt(index), price, amount, ageSeconds: age });
  }
  return trades;
}
