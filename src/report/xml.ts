/** Writing XML 1.0 text safely: enough for JUnit reports, no dependency needed. */

// Characters XML 1.0 does not allow at all, even escaped: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text content: markup characters escaped, forbidden characters dropped. */
export const xmlText = (text: string): string => text.replace(FORBIDDEN, '').replace(/[&<>]/g, (char) => ENTITIES[char]!);

/** An attribute value (without the quotes): also escapes quotes and keeps line breaks and tabs as they were. */
export const xmlAttribute = (text: string): string =>
  text
    .replace(FORBIDDEN, '')
    .replace(/[&<>"']/g, (char) => ENTITIES[char]!)
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');

/** `name="value"` pairs for a start tag; `undefined` values are left out. */
export const xmlAttributes = (attributes: Record<string, string | number | undefined>): string =>
  Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${xmlAttribute(String(value))}"`)
    .join('');
