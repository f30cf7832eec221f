/**
 * Durations are strings with a unit, as in `500ms`, `30s`, `2m` or `1h`. Written as a whole number and a
 * unit so that YAML cannot read them as numbers, and so that one pattern serves the schema and the parser.
 */

/** The schema pattern of a duration: a whole number followed by `ms`, `s`, `m` or `h`. */
export const DURATION_PATTERN = '^[0-9]+(ms|s|m|h)$';

/** The shortest step `timeout:`: below it no request can finish, so the step could only fail. */
export const MIN_TIMEOUT_MS = 10;

/** The shortest `interval:` of a polling step: a real API must not be hammered. */
export const MIN_POLL_INTERVAL_MS = 10;

/** The longest duration accepted: timers in Node cannot wait longer than 2^31-1 ms (about 24.8 days). */
export const MAX_DURATION_MS = 2_147_483_647;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION = new RegExp(DURATION_PATTERN);

/** Milliseconds of a duration such as `30s`, or undefined when it is not a duration or is too long. */
export const tryParseDuration = (text: string): number | undefined => {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const unit = match[1] as keyof typeof UNIT_MS;
  const ms = Number(text.slice(0, -unit.length)) * UNIT_MS[unit];
  return Number.isSafeInteger(ms) && ms <= MAX_DURATION_MS ? ms : undefined;
};

/**
 * Milliseconds of a duration such as `500ms`, `30s`, `2m` or `1h`. Throws a RangeError for anything else;
 * validated workflows only hold durations that parse.
 */
export const parseDuration = (text: string): number => {
  const ms = tryParseDuration(text);
  if (ms === undefined) throw new RangeError('not a duration: expected a whole number and ms, s, m or h');
  return ms;
};
