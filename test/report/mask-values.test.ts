import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createValueMasker } from '../../src/report/mask-values.js';

// The masker replaced `text.replace(new RegExp(forms.map(escape).join('|'), 'g'), marker)` in the
// redactor (a compiled regexp per row's values kept dead code alive in long batches); it must mask
// exactly what that did.

const MARK = '[REDACTED]';
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const byRegExp = (forms: string[], text: string): string =>
  forms.length === 0 ? text : text.replace(new RegExp(forms.map(escapeRegExp).join('|'), 'g'), MARK);
/** As the redactor orders them: unique, longest first. */
const ordered = (forms: string[]): string[] => [...new Set(forms.filter((form) => form !== ''))].sort((a, b) => b.length - a.length);

const mask = suite('mask-values: masks as the regular expression alternation did');

mask('examples: overlaps, nesting, adjacency, prefixes, surrogates', () => {
  const cases: Array<[string[], string]> = [
    [['Ada', 'Ada Byron'], 'Ada Byron met Ada.'],
    [['aa'], 'aaaaa'],
    [['abc', 'bcd'], 'abcd bcd abc'],
    [['078-05-1120', '078051120', '051120'], 'ssn 078-05-1120 / 078051120 / x051120'],
    [['a.b*c'], 'a.b*c aXb*c'],
    [['\u{1F600}x', '\uDE00'], 'a\u{1F600}x \u{1F600}'],
    [['ada@example.org', 'ada%40example.org'], '{"email":"ada@example.org","q":"ada%40example.org"}'],
    [['x'], ''],
    [['$&', '$1'], 'cost $& and $1'],
  ];
  for (const [forms, text] of cases) {
    const sorted = ordered(forms);
    assert.is(createValueMasker(sorted, MARK)(text), byRegExp(sorted, text), `${JSON.stringify(forms)} in ${JSON.stringify(text)}`);
  }
});

mask('returns the same string when nothing matches', () => {
  const text = 'nothing to see here';
  assert.ok(createValueMasker(['secret'], MARK)(text) === text);
});

mask('property: equal to the regexp for random forms and texts over a small alphabet', () => {
  const char = fc.constantFrom('a', 'b', 'c', '-', '.', '\uD83D', '\uDE00', '[');
  const word = fc.array(char, { minLength: 1, maxLength: 5 }).map((chars) => chars.join(''));
  fc.assert(
    fc.property(fc.array(word, { maxLength: 8 }), fc.array(char, { maxLength: 60 }), (forms, chars) => {
      const sorted = ordered(forms);
      const text = chars.join('');
      return createValueMasker(sorted, MARK)(text) === byRegExp(sorted, text);
    }),
    { numRuns: 2000 },
  );
});

mask.run();
