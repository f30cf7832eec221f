import type { SandboxState } from './state.js';

const lastStamp = new WeakMap<SandboxState, number>();

/**
 * The current time of `state` as an RFC3339 UTC timestamp with microseconds. Stamps taken from one state
 * never repeat and never go backwards, so `created_at.gt` paging cannot skip or repeat records.
 */
export function timestamp(state: SandboxState): string {
  let micros = state.now().getTime() * 1000;
  const last = lastStamp.get(state);
  if (last !== undefined && micros <= last) micros = last + 1;
  lastStamp.set(state, micros);
  return formatMicros(micros);
}

/** The newest stamp {@link timestamp} gave out for `state`, if any (a snapshot keeps it). */
export function lastTimestamp(state: SandboxState): string | undefined {
  const last = lastStamp.get(state);
  return last === undefined ? undefined : formatMicros(last);
}

/** Makes every later stamp of `state` come after `stamp`, as they did in the state it was restored from. */
export function continueAfter(state: SandboxState, stamp: string): void {
  const micros = parseTimestamp(stamp);
  if (micros !== undefined && micros > (lastStamp.get(state) ?? -Infinity)) lastStamp.set(state, micros);
}

export function formatMicros(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString();
  const fraction = String(micros - millis * 1000).padStart(3, '0');
  return `${iso.slice(0, 23)}${fraction}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Microseconds since the epoch for an RFC3339 timestamp, or `undefined` when it is not one. */
export function parseTimestamp(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const base = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${zone.toUpperCase()}`);
  if (Number.isNaN(base)) return undefined;
  if (!isRealDate(Number(year), Number(month), Number(day)) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 60) {
    return undefined;
  }
  return base * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}
