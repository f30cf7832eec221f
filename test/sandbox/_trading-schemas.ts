// JSON Schemas of the trading objects the emulator returns, written for these tests from the API facts.
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import * as assert from 'uvu/assert';

/** A plain non-negative decimal as the emulator writes it: no exponent, no sign, no bare leading dot. */
const DECIMAL = { type: 'string', pattern: '^(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?$' };
const EIGHT_PLACES = { type: 'string', pattern: '^(0|[1-9][0-9]*)\\.[0-9]{8}$' };
const PRICE = { type: 'string', pattern: '^(0|[1-9][0-9]*)\\.[0-9]{2,}$' };
const UUID = { type: 'string', format: 'uuid' };
const TIME = { type: 'string', format: 'date-time', pattern: 'Z$' };
const MARKET = { type: 'string', pattern: '^[A-Z]{6,9}$' };
const FIAT = { enum: ['USD', 'EUR', 'SGD'] };

const orderSchema = {
  $id: 'Order',
  type: 'object',
  additionalProperties: false,
  required: [
    'id', 'profile_id', 'status', 'side', 'market', 'type', 'base_amount', 'price', 'quote_amount', 'metadata',
    'created_at', 'modified_at', 'amount_filled', 'volume_weighted_average_price', 'time_in_force',
  ],
  properties: {
    id: UUID,
    profile_id: UUID,
    ref_id: { type: 'string', minLength: 1 },
    status: { enum: ['PENDING_SUBMISSION', 'SUBMITTED', 'OPEN', 'FILLED', 'CANCELLED', 'REJECTED'] },
    side: { enum: ['BUY', 'SELL'] },
    market: MARKET,
    type: { enum: ['LIMIT', 'MARKET', 'POST_ONLY_LIMIT', 'STOP_MARKET', 'STOP_LIMIT'] },
    base_amount: DECIMAL,
    price: DECIMAL,
    quote_amount: DECIMAL,
    metadata: { type: 'object', additionalProperties: { type: 'string' } },
    created_at: TIME,
    modified_at: TIME,
    amount_filled: EIGHT_PLACES,
    volume_weighted_average_price: EIGHT_PLACES,
    time_in_force: { enum: ['GTC', 'FOK', 'IOC', 'GTT'] },
    expiration_date: TIME,
    identity_id: UUID,
    identity_account_id: UUID,
    recipient_profile_id: UUID,
  },
};

const executionSchema = {
  $id: 'Execution',
  type: 'object',
  additionalProperties: false,
  required: [
    'execution_id', 'order_id', 'executed_at', 'market', 'side', 'amount', 'price', 'commission', 'commission_asset',
    'rebate', 'rebate_asset', 'gross_trade_amount',
  ],
  properties: {
    execution_id: { type: 'string', pattern: '^[1-9][0-9]{0,19}$' },
    order_id: UUID,
    executed_at: TIME,
    market: MARKET,
    side: { enum: ['BUY', 'SELL'] },
    amount: EIGHT_PLACES,
    price: PRICE,
    commission: { type: 'string', pattern: '^(0|[1-9][0-9]*)\\.[0-9]{2}$' },
    commission_asset: FIAT,
    rebate: DECIMAL,
    rebate_asset: FIAT,
    account_id: UUID,
    gross_trade_amount: DECIMAL,
  },
};

const balanceSchema = {
  $id: 'ProfileBalance',
  type: 'object',
  additionalProperties: false,
  required: ['asset', 'available', 'trading'],
  properties: { asset: { type: 'string', pattern: '^[A-Z]{3,5}$' }, available: DECIMAL, trading: DECIMAL },
};

const bookLevel = {
  $id: 'BookLevel',
  type: 'object',
  additionalProperties: false,
  required: ['price', 'amount'],
  properties: { price: PRICE, amount: EIGHT_PLACES },
};

const marketSchema = {
  $id: 'Market',
  type: 'object',
  additionalProperties: false,
  required: ['market', 'base_asset', 'quote_asset', 'tick_rate'],
  properties: { market: MARKET, base_asset: { type: 'string', pattern: '^[A-Z]{3,5}$' }, quote_asset: FIAT, tick_rate: DECIMAL },
};

