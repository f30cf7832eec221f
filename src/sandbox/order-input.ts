import { Decimal, parseAmount } from './decimal.js';
import { badRequest } from './http-types.js';
import { assetPrecision } from './ledger.js';
import { findMarket, type MarketSpec } from './market-catalog.js';
import { BASE_PLACES } from './matching.js';
import type { OrderSide, OrderType, TimeInForce } from './trading-state.js';

/** A create-order body that passed every check that needs no state. */
export interface OrderDraft {
  side: OrderSide;
  spec: MarketSpec;
  type: Exclude<OrderType, 'STOP_MARKET' | 'STOP_LIMIT'>;
  timeInForce: TimeInForce;
  baseAmount?: Decimal;
  quoteAmount?: Decimal;
  price?: Decimal;
  /** Unix milliseconds, GTT only. */
  expiresAtMs?: number;
  refId?: string;
  metadata: Record<string, string>;
  identityId?: string;
  identityAccountId?: string;
  recipientProfileId?: string;
  /** 0 answers at once; more processes the order before answering. */
  awaitFillMs: number;
}

/** The fields of a CreateOrder body (exported for the property test that sends each one malformed). */
export const ORDER_FIELDS: ReadonlySet<string> = new Set([
  'ref_id', 'side', 'market', 'type', 'base_amount', 'price', 'quote_amount', 'metadata', 'await_fill_millis',
  'time_in_force', 'expiration_date', 'identity_id', 'identity_account_id', 'stop_price', 'recipient_profile_id',
  'self_match_prevention_id',
]);
const TIME_IN_FORCE: Record<OrderDraft['type'], readonly TimeInForce[]> = {
  LIMIT: ['GTC', 'IOC', 'FOK', 'GTT'],
  POST_ONLY_LIMIT: ['GTC', 'GTT'],
  MARKET: ['IOC', 'FOK'],
};
const METADATA_PAIRS = 6;
const METADATA_TEXT = 100;
const MAX_AWAIT_MS = 10_000;
const MIN_GTT_LEAD_MS = 10_000;

const invalid = (field: string, why: string) => badRequest(`${field} invalid: ${why}`);
const printable = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);

