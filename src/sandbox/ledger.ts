import { Decimal } from './decimal.js';

/** Fiat assets: they quote every market and carry commissions. */
export const FIAT_ASSETS = ['USD', 'EUR', 'SGD'] as const;

/** Every asset a profile can hold, in the order balance listings use. */
export const SUPPORTED_ASSETS = [
  'USD', 'EUR', 'SGD', 'BTC', 'ETH', 'PAXG', 'BCH', 'LTC', 'SOL', 'LINK', 'AAVE', 'UNI', 'MATIC', 'USDP',
] as const;

export type Asset = (typeof SUPPORTED_ASSETS)[number];

const ASSET_SET: ReadonlySet<string> = new Set(SUPPORTED_ASSETS);
const FIAT_SET: ReadonlySet<string> = new Set(FIAT_ASSETS);

export const isSupportedAsset = (asset: string): asset is Asset => ASSET_SET.has(asset);
export const isFiatAsset = (asset: string): boolean => FIAT_SET.has(asset);

/** Decimal places an amount of `asset` may carry: 2 for fiat, 8 for crypto. */
export const assetPrecision = (asset: string): number => (isFiatAsset(asset) ? 2 : 8);

/** One asset's holding in one profile. */
export interface Holding {
  /** Free for new orders and withdrawals. */
  available: Decimal;
  /** Committed to orders that are not yet closed. */
  trading: Decimal;
}

export type ReserveResult = { ok: true } | { ok: false; available: Decimal };

/**
 * Balances per profile and asset. Every method is synchronous, so a check-and-reserve made inside one
 * request handler cannot interleave with another request's. A call that would take a figure below zero is
 * a bug in the caller and throws a plain Error.
 */
export class Ledger {
  private readonly profiles = new Map<string, Map<string, Holding>>();

  /** The holding of `asset` in `profileId`; zero when nothing was ever booked. */
  get(profileId: string, asset: string): Holding {
    const holding = this.profiles.get(profileId)?.get(asset);
    return holding ? { ...holding } : { available: Decimal.ZERO, trading: Decimal.ZERO };
  }

  /** Adds to `available` (deposits, trade proceeds). */
  credit(profileId: string, asset: string, amount: Decimal): void {
    this.assertNotNegative(amount, 'credit');
    const holding = this.holding(profileId, asset);
    holding.available = holding.available.add(amount);
  }

  /**
   * Moves `amount` from `available` to `trading` if there is enough; otherwise changes nothing and reports
   * what was available.
   */
  reserve(profileId: string, asset: string, amount: Decimal): ReserveResult {
    this.assertNotNegative(amount, 'reserve');
    const current = this.get(profileId, asset);
    if (current.available.lt(amount)) return { ok: false, available: current.available };
    const holding = this.holding(profileId, asset);
    holding.available = holding.available.sub(amount);
    holding.trading = holding.trading.add(amount);
    return { ok: true };
  }

  /** Moves `amount` back from `trading` to `available` (a cancelled or finished order's leftover). */
  release(profileId: string, asset: string, amount: Decimal): void {
    this.takeFromTrading(profileId, asset, amount, 'release');
    const holding = this.holding(profileId, asset);
    holding.available = holding.available.add(amount);
  }

  /** Removes `amount` from `trading`: reserved funds that left the profile in a trade. */
  settle(profileId: string, asset: string, amount: Decimal): void {
    this.takeFromTrading(profileId, asset, amount, 'settle');
  }

  /** Whether every asset of the profile is zero, both available and trading. */
  isEmpty(profileId: string): boolean {
    for (const holding of this.profiles.get(profileId)?.values() ?? []) {
      if (!holding.available.isZero() || !holding.trading.isZero()) return false;
    }
    return true;
  }

  /** Every holding ever booked, by profile then asset, in booking order (for snapshots). */
  *holdings(): IterableIterator<{ profileId: string; asset: string } & Holding> {
    for (const [profileId, assets] of this.profiles) {
      for (const [asset, holding] of assets) yield { profileId, asset, ...holding };
    }
  }

  private takeFromTrading(profileId: string, asset: string, amount: Decimal, what: string): void {
    this.assertNotNegative(amount, what);
    const holding = this.holding(profileId, asset);
    if (holding.trading.lt(amount)) throw new Error(`ledger ${what} exceeds the trading balance of ${asset}`);
    holding.trading = holding.trading.sub(amount);
  }

  private holding(profileId: string, asset: string): Holding {
    if (!isSupportedAsset(asset)) throw new Error(`ledger has no asset ${asset}`);
    let assets = this.profiles.get(profileId);
    if (!assets) {
      assets = new Map();
      this.profiles.set(profileId, assets);
    }
    let holding = assets.get(asset);
    if (!holding) {
      holding = { available: Decimal.ZERO, trading: Decimal.ZERO };
      assets.set(asset, holding);
    }
    return holding;
  }

  private assertNotNegative(amount: Decimal, what: string): void {
    if (amount.isNegative()) throw new Error(`ledger ${what} of a negative amount`);
  }
}
