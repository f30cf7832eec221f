import { badRequest } from './http-types.js';
import { parseTimestamp } from './time.js';

const OPERATORS = ['lt', 'lte', 'eq', 'gte', 'gt'] as const;

type Operator = (typeof OPERATORS)[number];

function readTimeBounds(query: URLSearchParams, field: string): Array<[Operator, number]> {
  const bounds: Array<[Operator, number]> = [];
  for (const operator of OPERATORS) {
    const raw = query.get(`${field}.${operator}`);
    if (raw === null) continue;
    const micros = parseTimestamp(raw);
    if (micros === undefined) throw badRequest(`${field}.${operator}: must be an RFC3339 timestamp such as 2006-01-02T15:04:05Z`);
    bounds.push([operator, micros]);
  }
  return bounds;
}

function compare(operator: Operator, value: number, bound: number): boolean {
  switch (operator) {
    case 'lt': return value < bound;
    case 'lte': return value <= bound;
    case 'eq': return value === bound;
    case 'gte': return value >= bound;
    case 'gt': return value > bound;
  }
}

/** `limit` as an integer in 1..max, `fallback` when absent. */
export function readLimit(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return fallback;
  const limit = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw badRequest(`limit must be between 1 and ${max}`);
  return limit;
}

/** `order` as ASC or DESC. */
export function readOrder(query: URLSearchParams, fallback: 'ASC' | 'DESC'): 'ASC' | 'DESC' {
  const raw = query.get('order');
  if (raw === null || raw === '') return fallback;
  const order = raw.toUpperCase();
  if (order !== 'ASC' && order !== 'DESC') throw badRequest('order: must be ASC or DESC');
  return order;
}

const TRUE_WORDS = new Set(['1', 't', 'true']);
const FALSE_WORDS = new Set(['0', 'f', 'false']);

/** A boolean query parameter, read as Go's `strconv.ParseBool` reads it; `false` when absent. */
export function readBoolean(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '') return false;
  const word = raw.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw badRequest(`${name}: must be true or false`);
}

/** Checks `order_by`, whose only value is CREATED_AT. */
export function checkOrderBy(query: URLSearchParams): void {
  const raw = query.get('order_by');
  if (raw !== null && raw !== '' && raw !== 'CREATED_AT') throw badRequest('order_by: must be CREATED_AT');
}

export interface Page<T> {
  items: T[];
  /** Present only when there is a further page. */
  next_page_cursor?: string;
}

/**
 * One page of `all` (every record, oldest first) after filtering with `keep`. The cursor is opaque to
 * clients: it names the last record returned, so records created or changed meanwhile neither shift nor
 * repeat the following pages.
 */
export function paginate<T extends { id: string }>(
  all: readonly T[],
  options: { query: URLSearchParams; order: 'ASC' | 'DESC'; limit: number; keep: (item: T) => boolean },
): Page<T> {
  const ordered = options.order === 'ASC' ? all : [...all].reverse();
  let start = 0;
  const cursor = options.query.get('page_cursor');
  if (cursor !== null && cursor !== '') {
    const after = decodeCursor(cursor);
    const index = after === undefined ? -1 : ordered.findIndex((item) => item.id === after);
    if (index < 0) throw badRequest('page_cursor: invalid cursor');
    start = index + 1;
  }
  const items: T[] = [];
  let index = start;
  for (; index < ordered.length && items.length < options.limit; index += 1) {
    const item = ordered[index] as T;
    if (options.keep(item)) items.push(item);
  }
  const last = items.at(-1);
  const more = last !== undefined && ordered.slice(index).some(options.keep);
  return more ? { items, next_page_cursor: encodeCursor(last.id) } : { items };
}

/** A predicate that applies the `field.{lt,lte,eq,gte,gt}` filters of `query`; a malformed bound is a 400. */
export function timeFilter<T>(query: URLSearchParams, field: string, read: (item: T) => string | undefined): (item: T) => boolean {
  const bounds = readTimeBounds(query, field);
  return (item) => {
    if (bounds.length === 0) return true;
    const text = read(item);
    const value = text === undefined ? undefined : parseTimestamp(text);
    return value !== undefined && bounds.every(([operator, bound]) => compare(operator, value, bound));
  };
}

const encodeCursor = (id: string): string => Buffer.from(`after:${id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  return decoded.startsWith('after:') ? decoded.slice('after:'.length) : undefined;
}
