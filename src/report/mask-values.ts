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

/**
 * Replaces every occurrence of `forms` in a text with `marker`, exactly as
 * `text.replace(/form1|form2|.../g, marker)` with the forms escaped and in the given order: at the
 * leftmost position where a form starts, the first form in order that matches there, then on after it.
 * With forms sorted longest first, that is the longest. Empty forms are ignored.
 */
export const createValueMasker = (forms: readonly string[], marker: string): ValueMasker => {
  // By first UTF-16 code unit (a regular expression without the u flag matches code units), each list
  // in the given order.
  const byFirst = new Map<number, string[]>();
  for (const form of forms) {
    if (form === '') continue;
    const unit = form.charCodeAt(0);
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
        if (!text.startsWith(form, index)) continue;
        out = `${out ?? ''}${text.slice(copied, index)}${marker}`;
        copied = index + form.length;
        index = copied - 1;
        break;
      }
    }
    return out === undefined ? text : out + text.slice(copied);
  };
};
