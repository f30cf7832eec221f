import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compareDecimals, isDecimalString, normalizeDecimal, numberToDecimal } from '../../src/util/decimal.js';

const isDecimal = suite('isDecimalString');

isDecimal('accepts integers, fractions, a trailing dot and a bare fraction', () => {
  for (const text of ['0', '7', '-7', '10.50', '-0.001', '.25', '-.25', '1.', '000123.4500', '123456789012345678901234567890.123']) {
    assert.ok(isDecimalString(text), text);
  }
});

isDecimal('rejects everything else', () => {
  for (const text of ['', '-', '.', '-.', '+1', '1e5', '1.2.3', ' 1', '1 ', '1,000', 'NaN', 'Infinity', '0x10', '١']) {
    assert.not.ok(isDecimalString(text), text);
  }
  assert.not.ok(isDecimalString(12));
  assert.not.ok(isDecimalString(null));
});

isDecimal.run();

const normalize = suite('normalizeDecimal');

normalize('strips leading and trailing zeros', () => {
  assert.is(normalizeDecimal('0010.500'), '10.5');
  assert.is(normalizeDecimal('10.0'), '10');
  assert.is(normalizeDecimal('1.'), '1');
  assert.is(normalizeDecimal('.25'), '0.25');
  assert.is(normalizeDecimal('-.5'), '-0.5');
  assert.is(normalizeDecimal('-000.000100'), '-0.0001');
});

normalize('writes every zero as 0, without a sign', () => {
  for (const text of ['0', '-0', '-0.0', '000', '.0', '-.000', '0.']) assert.is(normalizeDecimal(text), '0', text);
});

normalize('keeps every digit of long values', () => {
  assert.is(normalizeDecimal('000123456789012345678901234567890.123456789000'), '123456789012345678901234567890.123456789');
});

normalize('throws a TypeError without the value for non-decimals', () => {
  assert.throws(() => normalizeDecimal('12abc'), (error: unknown) => error instanceof TypeError && !String((error as Error).message).includes('12abc'));
});

normalize.run();

const fromNumber = suite('numberToDecimal');

fromNumber('prints the shortest round-trip text without an exponent', () => {
  assert.is(numberToDecimal(0.1), '0.1');
  assert.is(numberToDecimal(10.5), '10.5');
  assert.is(numberToDecimal(-42), '-42');
  assert.is(numberToDecimal(1e21), '1000000000000000000000');
  assert.is(numberToDecimal(1.5e22), '15000000000000000000000');
  assert.is(numberToDecimal(1e-7), '0.0000001');
  assert.is(numberToDecimal(-2.5e-8), '-0.000000025');
  assert.is(numberToDecimal(-0), '0');
});

fromNumber('rejects NaN and infinities', () => {
  for (const value of [NaN, Infinity, -Infinity]) assert.throws(() => numberToDecimal(value), (error: unknown) => error instanceof RangeError);
});

fromNumber.run();

const compare = suite('compareDecimals');

compare('equal values with different spellings compare equal', () => {
  assert.is(compareDecimals('10.50', '10.5'), 0);
  assert.is(compareDecimals('.25', '0.25'), 0);
  assert.is(compareDecimals('-0', '0.000'), 0);
  assert.is(compareDecimals('1.', '1'), 0);
  assert.is(compareDecimals('007', '7.0'), 0);
});

compare('orders by value, not by text or length', () => {
  assert.is(compareDecimals('-1', '0.001'), -1);
  assert.is(compareDecimals('0.001', '-1'), 1);
  assert.is(compareDecimals('9', '10'), -1);
  assert.is(compareDecimals('-9', '-10'), 1);
  assert.is(compareDecimals('2.5', '2.49999999999999999999'), 1);
  assert.is(compareDecimals('-0.5', '-0.49'), -1);
});

compare('keeps full precision on 30-digit values', () => {
  const big = '123456789012345678901234567890';
  assert.is(compareDecimals(big, '123456789012345678901234567891'), -1);
  assert.is(compareDecimals(`${big}.000000000000000000000000000001`, big), 1);
  assert.is(compareDecimals(`-${big}`, `-${big}.0`), 0);
});

compare('accepts numbers as their decimal text', () => {
  assert.is(compareDecimals(0.1, '0.1'), 0);
  assert.is(compareDecimals(10.5, '10.50'), 0);
  assert.is(compareDecimals(1e21, '999999999999999999999'), 1);
  assert.is(compareDecimals(0.1 + 0.2, '0.3'), 1, '0.1 + 0.2 is 0.30000000000000004');
  assert.is(compareDecimals(-1, 0), -1);
});

compare('rejects non-decimals and non-finite numbers', () => {
  assert.throws(() => compareDecimals('abc', '1'), (error: unknown) => error instanceof TypeError);
  assert.throws(() => compareDecimals('1', '1e3'), (error: unknown) => error instanceof TypeError);
  assert.throws(() => compareDecimals(NaN, '1'), (error: unknown) => error instanceof RangeError);
  assert.throws(() => compareDecimals('1', Infinity), (error: unknown) => error instanceof RangeError);
});

compare.run();