/** Reads a CreateOrder body, throwing the first problem as a 400 in Paxos' wording. */
export function readOrderBody(body: unknown, nowMs: number): OrderDraft {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('request body must be a JSON object');
  const raw = body as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!ORDER_FIELDS.has(key)) throw badRequest(`unknown field "${printable(key)}"`);
  }
  const text = (field: string): string | undefined => {
    const value = raw[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalid(field, 'must be a string');
    return value;
  };
  const required = (field: string): string => {
    const value = text(field);
    if (value === undefined || value === '') throw badRequest(`${field} is required`);
    return value;
  };

  const side = required('side');
  if (side !== 'BUY' && side !== 'SELL') throw invalid('side', 'must be BUY or SELL');
  const marketName = required('market');
  const spec = findMarket(marketName);
  if (!spec) throw invalid('market', `unknown market '${printable(marketName)}'`);
  const type = required('type');
  if (type === 'STOP_MARKET' || type === 'STOP_LIMIT') throw invalid('type', `${type} orders are not supported by the emulator`);
  if (type !== 'LIMIT' && type !== 'MARKET' && type !== 'POST_ONLY_LIMIT') {
    throw invalid('type', 'must be one of LIMIT, MARKET, POST_ONLY_LIMIT, STOP_MARKET, STOP_LIMIT');
  }

  const amount = (field: string, places?: number): Decimal | undefined => {
    const value = text(field);
    if (value === undefined) return undefined;
    const result = parseAmount(value, places);
    if (!result.ok) throw invalid(field, `invalid amount '${printable(value)}': ${result.fault}`);
    return result.value;
  };
  const baseAmount = amount('base_amount', BASE_PLACES);
  const quoteAmount = amount('quote_amount', assetPrecision(spec.quote));
  const price = amount('price');
  if (price && !price.isMultipleOf(spec.tick)) {
    throw invalid('price', `${price.toString()} is not a multiple of the ${spec.market} tick size ${spec.tick.toString()}`);
  }

  if (type === 'MARKET') {
    if (price) throw badRequest('price must not be set on a MARKET order');
    if (side === 'BUY' && !quoteAmount) throw badRequest('quote_amount is required for a MARKET BUY order');
    if (side === 'BUY' && baseAmount) throw badRequest('base_amount must not be set on a MARKET BUY order; use quote_amount');
    if (side === 'SELL' && !baseAmount) throw badRequest('base_amount is required for a MARKET SELL order');
    if (side === 'SELL' && quoteAmount) throw badRequest('quote_amount must not be set on a MARKET SELL order; use base_amount');
  } else {
    if (!price) throw badRequest(`price is required for a ${type} order`);
    if (!baseAmount) throw badRequest(`base_amount is required for a ${type} order`);
    if (quoteAmount) throw badRequest('quote_amount is only allowed on a MARKET BUY order');
  }
  if (text('stop_price') !== undefined) throw badRequest('stop_price is only allowed on STOP_MARKET and STOP_LIMIT orders');

  const tif = text('time_in_force') ?? (type === 'MARKET' ? 'IOC' : 'GTC');
  if (!TIME_IN_FORCE[type].includes(tif as TimeInForce)) {
    throw invalid('time_in_force', `${type} orders take ${TIME_IN_FORCE[type].join(', ')}`);
  }
  const timeInForce = tif as TimeInForce;
  const expiresAtMs = readExpiration(text('expiration_date'), timeInForce, nowMs);

  const identityId = text('identity_id') || undefined;
  const identityAccountId = text('identity_account_id') || undefined;
  if ((identityId === undefined) !== (identityAccountId === undefined)) {
    throw badRequest('identity_id and identity_account_id must be provided together');
  }
  const selfMatch = text('self_match_prevention_id');
  if (selfMatch !== undefined && selfMatch.length > 36) throw invalid('self_match_prevention_id', 'must be at most 36 characters');
  const refId = text('ref_id') || undefined;
  if (refId !== undefined && refId.length > 256) throw invalid('ref_id', 'must be at most 256 characters');

  return {
    side, spec, type, timeInForce, baseAmount, quoteAmount, price, expiresAtMs, refId,
    metadata: readMetadata(raw.metadata),
    identityId, identityAccountId,
    recipientProfileId: text('recipient_profile_id') || undefined,
    awaitFillMs: readAwait(raw.await_fill_millis),
  };
}

function readExpiration(value: string | undefined, timeInForce: TimeInForce, nowMs: number): number | undefined {
  if (timeInForce !== 'GTT') {
    if (value !== undefined) throw badRequest('expiration_date is only allowed with time_in_force GTT');
    return undefined;
  }
  if (value === undefined) throw badRequest('expiration_date is required with time_in_force GTT');
  if (!/^\d{13}$/.test(value)) throw invalid('expiration_date', 'must be a unix timestamp in milliseconds (13 digits)');
  const expiresAtMs = Number(value);
  if (expiresAtMs <= nowMs + MIN_GTT_LEAD_MS) throw invalid('expiration_date', 'must be more than 10 seconds in the future');
  return expiresAtMs;
}

function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('metadata', 'must be an object of string values');
  const entries = Object.entries(value);
  if (entries.length > METADATA_PAIRS) throw invalid('metadata', `at most ${METADATA_PAIRS} key/value pairs are allowed`);
  const metadata: Record<string, string> = {};
  for (const [key, entry] of entries) {
    if (typeof entry !== 'string') throw invalid('metadata', `value of '${printable(key)}' must be a string`);
    if (key.length > METADATA_TEXT || entry.length > METADATA_TEXT) {
      throw invalid('metadata', `keys and values must be at most ${METADATA_TEXT} characters`);
    }
    Object.defineProperty(metadata, key, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return metadata;
}

function readAwait(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const number = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > MAX_AWAIT_MS) {
    throw invalid('await_fill_millis', `must be an integer from 0 to ${MAX_AWAIT_MS}`);
  }
  return number;
}
