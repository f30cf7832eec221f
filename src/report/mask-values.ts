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
  // By first UTF-16 code unit, each list in the given order.
  const byFirst = new Map<number, Form[]>();
  for (const text of forms) {
    if (text === '') continue;
    const whole = !anywhere.has(text);
    const form: Form = {
      text,
      wordStart: whole && isWordCodePoint(text.codePointAt(0)!),
      wordEnd: whole && isWordCodePoint(codePointBefore(text, text.length)),
    };
    const unit = text.charCodeAt(0);
    const list = byFirst.get(unit);
    if (list) list.push(form);
    else byFirst.set(unit, [form]);
  }
  return (text) => {
    let out: string | undefined;
    let copied = 0;
    for (let index = 0; index < text.length; index += 1) {
      const candidates = byFirst.get(text.charCodeAt(index));
      if (candidates === undefined) continue;
      for (const form of candidates) {
        if (!text.startsWith(form.text, index)) continue;
        const end = index + form.text.length;
        if (form.wordStart && index > 0 && isWordCodePoint(codePointBefore(text, index))) continue;
        if (form.wordEnd && end < text.length && isWordCodePoint(text.codePointAt(end)!)) continue;
        out = `${out ?? ''}${text.slice(copied, index)}${marker}`;
        copied = end;
        index = copied - 1;
        break;
      }
    }
    return out === undefined ? text : out + text.slice(copied);
  };
};
