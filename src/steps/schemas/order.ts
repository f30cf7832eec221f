/** JSON Schemas of the Paxos Orders API: the create-order body and the Order. */

import type { JsonSchema } from '../define.js';
import { UUID_PATTERN, closedObject, decimalString, openObject, plainString, refIdInput, stringEnum, uuid } from './common.js';

export const ORDER_STATUSES = ['PENDING_SUBMISSION', 'SUBMITTED', 'OPEN', 'FILLED', 'CANCELLED', 'REJECTED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The Paxos Order; see {@link orderOutput} for the documented fields. */
export interface Order {
  id: string;
  profile_id: string;
  status: OrderStatus;
  ref_id?: string;
  [field: string]: unknown;
}

const SIDES = ['BUY', 'SELL'];
const ORDER_TYPES = ['LIMIT', 'MARKET', 'POST_ONLY_LIMIT', 'STOP_MARKET', 'STOP_LIMIT'];
const TIME_IN_FORCE = ['GTC', 'FOK', 'IOC', 'GTT'];

export const profileIdInput = (description = 'Id of the profile (from createAccount\'s profile_id).'): JsonSchema => ({
  type: 'string',
  pattern: `^(default|${UUID_PATTERN.slice(1, -1)})$`,
  description: `${description} \`default\` names the omnibus profile.`,
});

const when = (condition: Record<string, string | string[]>, required: string[]): JsonSchema => ({
  if: {
    type: 'object',
    required: Object.keys(condition),
    properties: Object.fromEntries(
      Object.entries(condition).map(([key, value]) => [key, Array.isArray(value) ? { enum: value } : { const: value }]),
    ),
  },
  then: { required },
});

/** `profile_id` (the path parameter) plus the Paxos create-order body. */
export const placeOrderInput: JsonSchema = {
  ...closedObject('profile_id plus the Paxos create-order request body.', {
    profile_id: profileIdInput('Id of the profile that places the order (createAccount\'s profile_id).'),
    side: stringEnum(SIDES, 'BUY or SELL.'),
    market: { type: 'string', pattern: '^[A-Z0-9]{4,16}$', description: 'Market, e.g. ETHUSD or BTCUSD (see GET /markets).' },
    type: stringEnum(ORDER_TYPES, 'Order type.'),
    base_amount: decimalString('Amount of the base asset (e.g. ETH); for LIMIT orders and MARKET SELL.'),
    quote_amount: decimalString('Amount of the quote asset to spend (e.g. USD); MARKET BUY only.'),
    price: decimalString('Limit price in the quote asset; must be a multiple of the market\'s tick size.'),
    stop_price: decimalString('Trigger price of a stop order.'),
    time_in_force: stringEnum(TIME_IN_FORCE, 'GTC, FOK, IOC or GTT. Default IOC for MARKET, GTC otherwise.'),
    expiration_date: {
      type: 'string',
      pattern: '^[0-9]{13}$',
      description: 'GTT only: expiry in unix milliseconds (13 digits, quoted), more than 10 seconds ahead.',
    },
    ref_id: refIdInput('order'),
    identity_id: uuid('Identity the order is for; send together with identity_account_id.'),
    identity_account_id: uuid('Account the order is for; send together with identity_id.'),
    metadata: {
      type: 'object',
      maxProperties: 6,
      additionalProperties: { type: 'string', maxLength: 100 },
      description: 'Up to 6 key/value pairs of your own, 100 characters each.',
    },
    await_fill_millis: {
      type: 'integer',
      minimum: 0,
      maximum: 10000,
      description: 'Let Paxos wait up to this many milliseconds for a fill before answering.',
    },
    recipient_profile_id: uuid('Profile that receives the proceeds, if not this one.'),
    self_match_prevention_id: plainString('Self-match prevention group (needs extra permission).', { maxLength: 36 }),
  }, ['profile_id', 'side', 'market', 'type']),
  allOf: [
    when({ type: 'MARKET', side: 'BUY' }, ['quote_amount']),
    when({ type: 'MARKET', side: 'SELL' }, ['base_amount']),
    when({ type: ['LIMIT', 'POST_ONLY_LIMIT', 'STOP_LIMIT'] }, ['price', 'base_amount']),
    when({ type: ['STOP_MARKET', 'STOP_LIMIT'] }, ['stop_price']),
    when({ time_in_force: 'GTT' }, ['expiration_date']),
    { if: { type: 'object', required: ['identity_id'] }, then: { required: ['identity_account_id'] } },
    { if: { type: 'object', required: ['identity_account_id'] }, then: { required: ['identity_id'] } },
  ],
};

/** The profile and order a step reads. */
export const orderRefInput = {
  profile_id: profileIdInput(),
  order_id: uuid('Id of the order (placeOrder\'s id).'),
};

/** The Paxos Order. */
export const orderOutput: JsonSchema = openObject('The Paxos Order.', {
  id: plainString('Order id (UUID).'),
  profile_id: plainString('Profile that placed the order.'),
  ref_id: plainString('The idempotency key the order was placed with.'),
  status: stringEnum(ORDER_STATUSES, 'PENDING_SUBMISSION, SUBMITTED, OPEN, FILLED, CANCELLED or REJECTED.'),
  side: stringEnum(SIDES, 'BUY or SELL.'),
  market: plainString('Market, e.g. ETHUSD.'),
  type: stringEnum(ORDER_TYPES, 'Order type.'),
  base_amount: plainString('Base amount ordered (decimal string; "" or "0" when unused).'),
  quote_amount: plainString('Quote amount ordered (decimal string; "" or "0" when unused).'),
  price: plainString('Limit price (decimal string).'),
  stop_price: plainString('Stop price (decimal string).'),
  amount_filled: plainString('Base amount filled so far (decimal string).'),
  volume_weighted_average_price: plainString('Average fill price (decimal string).'),
  time_in_force: stringEnum(TIME_IN_FORCE, 'Time in force.'),
  expiration_date: plainString('GTT expiry, RFC 3339.'),
  identity_id: plainString('Identity the order is for.'),
  identity_account_id: plainString('Account the order is for.'),
  recipient_profile_id: plainString('Profile that receives the proceeds.'),
  is_triggered: { type: 'boolean', description: 'Whether a stop order has triggered.' },
  metadata: { type: 'object', additionalProperties: { type: 'string' }, description: 'Your key/value pairs.' },
  created_at: plainString('Creation time, RFC 3339.'),
  modified_at: plainString('Last change, RFC 3339.'),
});
