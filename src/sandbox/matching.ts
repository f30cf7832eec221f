import { Decimal } from './decimal.js';
import type { BookLevel, MarketBook } from './price-model.js';
import type { OrderSide } from './trading-state.js';

/**
 * Commission on every customer execution: 0.25 % of the order's gross notional, charged in the quote
 * asset and rounded half-up to the cent. It is computed on the order's running total, so an order split
 * across book levels pays exactly what one execution of the same notional would.
 */
export const COMMISSION_RATE = Decimal.parse('0.0025');
export const COMMISSION_PLACES = 2;
/** Base amounts carry at most 8 decimal places. */
export const BASE_PLACES = 8;

/** Commission on a gross notional of `gross`. */
export const commissionOn = (gross: Decimal): Decimal => gross.mul(COMMISSION_RATE).round(COMMISSION_PLACES, 'half-up');

/** What one order wants from the book. */
export type Demand =
  /** A base amount, optionally no worse than a limit price. */
  | { side: OrderSide; base: Decimal; limit?: Decimal }
  /** A market BUY spending up to `budget` of the quote asset. */
  | { side: 'BUY'; budget: Decimal };

export interface Fill {
  price: Decimal;
  amount: Decimal;
  /** price × amount, exact. */
  gross: Decimal;
}

export interface FillPlan {
  fills: Fill[];
  amount: Decimal;
  gross: Decimal;
  /** False when the book (within the limit price) ran out before the demand was met. */
  complete: boolean;
}

const levelsFor = (book: MarketBook, side: OrderSide): BookLevel[] => (side === 'BUY' ? book.asks : book.bids);

/** Whether a price reaches the other side of the book: a BUY at or above the best ask, a SELL at or below the best bid. */
export function crosses(book: MarketBook, side: OrderSide, price: Decimal): boolean {
  const [best] = levelsFor(book, side);
  return best !== undefined && reaches(side, price, best.price);
}

/** Whether an order limited to `limit` may trade at `levelPrice`. */
const reaches = (side: OrderSide, limit: Decimal, levelPrice: Decimal): boolean =>
  side === 'BUY' ? levelPrice.lte(limit) : levelPrice.gte(limit);

/** Walks the book best level first and says which fills would satisfy `demand`. Pure: the book is not consumed. */
export function planFills(book: MarketBook, demand: Demand): FillPlan {
  const fills: Fill[] = [];
  let amount = Decimal.ZERO;
  let gross = Decimal.ZERO;
  const take = (price: Decimal, size: Decimal) => {
    const fillGross = price.mul(size);
    fills.push({ price, amount: size, gross: fillGross });
    amount = amount.add(size);
    gross = gross.add(fillGross);
  };

  if ('budget' in demand) {
    let left = demand.budget;
    for (const level of book.asks) {
      const affordable = left.div(level.price, BASE_PLACES, 'down');
      const size = Decimal.min(level.amount, affordable);
      if (size.isPositive()) {
        take(level.price, size);
        left = left.sub(level.price.mul(size));
      }
      if (affordable.lte(level.amount)) return { fills, amount, gross, complete: true };
    }
    return { fills, amount, gross, complete: false };
  }

  let left = demand.base;
  for (const level of levelsFor(book, demand.side)) {
    if (demand.limit && !reaches(demand.side, demand.limit, level.price)) break;
    const size = Decimal.min(level.amount, left);
    take(level.price, size);
    left = left.sub(size);
    if (left.isZero()) return { fills, amount, gross, complete: true };
  }
  return { fills, amount, gross, complete: false };
}
