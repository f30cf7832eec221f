import { Decimal } from './decimal.js';
import type { Asset } from './ledger.js';

/** A market the emulator trades, with the parameters its price model starts from. */
export interface MarketSpec {
  market: string;
  base: Asset;
  quote: Asset;
  /** Price increment; every price is a multiple of it. */
  tick: Decimal;
  /** Best ask before the seed's shift. */
  anchorAsk: Decimal;
  /** Best bid = best ask − spreadTicks × tick. */
  spreadTicks: number;
  /** Distance between neighbouring book levels, in ticks. */
  levelTicks: number;
  /** The seed shifts the whole book by up to ± this many ticks. */
  maxShiftTicks: number;
  /** Base amount at each level, best first; the last is deep enough for any order under the notional caps. */
  sizes: readonly Decimal[];
  /** Largest notional of one LIMIT order, in the quote asset. */
  maxLimitNotional: Decimal;
}

/** Largest notional of one MARKET order, in the quote asset. */
export const MAX_MARKET_NOTIONAL = Decimal.parse('500000');

const d = Decimal.parse;

function spec(
  market: string, base: Asset, quote: Asset, tick: string, anchorAsk: string,
  shape: { spread: number; level: number; shift: number }, sizes: string[], maxLimitNotional = '1000000',
): MarketSpec {
  return {
    market, base, quote, tick: d(tick), anchorAsk: d(anchorAsk),
    spreadTicks: shape.spread, levelTicks: shape.level, maxShiftTicks: shape.shift,
    sizes: sizes.map(d), maxLimitNotional: d(maxLimitNotional),
  };
}

// ETHUSD is pinned so the onboarding guide's BUY @1814.8 and SELL @1804.2 always cross: with the largest
// shift the best ask is at most 1811.75 and the best bid at least 1809.25.
export const MARKETS: readonly MarketSpec[] = [
  spec('BTCUSD', 'BTC', 'USD', '0.25', '27002.50', { spread: 10, level: 8, shift: 40 }, ['0.5', '1', '2.5', '5', '25'], '1500000'),
  spec('ETHUSD', 'ETH', 'USD', '0.05', '1810.75', { spread: 10, level: 4, shift: 20 }, ['2.5', '5', '10', '25', '400'], '1500000'),
  spec('PAXGUSD', 'PAXG', 'USD', '0.01', '1950.50', { spread: 100, level: 25, shift: 100 }, ['1', '2', '5', '10', '300']),
  spec('BCHUSD', 'BCH', 'USD', '0.05', '110.10', { spread: 4, level: 2, shift: 10 }, ['10', '25', '50', '100', '5000']),
  spec('LTCUSD', 'LTC', 'USD', '0.01', '65.03', { spread: 6, level: 2, shift: 20 }, ['20', '50', '100', '250', '10000']),
  spec('LINKUSD', 'LINK', 'USD', '0.01', '7.51', { spread: 2, level: 1, shift: 5 }, ['100', '250', '500', '1000', '80000']),
  spec('AAVEUSD', 'AAVE', 'USD', '0.01', '60.04', { spread: 8, level: 3, shift: 20 }, ['20', '50', '100', '250', '10000']),
  spec('UNIUSD', 'UNI', 'USD', '0.01', '4.51', { spread: 2, level: 1, shift: 3 }, ['100', '250', '500', '1000', '150000']),
  spec('MATICUSD', 'MATIC', 'USD', '0.01', '0.56', { spread: 1, level: 1, shift: 1 }, ['1000', '2500', '5000', '10000', '1200000']),
  spec('USDPUSD', 'USDP', 'USD', '0.01', '1.00', { spread: 1, level: 1, shift: 0 }, ['10000', '25000', '50000', '100000', '600000']),
  spec('SOLUSD', 'SOL', 'USD', '0.01', '21.02', { spread: 4, level: 2, shift: 20 }, ['50', '100', '250', '500', '30000']),
  spec('ETHEUR', 'ETH', 'EUR', '0.05', '1665.90', { spread: 10, level: 4, shift: 20 }, ['2.5', '5', '10', '25', '400'], '1500000'),
  spec('BTCEUR', 'BTC', 'EUR', '0.25', '24842.50', { spread: 10, level: 8, shift: 40 }, ['0.5', '1', '2.5', '5', '25'], '1500000'),
  spec('ETHSGD', 'ETH', 'SGD', '0.05', '2444.25', { spread: 10, level: 4, shift: 20 }, ['2.5', '5', '10', '25', '400'], '1500000'),
  spec('BTCSGD', 'BTC', 'SGD', '0.25', '36452.50', { spread: 10, level: 8, shift: 40 }, ['0.5', '1', '2.5', '5', '25'], '1500000'),
];

const BY_NAME = new Map(MARKETS.map((entry) => [entry.market, entry]));

export const findMarket = (market: string): MarketSpec | undefined => BY_NAME.get(market);
