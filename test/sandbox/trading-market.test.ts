import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectProblem } from './_expect.js';
import { call, startTestSandbox, type SandboxHandle } from './_helpers.js';
import { deposit, expectTrading, onboard, placeAndSettle } from './_trading.js';

type Context = { sandbox: SandboxHandle };

const Public = suite<Context>('trading: public market data');

Public.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
});

Public.after(async ({ sandbox }) => {
  await sandbox.close();
});

Public('lists the markets with their tick sizes, without a token', async ({ sandbox }) => {
  const { markets } = expectTrading(await call(sandbox, 'GET', '/v2/markets'), 'MarketList');
  const ticks = Object.fromEntries(markets.map((entry: any) => [entry.market, entry.tick_rate]));
  assert.is(ticks.BTCUSD, '0.25');
  assert.is(ticks.ETHUSD, '0.05');
  assert.is(ticks.BCHUSD, '0.05');
  for (const market of ['PAXGUSD', 'LTCUSD', 'LINKUSD', 'AAVEUSD', 'UNIUSD', 'MATICUSD', 'USDPUSD', 'SOLUSD']) assert.is(ticks[market], '0.01', market);
  assert.ok('ETHEUR' in ticks && 'BTCSGD' in ticks);
  const eth = markets.find((entry: any) => entry.market === 'ETHUSD');
  assert.equal(eth, { market: 'ETHUSD', base_asset: 'ETH', quote_asset: 'USD', tick_rate: '0.05' });
});

Public('serves an ETHUSD book around 1810 that the guide orders cross', async ({ sandbox }) => {
  const book = expectTrading(await call(sandbox, 'GET', '/v2/markets/ETHUSD/order-book'), 'OrderBook');
  assert.is(book.market, 'ETHUSD');
  assert.equal(book.asks[0], { price: '1810.75', amount: '2.50000000' });
  assert.equal(book.bids[0], { price: '1810.25', amount: '2.50000000' });
  assert.ok(Number(book.asks[0].price) <= 1814.8 && Number(book.bids[0].price) >= 1804.2);
  const prices = (levels: Array<{ price: string }>) => levels.map((level) => Number(level.price));
  assert.equal(prices(book.asks), [...prices(book.asks)].sort((a, b) => a - b));
  assert.equal(prices(book.bids), [...prices(book.bids)].sort((a, b) => b - a));
});

Public('serves tickers for one market and for all', async ({ sandbox }) => {
  const ticker = expectTrading(await call(sandbox, 'GET', '/v2/markets/BTCUSD/ticker'), 'Ticker');
  assert.is(ticker.market, 'BTCUSD');
  assert.ok(Number(ticker.best_bid.price) < Number(ticker.best_ask.price));
  assert.ok(Number(ticker.best_bid.price) > 20000 && Number(ticker.best_ask.price) < 35000);
  const { tickers } = expectTrading(await call(sandbox, 'GET', '/v2/all-markets/ticker'), 'TickerList');
  assert.is(tickers.length, 15);
  assert.equal(tickers.find((entry: any) => entry.market === 'BTCUSD').best_ask, ticker.best_ask);
});

Public('puts customer fills on the recent-executions tape and the ticker', async ({ sandbox }) => {
  const before = expectTrading(await call(sandbox, 'GET', '/v2/markets/SOLUSD/recent-executions'), 'RecentExecutionList');
  assert.is(before.items.length, 10);
  const customer = await onboard(sandbox);
  await deposit(sandbox, customer, 'USD', '1000');
  await placeAndSettle(sandbox, customer, { side: 'BUY', market: 'SOLUSD', type: 'LIMIT', price: '25', base_amount: '3' });
  const after = expectTrading(await call(sandbox, 'GET', '/v2/markets/SOLUSD/recent-executions'), 'RecentExecutionList');
  assert.is(after.items.length, 11);
  const [newest, previous] = after.items;
  assert.is(newest.amount, '3.00000000');
  assert.ok(BigInt(newest.match_number) > BigInt(previous.match_number));
  assert.ok(newest.executed_at > previous.executed_at);
  const ticker = expectTrading(await call(sandbox, 'GET', '/v2/markets/SOLUSD/ticker'), 'Ticker');
  assert.equal(ticker.last_execution, { price: newest.price, amount: '3.00000000' });
});

Public('an unknown market is 404 on every market endpoint', async ({ sandbox }) => {
  for (const suffix of ['order-book', 'ticker', 'recent-executions']) {
    expectProblem(await call(sandbox, 'GET', `/v2/markets/DOGEUSD/${suffix}`), 404, 'market not found: DOGEUSD');
  }
});

Public('the same seed gives the same book; another seed may move it within bounds', async () => {
  const first = await startTestSandbox({ seed: 7 });
  const second = await startTestSandbox({ seed: 7 });
  try {
    const a = await call(first, 'GET', '/v2/markets/ETHUSD/order-book');
    const b = await call(second, 'GET', '/v2/markets/ETHUSD/order-book');
    assert.equal(a.body, b.body);
    assert.ok(Number(a.body.asks[0].price) <= 1814.8 && Number(a.body.bids[0].price) >= 1804.2);
  } finally {
    await first.close();
    await second.close();
  }
});

Public.run();
