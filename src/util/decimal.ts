/**
 * Exact decimal strings. Paxos amounts and prices are decimal strings; they are compared here as scaled
 * BigInts, never as binary floats, so `"10.50"` equals `"10.5"` and 30-digit values keep every digit.
 *
 * Accepted form: an optional `-`, then digits with an optional fraction (`12`, `12.5`, `12.`), or a bare
 * fraction (`.25`). No `+`, no exponent, no spaces.
 */

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;

/** True when `value` is a string in the accepted decimal form. */
export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL.test(value);
}

/**
 * The plain decimal text of a finite number: its shortest round-trip form (what `String(n)` prints),
 * with any exponent written out, so `0.1` gives `"0.1"` and `1e21` gives `"1000000000000000000000"`.
 * @throws RangeError for NaN and infinities.
 */
export function numberToDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError('not a finite number');
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * The canonical text of a decimal string: no leading zeros in the integer part, no trailing zeros in the
 * fraction, no `-` on zero. `"0010.500"` -> `"10.5"`, `".25"` -> `"0.25"`, `"-0.0"` -> `"0"`.
 * @throws TypeError when `value` is not a decimal string.
 */
export function normalizeDecimal(value: string): string {
  const { negative, whole, fraction } = split(value);
  const integer = whole.replace(/^0+/, '') || '0';
  const decimals = fraction.replace(/0+$/, '');
  if (integer === '0' && decimals === '') return '0';
  return `${negative ? '-' : ''}${integer}${decimals ? `.${decimals}` : ''}`;
}

/**
 * Compares two decimals exactly: -1 when `a < b`, 0 when equal, 1 when `a > b`. Each side is a decimal
 * string or a finite number (taken as {@link numberToDecimal} prints it).
 * @throws TypeError for a string that is not a decimal; RangeError for NaN and infinities.
 */
export function compareDecimals(a: string | number, b: string | number): -1 | 0 | 1 {
  const left = toScaled(typeof a === 'number' ? numberToDecimal(a) : a);
  const right = toScaled(typeof b === 'number' ? numberToDecimal(b) : b);
  const scale = Math.max(left.scale, right.scale);
  const x = left.units * 10n ** BigInt(scale - left.scale);
  const y = right.units * 10n ** BigInt(scale - right.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

function split(value: string): { negative: boolean; whole: string; fraction: string } {
  // The message never quotes the value: amounts may sit next to personal data.
  if (!isDecimalString(value)) throw new TypeError('not a decimal string');
  const negative = value.startsWith('-');
  const body = negative ? value.slice(1) : value;
  const dot = body.indexOf('.');
  return dot === -1
    ? { negative, whole: body, fraction: '' }
    : { negative, whole: body.slice(0, dot), fraction: body.slice(dot + 1) };
}

/** `value` as an integer count of 10^-scale units. */
function toScaled(value: string): { units: bigint; scale: number } {
  const { negative, whole, fraction } = split(value);
  const magnitude = BigInt(whole + fraction || '0');
  return { units: negative ? -magnitude : magnitude, scale: fraction.length };
}
