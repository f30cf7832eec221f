import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../src/sandbox/decimal.js';
import { Ledger, SUPPORTED_ASSETS } from '../../src/sandbox/ledger.js';
import { MARKETS, MAX_MARKET_NOTIONAL, findMarket } from '../../src/sandbox/market-catalog.js';
import { commissionOn, crosses, planFills } from '../../src/sandbox/matching.js';
import { buildBook, midPrice, seedTrades, sessionStats } from '../../src/sandbox/price-model.js';
import { createTradingState } from '../../src/sandbox/trading-state.js';

const d = Decimal.parse;

const LedgerSuite = suite('trading: ledger');

LedgerSuite('credits, reserves, settles and releases exactly', () => {
  const ledger = new Ledger();
  assert.ok(ledger.isEmpty('p'));
  ledger.credit('p', 'USD', d('10000'));
  assert.equal(ledger.reserve('p', 'USD', d('1819.34')), { ok: true });
  ledger.settle('p', 'USD', d('1815.28'));
  ledger.release('p', 'USD', d('4.06'));
  const usd = ledger.get('p', 'USD');
  assert.is(usd.available.toString(), '8184.72');
  assert.is(usd.trading.toString(), '0');
  assert.not.ok(ledger.isEmpty('p'));
});

LedgerSuite('refuses a reserve beyond the available balance and changes nothing', () => {
  const ledger = new Ledger();
  ledger.credit('p', 'ETH', d('.5'));
  const result = ledger.reserve('p', 'ETH', d('0.50000001'));
  assert.is(result.ok, false);
  assert.is(!result.ok && result.available.toString(), '0.5');
  assert.is(ledger.get('p', 'ETH').available.toString(), '0.5');
  assert.is(ledger.get('p', 'ETH').trading.toString(), '0');
});

LedgerSuite('treats overdrawing the trading balance and unknown assets as bugs', () => {
  const ledger = new Ledger();
  assert.throws(() => ledger.settle('p', 'USD', d('1')), /exceeds the trading balance/);
  assert.throws(() => ledger.credit('p', 'DOGE', d('1')), /no asset DOGE/);
  assert.throws(() => ledger.credit('p', 'USD', d('-1')), /negative/);
  assert.is(SUPPORTED_ASSETS.length, 14);
});

LedgerSuite.run();

const Model = suite('trading: price model');

Model('is deterministic per seed and keeps every book on tick and uncrossed', () => {
  for (const seed of [1, 2, 3, 42, 12345, -7, 0.5]) {
    for (const spec of MARKETS) {
      const book = buildBook(spec, seed);
      assert.equal(book, buildBook(spec, seed));
      assert.is(book.asks.length, 5);
      assert.is(book.bids.length, 5);
      for (const level of [...book.asks, ...book.bids]) {
        assert.ok(level.price.isMultipleOf(spec.tick), `${spec.market} ${level.price.toString()}`);
        assert.ok(level.price.isPositive() && level.amount.isPositive());
      }
      assert.ok(book.bids[0]!.price.lt(book.asks[0]!.price), spec.market);
      for (let i = 1; i < 5; i += 1) {
        assert.ok(book.asks[i]!.price.gt(book.asks[i - 1]!.price));
        assert.ok(book.bids[i]!.price.lt(book.bids[i - 1]!.price));
      }
      const depth = (levels: typeof book.asks) => levels.reduce((sum, level) => sum.add(level.price.mul(level.amount)), Decimal.ZERO);
      assert.ok(depth(book.asks).gt(MAX_MARKET_NOTIONAL), `${spec.market} ask depth`);
      assert.ok(depth(book.bids).gt(MAX_MARKET_NOTIONAL), `${spec.market} bid depth`);
    }
  }
});

Model('keeps ETHUSD where the onboarding guide orders cross, for any seed', () => {
  const spec = findMarket('ETHUSD')!;
  for (let seed = 0; seed < 500; seed += 1) {
    const book = buildBook(spec, seed);
    assert.ok(book.asks[0]!.price.lte(d('1814.8')), `seed ${seed} ask`);
    assert.ok(book.bids[0]!.price.gte(d('1804.2')), `seed ${seed} bid`);
    assert.ok(book.asks[0]!.amount.gte(d('1')));
  }
});

