/*
 * Escaping for the HTML report. Every text that comes from a run (names, messages, inputs, outputs,
 * paths) goes through one of these; nothing from a run is ever written into markup unescaped.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// C0 controls other than tab and line breaks have no place in a page and can confuse a reader's terminal when copied.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Text for a quoted attribute value (or a text node). */
export const escapeHtml = (text: string): string => text.replace(CONTROLS, '\ufffd').replace(/[&<>"']/g, (char) => ENTITIES[char]!);

/**
 * Text for a text node only: `&`, `<` and `>` are all that can start markup there. Quotes stay as
 * they are, which keeps JSON in `<pre>` a third smaller. Never use it for an attribute value.
 */
export const escapeText = (text: string): string => text.replace(CONTROLS, '\ufffd').replace(/[&<>]/g, (char) => ENTITIES[char]!);

/**
 * JSON for the inside of a `<script type="application/json">` element: `<`, `>` and `&` as `\u` escapes, so
 * no `</script>` or `<!--` can end or change the element, and U+2028/U+2029 escaped as well, so the
 * text stays valid JavaScript if a script ever reads it as such. `JSON.parse` gives back the same value.
 */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** `name="value"` pairs, escaped, for the defined values; with a leading space when any. */
export const attributes = (pairs: Record<string, string | number | boolean | undefined>): string =>
  Object.entries(pairs)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`))
    .join('');
