import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createValueMasker } from '../../src/report/mask-values.js';

// The masker replaced a regular expression alternation of the escaped forms in the redactor (a compiled
// regexp per row's values kept dead code alive in long batches). It masks whole tokens: a form that
// begins (ends) with a letter, digit, mark or `_` must not have one before (after) it. Forms given as
// `anywhere` are masked as plain substrings, as the alternation did.

const MARK = '[REDACTED]';
const WORD_ANY = '[\\p{L}\\p{N}\\p{M}_]';
// The word characters of the property's alphabet, spelled out: a regexp with \p{L} takes ms to compile.
const WORD_SMALL = '[ab1é\\u0301_\\u{1D49C}]';
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WORD_CHAR = new RegExp(WORD_ANY, 'u');
const isWord = (char: string | undefined): boolean => char !== undefined && WORD_CHAR.test(char);
const byRegExp = (forms: string[], text: string, anywhere: ReadonlySet<string> = new Set(), WORD = WORD_ANY): string => {
  if (forms.length === 0) return text;
  const alternatives = forms.map((form) => {
    const chars = [...form];
    const whole = !anywhere.has(form);
    return `${whole && isWord(chars[0]) ? `(?<!${WORD})` : ''}${escapeRegExp(form)}${whole && isWord(chars.at(-1)) ? `(?!${WORD})` : ''}`;
  });
  return text.replace(new RegExp(alternatives.join('|'), 'gu'), MARK);
};
/** As the redactor orders them: unique, longest first. */
const ordered = (forms: string[]): string[] => [...new Set(forms.filter((form) => form !== ''))].sort((a, b) => b.length - a.length);

const mask = suite('mask-values: masks whole tokens, as a regular expression with word boundaries');

mask('a value is masked as a whole token, never inside a longer word', () => {
  const m = (forms: string[], text: string) => createValueMasker(ordered(forms), MARK)(text);
  assert.is(m(['Mark'], 'Market orders for Mark, (Mark) and Mark.'), `Market orders for ${MARK}, (${MARK}) and ${MARK}.`);
  assert.is(m(['Alan'], 'Also Alana, Alan_x, xAlan; Alan'), `Also Alana, Alan_x, xAlan; ${MARK}`);
  assert.is(m(['123-45-6789'], 'SSN:123-45-6789, id 9123-45-67890'), `SSN:${MARK}, id 9123-45-67890`);
  assert.is(m(['ada@example.org'], '<ada@example.org> mada@example.org ada@example.org.'), `<${MARK}> mada@example.org ${MARK}.`);
  // Edges that are punctuation need no boundary of their own.
  assert.is(m(['-x-'], 'a-x-b'), `a${MARK}b`);
  assert.is(m(['"q"'], 'say"q"now'), `say${MARK}now`);
  // Letters of other scripts, combining marks and astral letters are word characters too.
  assert.is(m(['José'], 'Josélito José'), `Josélito ${MARK}`);
  assert.is(m(['Jose'], 'Jose\u0301 Jose'), `Jose\u0301 ${MARK}`);
  assert.is(m(['Ива'], 'Иван Ива'), `Иван ${MARK}`);
  assert.is(m(['ab'], 'ab\u{1D49C} \u{1D49C}ab ab\u{1F600}'), `ab\u{1D49C} \u{1D49C}ab ${MARK}\u{1F600}`);
  assert.is(m(['4567'], '1234567 4567'), `1234567 ${MARK}`);
});

mask('forms given as anywhere are masked inside longer words too', () => {
  const forms = ordered(['Secret99', 'Mark']);
  assert.is(createValueMasker(forms, MARK, new Set(['Secret99']))('xSecret99y Market'), `x${MARK}y Market`);
});

mask('examples: overlaps, nesting, adjacency, prefixes, surrogates', () => {
  const cases: Array<[string[], string]> = [
    [['Ada', 'Ada Byron'], 'Ada Byron met Ada.'],
    [['aa'], 'aaaaa aa'],
    [['abc', 'bcd'], 'abcd bcd abc'],
    [['078-05-1120', '078051120', '051120'], 'ssn 078-05-1120 / 078051120 / x051120'],
    [['a.b*c'], 'a.b*c aXb*c'],
    [['ada@example.org', 'ada%40example.org'], '{"email":"ada@example.org","q":"ada%40example.org"}'],
    [['x'], ''],
    [['$&', '$1'], 'cost $& and $1'],
  ];
  for (const [forms, text] of cases) {
    const sorted = ordered(forms);
    assert.is(createValueMasker(sorted, MARK)(text), byRegExp(sorted, text), `${JSON.stringify(forms)} in ${JSON.stringify(text)}`);
  }
  // Lone surrogates match as code units, as a regular expression without the u flag does.
  assert.is(createValueMasker(['\uDE00'], MARK)('a\uDE00'), `a${MARK}`);
});

mask('returns the same string when nothing matches', () => {
  const text = 'nothing to see here';
  assert.ok(createValueMasker(['secret'], MARK)(text) === text);
  assert.ok(createValueMasker(['here'], MARK)('theres') === 'theres');
});

mask('property: equal to the regexp for random forms and texts over a small alphabet', () => {
  const char = fc.constantFrom('a', 'b', '1', 'é', '\u0301', '-', '.', '\u{1F600}', '\u{1D49C}', ' ', '_');
  const word = fc.array(char, { minLength: 1, maxLength: 5 }).map((chars) => chars.join(''));
  fc.assert(
    fc.property(fc.array(word, { maxLength: 8 }), fc.array(char, { maxLength: 60 }), fc.array(fc.boolean(), { maxLength: 8 }), (forms, chars, flags) => {
      const sorted = ordered(forms);
      const anywhere = new Set(sorted.filter((_, i) => flags[i] === true));
      const text = chars.join('');
      return createValueMasker(sorted, MARK, anywhere)(text) === byRegExp(sorted, text, anywhere, WORD_SMALL);
    }),
    { numRuns: 2000 },
  );
});

mask('property: the same with many first pairs, where the masker looks at every position instead of searching', () => {
  const char = fc.constantFrom('a', 'b', '1', 'é', '\u0301', '-', '.', '\u{1F600}', '\u{1D49C}', ' ', '_');
  const word = fc.array(char, { minLength: 1, maxLength: 5 }).map((chars) => chars.join(''));
  // Forms that never occur, each with a first pair of its own: more pairs than the masker searches for.
  const absent = Array.from({ length: 16 }, (_, i) => `Q${String.fromCharCode(0x41 + i)}z`);
  fc.assert(
    fc.property(fc.array(word, { maxLength: 12 }), fc.array(char, { maxLength: 60 }), fc.array(fc.boolean(), { maxLength: 12 }), (forms, chars, flags) => {
      const sorted = ordered([...forms, ...absent]);
      const anywhere = new Set(sorted.filter((_, i) => flags[i] === true));
      const text = chars.join('');
      return createValueMasker(sorted, MARK, anywhere)(text) === byRegExp(sorted, text, anywhere, WORD_SMALL);
    }),
    { numRuns: 2000 },
  );
});

mask.run();
