/**
 * Scalars for the fast YAML reader (fast-yaml.ts): plain scalars resolved by yaml's own core schema tags,
 * one-line quoted scalars, and the simple forms of block scalars. Like the reader, each gives up (throws
 * Unsupported) where yaml could read the text differently or report it, and the loader then uses yaml.
 */

import { Document, isScalar } from 'yaml';
import type { DocumentOptions, SchemaOptions } from 'yaml';

/** yaml's options for workflow files; the loader passes the same ones to the full parse. */
export const SCHEMA_OPTIONS: DocumentOptions & SchemaOptions = { version: '1.2', schema: 'core', merge: false, resolveKnownTags: false };

/** Thrown where the fast reader leaves the text to yaml. */
export class Unsupported extends Error {}
export const giveUp = (): never => {
  throw new Unsupported();
};

/** Characters that give a plain scalar (or key) a meaning other than text when it starts with them. */
export const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`']);

interface ScalarTag {
  test?: RegExp;
  default?: boolean | 'key';
  resolve: (text: string, onError: (message: string) => void, options: object) => unknown;
}

let coreTags: { tags: ScalarTag[]; options: object } | undefined;
/** The core schema's implicit scalar tags (null, bool, int, float), in yaml's order of testing. */
const tagsOfCore = () => {
  if (coreTags === undefined) {
    const { schema, options } = new Document(null, SCHEMA_OPTIONS);
    coreTags = { tags: (schema.tags as ScalarTag[]).filter((tag) => tag.default === true && tag.test), options };
  }
  return coreTags;
};

/** The value of a plain scalar (not a key), as yaml's core schema resolves it. */
export const plainValue = (text: string): unknown => {
  const { tags, options } = tagsOfCore();
  for (const tag of tags) {
    if (!tag.test!.test(text)) continue;
    const resolved = tag.resolve(text, giveUp, options);
    return isScalar(resolved) ? resolved.value : resolved;
  }
  return text;
};

/** Offset just past the closing quote of the one-line quoted scalar at `from`. */
export const quoteEnd = (src: string, from: number): number => {
  const quote = src[from];
  for (let at = from + 1; at < src.length; at += 1) {
    const char = src[at];
    if (char === '\n') break;
    if (quote === '"' && char === '\\') at += 1;
    else if (char === quote) {
      if (quote === "'" && src[at + 1] === "'") at += 1;
      else return at + 1;
    }
  }
  return giveUp();
};

/** The escapes of double-quoted scalars decoded here; any other is left to yaml. */
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t' };

/** The one-line quoted scalar at `start`, and the offset just past it. */
export const quotedValue = (src: string, start: number): { value: string; end: number } => {
  const end = quoteEnd(src, start);
  const body = src.slice(start + 1, end - 1);
  if (src[start] === "'") return { value: body.includes("''") ? body.replaceAll("''", "'") : body, end };
  if (!body.includes('\\')) return { value: body, end };
  return { value: body.replace(/\\(.?)/g, (_, escaped: string) => ESCAPES[escaped] ?? giveUp()), end };
};

/**
 * The text of a literal (`|`) or folded (`>`) block scalar whose header line ends at `headerEnd`, kept
 * (clip) or stripped (`-`) of its final line break, with lines indented more than `parentIndent`; and
 * the end of its last line of text. Gives up on blank lines before the text or holding spaces past its
 * indentation, trailing spaces, more-indented lines of folded text, and text that ends the file without
 * a line break. (The reader gives up on keep, `+`, and indentation indicators in the header.)
 */
export const blockScalarValue = (
  src: string,
  headerEnd: number,
  { folded, strip, parentIndent }: { folded: boolean; strip: boolean; parentIndent: number },
): { value: string; end: number } => {
  const lines: string[] = [];
  let indent = -1;
  let end = headerEnd;
  for (let lineEnd = headerEnd; lineEnd < src.length; ) {
    const start = lineEnd + 1;
    lineEnd = src.indexOf('\n', start);
    if (lineEnd === -1) lineEnd = src.length;
    let spaces = 0;
    while (src[start + spaces] === ' ') spaces += 1;
    if (start + spaces === lineEnd) {
      if (indent === -1 || spaces > indent) giveUp();
      lines.push('');
      continue;
    }
    if (indent === -1) {
      if (spaces <= parentIndent) giveUp();
      indent = spaces;
    }
    if (spaces < indent) break;
    const text = src.slice(start + indent, lineEnd);
    if (text.endsWith(' ') || (folded && text.startsWith(' '))) giveUp();
    lines.push(text);
    end = lineEnd;
  }
  if (indent === -1 || end === src.length) giveUp();
  while (lines[lines.length - 1] === '') lines.pop();
  let body = lines[0]!;
  if (!folded) body = lines.join('\n');
  else {
    let breaks = 0;
    for (const text of lines.slice(1)) {
      if (text === '') breaks += 1;
      else {
        body += breaks === 0 ? ' ' : '\n'.repeat(breaks);
        body += text;
        breaks = 0;
      }
    }
  }
  return { value: strip ? body : `${body}\n`, end };
};
