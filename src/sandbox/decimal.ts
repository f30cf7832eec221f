/**
 * Exact decimal arithmetic for money and amounts: a BigInt count of units at a decimal scale
 * (`12.345` is 12345 units at scale 3). Binary floats never touch a balance, a price or an amount.
 */

/** How a value that does not fit the target scale is rounded. */
export type RoundingMode =
  /** toward zero (truncate) */
  | 'down'
  /** away from zero */
  | 'up'
  /** toward negative infinity */
  | 'floor'
  /** toward positive infinity */
  | 'ceil'
  /** to nearest, ties away from zero */
  | 'half-up'
  /** to nearest, ties to the even neighbour */
  | 'half-even';

/** Longest decimal text accepted, so a hostile request cannot make huge BigInts. */
const MAX_TEXT_LENGTH = 64;
const SIGNED = /^(-)?(?:([0-9]+)|([0-9]*)\.([0-9]+))$/;
/** The Paxos amount pattern `^[0-9]*\.?[0-9]+$`: unsigned, optional leading digits, no trailing dot. */
const AMOUNT = /^(?:[0-9]+|[0-9]*\.[0-9]+)$/;

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** `num / den` as an integer, rounded by `mode`. `den` must not be zero. */
function divideRounded(num: bigint, den: bigint, mode: RoundingMode): bigint {
  if (den === 0n) throw new RangeError('division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const quotient = num / den;
  const remainder = num % den;
  if (remainder === 0n) return quotient;
  const sign = num < 0n ? -1n : 1n;
  const twice = abs(remainder) * 2n;
  switch (mode) {
    case 'down': return quotient;
    case 'up': return quotient + sign;
    case 'floor': return sign < 0n ? quotient - 1n : quotient;
    case 'ceil': return sign > 0n ? quotient + 1n : quotient;
    case 'half-up': return twice >= den ? quotient + sign : quotient;
    case 'half-even': {
      if (twice > den) return quotient + sign;
      if (twice < den) return quotient;
      return quotient % 2n === 0n ? quotient : quotient + sign;
    }
  }
}

/** An immutable exact decimal. */
export class Decimal {
  static readonly ZERO = new Decimal(0n, 0);

  private constructor(
    /** The value times 10^scale. */
    readonly units: bigint,
    /** Digits after the decimal point carried by `units`. */
    readonly scale: number,
  ) {}

  /** `units / 10^scale`, e.g. `Decimal.of(1814n, 0)` or `Decimal.of(25n, 2)` for 0.25. */
  static of(units: bigint | number, scale = 0): Decimal {
    if (typeof units === 'number' && !Number.isSafeInteger(units)) throw new RangeError('Decimal.of needs an integer');
    if (!Number.isInteger(scale) || scale < 0) throw new RangeError('scale must be a non-negative integer');
    return new Decimal(BigInt(units), scale);
  }

  /** A signed decimal literal such as `-1.5`, `.25` or `27000`; `undefined` if `text` is not one. */
  static tryParse(text: string): Decimal | undefined {
    if (text.length === 0 || text.length > MAX_TEXT_LENGTH) return undefined;
    const match = SIGNED.exec(text);
    if (!match) return undefined;
    const [, minus, whole, intPart = '', fraction = ''] = match;
    const digits = whole ?? intPart + fraction;
    const units = BigInt(digits === '' ? '0' : digits);
    return new Decimal(minus ? -units : units, whole === undefined ? fraction.length : 0);
  }

  /** Like {@link tryParse} but throws: for literals in the emulator's own code. */
  static parse(text: string): Decimal {
    const value = Decimal.tryParse(text);
    if (value === undefined) throw new RangeError(`not a decimal literal: ${text.slice(0, MAX_TEXT_LENGTH)}`);
    return value;
  }

  add(other: Decimal): Decimal {
    const scale = Math.max(this.scale, other.scale);
    return new Decimal(this.rescaledUnits(scale) + other.rescaledUnits(scale), scale);
  }

  sub(other: Decimal): Decimal {
    return this.add(other.neg());
  }

  mul(other: Decimal): Decimal {
    return new Decimal(this.units * other.units, this.scale + other.scale);
  }

  /** `this / other` at `scale` decimal places, rounded by `mode`. */
  div(other: Decimal, scale: number, mode: RoundingMode): Decimal {
    // this/other = (a / 10^sa) / (b / 10^sb); the result in units of 10^-scale is a*10^(sb+scale) / (b*10^sa).
    const num = this.units * pow10(other.scale + scale);
    const den = other.units * pow10(this.scale);
    return new Decimal(divideRounded(num, den, mode), scale);
  }

  neg(): Decimal {
    return new Decimal(-this.units, this.scale);
  }

  /** The value at exactly `scale` places; fewer places are rounded by `mode`, more are padded. */
  round(scale: number, mode: RoundingMode): Decimal {
    if (scale >= this.scale) return new Decimal(this.rescaledUnits(scale), scale);
    return new Decimal(divideRounded(this.units, pow10(this.scale - scale), mode), scale);
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other`. */
  cmp(other: Decimal): -1 | 0 | 1 {
    const scale = Math.max(this.scale, other.scale);
    const a = this.rescaledUnits(scale);
    const b = other.rescaledUnits(scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  eq(other: Decimal): boolean { return this.cmp(other) === 0; }
  lt(other: Decimal): boolean { return this.cmp(other) < 0; }
  lte(other: Decimal): boolean { return this.cmp(other) <= 0; }
  gt(other: Decimal): boolean { return this.cmp(other) > 0; }
  gte(other: Decimal): boolean { return this.cmp(other) >= 0; }

  isZero(): boolean { return this.units === 0n; }
  isNegative(): boolean { return this.units < 0n; }
  isPositive(): boolean { return this.units > 0n; }

  static min(a: Decimal, b: Decimal): Decimal { return a.lte(b) ? a : b; }
  static max(a: Decimal, b: Decimal): Decimal { return a.gte(b) ? a : b; }

  /** Digits after the point once trailing zeros are dropped (`1.50` has 1). */
  decimalPlaces(): number {
    return this.normalized().scale;
  }

  /** Whether this is a whole multiple of `step` (a tick size, say). */
  isMultipleOf(step: Decimal): boolean {
    if (step.isZero()) throw new RangeError('step must not be zero');
    const scale = Math.max(this.scale, step.scale);
    return this.rescaledUnits(scale) % step.rescaledUnits(scale) === 0n;
  }

  /** The same value with trailing fractional zeros removed. */
  normalized(): Decimal {
    let { units, scale } = this;
    while (scale > 0 && units % 10n === 0n) {
      units /= 10n;
      scale -= 1;
    }
    return scale === this.scale ? this : new Decimal(units, scale);
  }

  /** Shortest plain text: `1814.8`, `0.25`, `0`, `-3`. Never exponent notation. */
  toString(): string {
    const { units, scale } = this.normalized();
    return render(units, scale);
  }

  /** Text with exactly `scale` places, rounded by `mode` (default half-up): `toFixed(8)` gives `1.00000000`. */
  toFixed(scale: number, mode: RoundingMode = 'half-up'): string {
    const rounded = this.round(scale, mode);
    return render(rounded.units, rounded.scale);
  }

  toJSON(): string {
    return this.toString();
  }

  private rescaledUnits(scale: number): bigint {
    return scale === this.scale ? this.units : this.units * pow10(scale - this.scale);
  }
}

function render(units: bigint, scale: number): string {
  const digits = abs(units).toString();
  const sign = units < 0n ? '-' : '';
  if (scale === 0) return sign + digits;
  const padded = digits.padStart(scale + 1, '0');
  return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

/** Why an amount string was refused; the text matches how Paxos words it. */
export type AmountFault = 'must be positive decimal' | `exceeds ${number} decimal places`;

export type AmountResult = { ok: true; value: Decimal } | { ok: false; fault: AmountFault };

/**
 * Reads a request amount: a string matching `^[0-9]*\.?[0-9]+$` that is greater than zero and has at most
 * `maxDecimals` places (trailing zeros do not count).
 */
export function parseAmount(text: string, maxDecimals?: number): AmountResult {
  if (text.length > MAX_TEXT_LENGTH || !AMOUNT.test(text)) return { ok: false, fault: 'must be positive decimal' };
  const value = Decimal.parse(text);
  if (!value.isPositive()) return { ok: false, fault: 'must be positive decimal' };
  if (maxDecimals !== undefined && value.decimalPlaces() > maxDecimals) {
    return { ok: false, fault: `exceeds ${maxDecimals} decimal places` };
  }
  return { ok: true, value };
}