Model('gives the documented default-seed ETHUSD touch', () => {
  const book = buildBook(findMarket('ETHUSD')!, 1);
  assert.is(book.asks[0]!.price.toString(), '1810.75');
  assert.is(book.bids[0]!.price.toString(), '1810.25');
  assert.is(midPrice(book).toString(), '1810.5');
  const btc = buildBook(findMarket('BTCUSD')!, 1);
  assert.ok(btc.bids[0]!.price.gt(d('26000')) && btc.asks[0]!.price.lt(d('28000')));
});

Model('derives plausible ticker figures and a seeded tape', () => {
  const book = buildBook(findMarket('BTCUSD')!, 1);
  const stats = sessionStats(book, 1, 'last_day');
  assert.ok(stats.low.lte(book.bids[0]!.price) && stats.high.gte(book.asks[0]!.price));
  assert.ok(stats.low.lte(stats.open) && stats.open.lte(stats.high));
  assert.ok(stats.volume.isPositive());
  const trades = seedTrades(book, 1);
  assert.is(trades.length, 10);
  for (const trade of trades) assert.ok(trade.amount.isPositive() && trade.amount.decimalPlaces() <= 8);
  assert.ok(trades[0]!.matchNumber > trades[9]!.matchNumber);
  assert.ok(trades[0]!.ageSeconds < trades[9]!.ageSeconds);
});

Model('builds a state with a book for every market', () => {
  const state = createTradingState(1);
  assert.is(state.books.size, MARKETS.length);
  assert.is(state.orders.size, 0);
});

Model.run();

const Matching = suite('trading: matching and commission');

const eth = buildBook(findMarket('ETHUSD')!, 1);

Matching('charges 0.25% of the notional, rounded half-up to the cent', () => {
  assert.is(commissionOn(d('1810.75')).toString(), '4.53');
  assert.is(commissionOn(d('1810.25')).toString(), '4.53');
  assert.is(commissionOn(d('1814.8')).toString(), '4.54');
  assert.is(commissionOn(d('2')).toString(), '0.01');
  assert.is(commissionOn(d('1.99')).toString(), '0');
});

Matching('fills a marketable limit at the book, not at the limit', () => {
  assert.ok(crosses(eth, 'BUY', d('1814.8')));
  assert.ok(crosses(eth, 'SELL', d('1804.2')));
  assert.not.ok(crosses(eth, 'BUY', d('1800')));
  const plan = planFills(eth, { side: 'BUY', base: d('1'), limit: d('1814.8') });
  assert.ok(plan.complete);
  assert.equal(plan.fills.map((fill) => [fill.price.toString(), fill.amount.toString()]), [['1810.75', '1']]);
  const sell = planFills(eth, { side: 'SELL', base: d('1'), limit: d('1804.2') });
  assert.equal(sell.fills.map((fill) => fill.price.toString()), ['1810.25']);
});

Matching('walks several levels and stops at the limit price', () => {
  const deep = planFills(eth, { side: 'BUY', base: d('10') });
  assert.equal(deep.fills.map((fill) => [fill.price.toString(), fill.amount.toString()]), [['1810.75', '2.5'], ['1810.95', '5'], ['1811.15', '2.5']]);
  assert.is(deep.gross.toString(), '18109.5');
  const limited = planFills(eth, { side: 'BUY', base: d('10'), limit: d('1810.95') });
  assert.is(limited.complete, false);
  assert.is(limited.amount.toString(), '7.5');
  const none = planFills(eth, { side: 'SELL', base: d('1'), limit: d('1900') });
  assert.equal(none, { fills: [], amount: Decimal.ZERO, gross: Decimal.ZERO, complete: false });
});

Matching('spends a market buy budget down to 8 decimal places', () => {
  const plan = planFills(eth, { side: 'BUY', budget: d('500') });
  assert.ok(plan.complete);
  assert.is(plan.amount.toString(), '0.27612867');
  assert.is(plan.gross.toString(), '499.9999892025');
  assert.ok(plan.gross.lte(d('500')));
  const big = planFills(eth, { side: 'BUY', budget: d('20000') });
  assert.is(big.fills.length, 3);
  assert.ok(big.gross.lte(d('20000')) && d('20000').sub(big.gross).lt(d('0.0001')));
});

Matching.run();