const orderBookSchema = {
  $id: 'OrderBook',
  type: 'object',
  additionalProperties: false,
  required: ['market', 'asks', 'bids'],
  properties: {
    market: MARKET,
    asks: { type: 'array', minItems: 1, items: { $ref: 'BookLevel' } },
    bids: { type: 'array', minItems: 1, items: { $ref: 'BookLevel' } },
  },
};

const exchangeStats = {
  $id: 'ExchangeStats',
  type: 'object',
  additionalProperties: false,
  required: ['high', 'low', 'open', 'volume', 'volume_weighted_average_price', 'range'],
  properties: {
    high: PRICE, low: PRICE, open: PRICE, volume: EIGHT_PLACES, volume_weighted_average_price: EIGHT_PLACES,
    range: {
      type: 'object', additionalProperties: false, required: ['begin', 'end'],
      properties: { begin: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' } },
    },
  },
};

const tickerSchema = {
  $id: 'Ticker',
  type: 'object',
  additionalProperties: false,
  required: ['market', 'best_bid', 'best_ask', 'last_execution', 'last_day', 'today', 'snapshot_at'],
  properties: {
    market: MARKET,
    best_bid: { $ref: 'BookLevel' },
    best_ask: { $ref: 'BookLevel' },
    last_execution: { $ref: 'BookLevel' },
    last_day: { $ref: 'ExchangeStats' },
    today: { $ref: 'ExchangeStats' },
    snapshot_at: { type: 'string', format: 'date-time' },
  },
};

const recentExecution = {
  $id: 'RecentExecution',
  type: 'object',
  additionalProperties: false,
  required: ['match_number', 'price', 'amount', 'executed_at'],
  properties: {
    match_number: { type: 'string', pattern: '^[0-9]+$' }, price: PRICE, amount: EIGHT_PLACES, executed_at: { type: 'string', format: 'date-time' },
  },
};

const wrapper = (id: string, key: string, item: string, paged = false) => ({
  $id: id,
  type: 'object',
  additionalProperties: false,
  required: [key],
  properties: {
    [key]: { type: 'array', items: { $ref: item } },
    ...(paged ? { next_page_cursor: { type: 'string', minLength: 1 } } : {}),
  },
});

const ajv = new Ajv2020({ allErrors: true, strict: true });
formatsPlugin.default(ajv);
for (const schema of [
  orderSchema, executionSchema, balanceSchema, bookLevel, marketSchema, orderBookSchema, exchangeStats, tickerSchema, recentExecution,
  wrapper('OrderList', 'items', 'Order', true),
  wrapper('ExecutionList', 'items', 'Execution', true),
  wrapper('BalanceList', 'items', 'ProfileBalance'),
  wrapper('MarketList', 'markets', 'Market'),
  wrapper('TickerList', 'tickers', 'Ticker'),
  wrapper('RecentExecutionList', 'items', 'RecentExecution'),
  {
    $id: 'DepositResponse', type: 'object', additionalProperties: false, required: ['activity_id'], properties: { activity_id: UUID },
  },
  { $id: 'EmptyObject', type: 'object', maxProperties: 0 },
]) {
  ajv.addSchema(schema);
}

export type TradingSchema =
  | 'Order' | 'Execution' | 'ProfileBalance' | 'Market' | 'OrderBook' | 'Ticker' | 'OrderList' | 'ExecutionList' | 'BalanceList'
  | 'MarketList' | 'TickerList' | 'RecentExecutionList' | 'DepositResponse' | 'EmptyObject';

/** Fails the test unless `body` matches the named trading schema. */
export function assertTradingSchema(name: TradingSchema, body: unknown): void {
  const validate = ajv.getSchema(name);
  if (!validate) throw new Error(`no schema named ${name}`);
  if (!validate(body)) assert.unreachable(`${name} schema: ${ajv.errorsText(validate.errors)}`);
}
