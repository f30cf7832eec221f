/**
 * Masking known values in text without a regular expression per set of values.
 *
 * Each row of a batch has its own values (names, e-mails, ids), and the set grows after every step, so
 * `new RegExp(values.join('|'))` was compiled several times per row. V8 compiles a regular expression
 * it runs twice to machine code and keeps that code in its regexp cache for two full garbage
 * collections, so in a long batch tens of MB of dead code counted as live, and the heap limit (a
 * multiple of what survives) grew with every thousand rows (bench/README.md, "Where the memory goes").
 * A plain scan makes no code.
 */

/** Masks known values in a text. */
export type ValueMasker = (text: string) => string;

const WORD_OTHER = /^[\p{L}\p{N}\p{M}]$/u;
/** ASCII letters, digits and `_`, by code unit: the common case, without a regular expression. */
const ASCII_WORD = new Uint8Array(128);
for (let unit = 0; unit < 128; unit += 1) ASCII_WORD[unit] = /[A-Za-z0-9_]/.test(String.fromCharCode(unit)) ? 1 : 0;

/**
 * Whether a code point is part of a word: a letter, a digit or a combining mark of any script, or `_`.
 * Masking stops at word boundaries, so a name is never masked inside a longer word.
 */
const isWordCodePoint = (codePoint: number): boolean =>
  codePoint < 128 ? ASCII_WORD[codePoint] === 1 : WORD_OTHER.test(String.fromCodePoint(codePoint));

/** The code point that ends just before `index` (a surrogate pair whole), or -1 at the start. */
const codePointBefore = (text: string, index: number): number => {
  if (index === 0) return -1;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return low;
};

/** A form to mask, and whether its first and last code points must be at a word boundary. */
interface Form {
  readonly text: string;
  readonly wordStart: boolean;
  readonly wordEnd: boolean;
}

/** Up to this many distinct first pairs of code units, a text is searched for each pair (see below). */
const FEW_PREFIXES = 12;

/** A form with its place in the given order (the first that matches at a position wins). */
interface IndexedForm extends Form {
  readonly order: number;
}

/**
 * Replaces every whole-token occurrence of `forms` in a text with `marker`: at the leftmost position
 * where a form starts, the first form in the given order that matches there, then on after it. With
 * forms sorted longest first, that is the longest. Empty forms are ignored.
 *
 * An occurrence is whole when a form that begins with a word character (a letter, digit or mark of any
 * script, or `_`) is not preceded by one, and a form that ends with one is not followed by one: `Mark`
 * is masked in `Mark,` and `(Mark)` but not in `Market`; `123-45-6789` is masked in `SSN:123-45-6789,`.
 * A form's own punctuation at its edges needs no boundary (`-x-` is masked in `a-x-b`). This is
 * `text.replace(/(?<!\w)form1(?!\w)|.../gu, marker)` with `\w` for those characters, except that the
 * scan also matches forms holding lone surrogates, as a regular expression without the `u` flag does.
 * Forms in `anywhere` are masked wherever they occur, inside longer words too (credentials).
 */
export const createValueMasker = (forms: readonly string[], marker: string, anywhere: ReadonlySet<string> = new Set()): ValueMasker => {
  // By their first two UTF-16 code units, each list in the given order: a text's digits and letters
  // start many forms (dates, SSNs, names), and one code unit alone left dozens to try at each of them.
  // Forms of one code unit have a list of their own; an ASCII first unit is looked up in a table first,
  // so most positions of a text cost one array read.
  const byFirstTwo = new Map<number, IndexedForm[]>();
  const single = new Map<number, IndexedForm>();
  const asciiFirst = new Uint8Array(128);
  let otherFirst = false;
  /** The first one or two code units of the forms: what a search looks for (see below). */
  const starts = new Set<string>();
  forms.forEach((text, order) => {
    if (text === '') return;
    starts.add(text.slice(0, 2));
    const whole = !anywhere.has(text);
    const form: IndexedForm = {
      text,
      order,
      wordStart: whole && isWordCodePoint(text.codePointAt(0)!),
      wordEnd: whole && isWordCodePoint(codePointBefore(text, text.length)),
    };
    const first = text.charCodeAt(0);
    if (first < 128) asciiFirst[first] = 1;
    else otherFirst = true;
    if (text.length === 1) {
      if (!single.has(first)) single.set(first, form);
      return;
    }
    const key = first * 0x10000 + text.charCodeAt(1);
    const list = byFirstTwo.get(key);
    if (list) list.push(form);
    else byFirstTwo.set(key, [form]);
  });
  const matchesAt = (text: string, index: number, form: Form): boolean => {
    if (!text.startsWith(form.text, index)) return false;
    const end = index + form.text.length;
    if (form.wordStart && index > 0 && isWordCodePoint(codePointBefore(text, index))) return false;
    return !(form.wordEnd && end < text.length && isWordCodePoint(text.codePointAt(end)!));
  };
  // The masking under way (one at a time): the output so far, and how much of the text it covers.
  let out: string | undefined;
  let copied = 0;
  /** Masks the form that starts at `index`, if one does: the first in the given order that matches there. */
  const maskAt = (text: string, index: number): void => {
    const unit = text.charCodeAt(index);
    let found: IndexedForm | undefined;
    for (const form of byFirstTwo.get(unit * 0x10000 + text.charCodeAt(index + 1)) ?? []) {
      if (matchesAt(text, index, form)) {
        found = form;
        break;
      }
    }
    // A one-unit form wins only where it comes first in the given order.
    const one = single.get(unit);
    if (one !== undefined && (found === undefined || one.order < found.order) && matchesAt(text, index, one)) found = one;
    if (found === undefined) return;
    out = `${out ?? ''}${text.slice(copied, index)}${marker}`;
    copied = index + found.text.length;
  };
  // With few first pairs (the secrets of a whole batch), the engine's own search finds where they occur
  // faster than a look at every position of the text; with many (a row's values), the look is faster.
  const searched = starts.size <= FEW_PREFIXES;
  const candidates = (text: string): number[] => {
    const positions: number[] = [];
    for (const prefix of starts) {
      for (let at = text.indexOf(prefix); at !== -1; at = text.indexOf(prefix, at + 1)) positions.push(at);
    }
    return positions.sort((a, b) => a - b);
  };
  return (text) => {
    out = undefined;
    copied = 0;
    if (searched) {
      for (const index of candidates(text)) if (index >= copied) maskAt(text, index);
    } else {
      for (let index = 0; index < text.length; index = Math.max(index + 1, copied)) {
        const unit = text.charCodeAt(index);
        if (unit < 128 ? asciiFirst[unit] === 1 : otherFirst) maskAt(text, index);
      }
    }
    return out === undefined ? text : out + text.slice(copied);
  };
};
