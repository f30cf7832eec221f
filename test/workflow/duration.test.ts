import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DURATION_PATTERN, MAX_DURATION_MS, parseDuration, tryParseDuration } from '../../src/workflow/duration.js';

const durations = suite('parseDuration');

durations('ms, s, m and h', () => {
  assert.is(parseDuration('500ms'), 500);
  assert.is(parseDuration('30s'), 30_000);
  assert.is(parseDuration('2m'), 120_000);
  assert.is(parseDuration('1h'), 3_600_000);
  assert.is(parseDuration('0s'), 0);
});

durations('anything else is refused', () => {
  for (const text of ['', '30', '1.5s', '-1s', '30 s', '1d', 's', '1S', ' 1s', '1s ', '1ms2']) {
    assert.is(tryParseDuration(text), undefined, text);
    assert.throws(() => parseDuration(text), RangeError);
  }
});

durations('durations longer than a timer can wait are refused', () => {
  assert.is(tryParseDuration(`${MAX_DURATION_MS}ms`), MAX_DURATION_MS);
  assert.is(tryParseDuration(`${MAX_DURATION_MS + 1}ms`), undefined);
  assert.is(tryParseDuration('596h'), 596 * 3_600_000);
  assert.is(tryParseDuration('597000h'), undefined);
  assert.is(tryParseDuration('99999999999999999999999s'), undefined);
});

durations('the schema pattern accepts exactly the forms parseDuration reads', () => {
  const pattern = new RegExp(DURATION_PATTERN);
  for (const text of ['500ms', '30s', '2m', '1h']) assert.ok(pattern.test(text));
  for (const text of ['1.5s', '1d', '30']) assert.not.ok(pattern.test(text));
});

durations.run();
