import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal, parseAmount } from '../../src/sandbox/decimal.js';

const d = Decimal.parse;

const Parse = suite('decimal: parse and print');

Parse('reads the forms Paxos uses and prints them in shortest form', () => {
  assert.is(d('.25').toString(), '0.25');
  assert.is(d('1814.8').toString(), '1814.8');
  assert.is(d('1814.80').toString(), '1814.8');
  assert.is(d('0010').toString(), '10');
  assert.is(d('0').toString(), '0');
  assert.is(d('0.000').toString(), '0');
  assert.is(d('-1.50').toString(), '-1.5');
  assert.is(d('0.00000001').toString(), '0.00000001');
});

Parse('refuses what is not a plain decimal', () => {
  for (const text of ['', '.', '1.', '1e5', ' 1', '1 ', '+1', '1,5', '--1', '0x10', 'NaN', '1.2.3', '٣']) {
    assert.is(Decimal.tryParse(text), undefined, text);
  }
  assert.throws(() => d('abc'));
  assert.is(Decimal.tryParse('9'.repeat(65)), undefined);
});

Parse('prints fixed places with rounding', () => {
  assert.is(d('1').toFixed(8), '1.00000000');
  assert.is(d('2.345').toFixed(2), '2.35');
  assert.is(d('-2.345').toFixed(2), '-2.35');
  assert.is(d('2.345').toFixed(2, 'down'), '2.34');
  assert.is(d('0.5').toFixed(0), '1');
  assert.is(d('.25').toFixed(1, 'half-even'), '0.2');
  assert.is(Decimal.ZERO.toFixed(2), '0.00');
  assert.is(JSON.stringify({ amount: d('1.10') }), '{"amount":"1.1"}');
});

Parse.run();

const Arithmetic = suite('decimal: arithmetic');

Arithmetic('adds, subtracts and multiplies exactly', () => {
  assert.is(d('0.1').add(d('0.2')).toString(), '0.3');
  assert.is(d('10000').sub(d('1815.28')).toString(), '8184.72');
  assert.is(d('1810.75').mul(d('0.0025')).toString(), '4.526875');
  assert.is(d('.25').add(d('.25')).toString(), '0.5');
  assert.is(d('1').sub(d('1.00000001')).toString(), '-0.00000001');
});

Arithmetic('keeps huge values exact', () => {
  const big = d('123456789012345678901234567890.123456789');
  assert.is(big.add(big).toString(), '246913578024691357802469135780.246913578');
  assert.is(big.mul(d('1000000000')).toString(), '123456789012345678901234567890123456789');
  assert.is(d('99999999999999999999').add(d('0.00000001')).toString(), '99999999999999999999.00000001');
});

Arithmetic('divides at a chosen scale with every rounding mode', () => {
  const one = d('1');
  const three = d('3');
  assert.is(one.div(three, 8, 'down').toString(), '0.33333333');
  assert.is(one.div(three, 8, 'up').toString(), '0.33333334');
  assert.is(d('2').div(three, 8, 'half-up').toString(), '0.66666667');
  assert.is(d('-2').div(three, 8, 'half-up').toString(), '-0.66666667');
  assert.is(d('-1').div(three, 2, 'floor').toString(), '-0.34');
  assert.is(d('-1').div(three, 2, 'ceil').toString(), '-0.33');
  assert.is(d('500').div(d('1810.75'), 8, 'down').toString(), '0.27612867');
  assert.is(d('1').div(d('8'), 2, 'half-even').toString(), '0.12');
  assert.is(d('3').div(d('8'), 2, 'half-even').toString(), '0.38');
  assert.is(d('10').div(d('.25'), 0, 'down').toString(), '40');
  assert.throws(() => one.div(Decimal.ZERO, 2, 'down'), /division by zero/);
});

Arithmetic('rounds half-up away from zero at a tie', () => {
  assert.is(d('4.525').round(2, 'half-up').toString(), '4.53');
  assert.is(d('4.524999').round(2, 'half-up').toString(), '4.52');
  assert.is(d('-4.525').round(2, 'half-up').toString(), '-4.53');
  assert.is(d('4.5').round(3, 'down').toFixed(3), '4.500');
});

Arithmetic('compares across scales and checks tick multiples', () => {
  assert.ok(d('1.50').eq(d('1.5')));
  assert.ok(d('.25').lt(d('0.3')));
  assert.ok(d('1814.8').gte(d('1814.80')));
  assert.is(d('2').cmp(d('10')), -1);
  assert.ok(d('1814.8').isMultipleOf(d('0.05')));
  assert.not.ok(d('1814.83').isMultipleOf(d('0.05')));
  assert.ok(d('27000.75').isMultipleOf(d('0.25')));
  assert.not.ok(d('27000.1').isMultipleOf(d('0.25')));
  assert.is(Decimal.max(d('1'), d('2')).toString(), '2');
  assert.is(d('1.2300').decimalPlaces(), 2);
});

Arithmetic.run();

const Amounts = suite('decimal: request amounts');

Amounts('accepts positive amounts in the Paxos pattern', () => {
  const result = parseAmount('.25');
  assert.ok(result.ok && result.value.toString() === '0.25');
  assert.ok(parseAmount('10000').ok);
  assert.ok(parseAmount('1.10000000000', 8).ok, 'trailing zeros do not count as places');
});

Amounts('refuses zero, negatives, other shapes and too many places', () => {
  for (const text of ['0', '0.0', '-10', '1.', '1e3', '', 'abc', ' 1']) {
    assert.equal(parseAmount(text), { ok: false, fault: 'must be positive decimal' }, text);
  }
  assert.equal(parseAmount('0.123456789', 8), { ok: false, fault: 'exceeds 8 decimal places' });
  assert.equal(parseAmount('10.001', 2), { ok: false, fault: 'exceeds 2 decimal places' });
});

Amounts.run();
