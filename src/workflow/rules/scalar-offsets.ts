/**
 * From a 1-based line:col inside a scalar's string value to the offset in the YAML source. Exact for
 * text on the first line of plain and quoted scalars (escapes included) and for literal blocks (`|`);
 * elsewhere (folded text, explicit indentation indicators) it falls back to the scalar's start.
 */

import { isScalar } from 'yaml';
import type { Node } from 'yaml';

/** Source offsets, relative to the scalar, of each character of its value on the scalar's first line. */
const firstLineOffsets = (raw: string, type: string): number[] => {
  const offsets: number[] = [];
  if (type === 'PLAIN') {
    for (let index = 0; index < raw.length && raw[index] !== '\n' && raw[index] !== '\r'; index += 1) offsets.push(index);
    return offsets;
  }
  const quote = type === 'QUOTE_DOUBLE' ? '"' : "'";
  for (let index = 1; index < raw.length; ) {
    const char = raw[index]!;
    if (char === '\n' || char === '\r') break;
    if (type === 'QUOTE_SINGLE' && char === "'") {
      if (raw[index + 1] !== "'") break;
      offsets.push(index);
      index += 2;
    } else if (type === 'QUOTE_DOUBLE' && char === '\\') {
      const kind = raw[index + 1];
      const width = kind === 'x' ? 4 : kind === 'u' ? 6 : kind === 'U' ? 10 : 2;
      const codePoint = kind === 'U' ? Number.parseInt(raw.slice(index + 2, index + 10), 16) : 0;
      offsets.push(index);
      if (codePoint > 0xffff) offsets.push(index);
      index += width;
    } else if (char === quote) {
      break;
    } else {
      offsets.push(index);
      index += 1;
    }
  }
  return offsets;
};

/**
 * Offset of line:col in a literal block scalar, whose value lines are its source lines less the
 * indentation. A position past the end of a line (an error at the end of the text) goes to the end of
 * the last line with text before it.
 */
const literalOffset = (raw: string, line: number, col: number): number | undefined => {
  const headerEnd = raw.indexOf('\n');
  if (headerEnd === -1 || /[1-9]/.test(raw.slice(0, headerEnd).replace(/#.*/, ''))) return undefined;
  const lines = raw.slice(headerEnd + 1).split('\n');
  const indent = lines.find((text) => text.trim() !== '')?.search(/\S/) ?? -1;
  if (indent < 0) return undefined;
  const starts: number[] = [];
  for (let index = 0, offset = headerEnd + 1; index < lines.length; index += 1) {
    starts.push(offset);
    offset += lines[index]!.length + 1;
  }
  const target = Math.min(line, lines.length) - 1;
  const text = lines[target] ?? '';
  if (line <= lines.length && text.length >= indent && col - 1 <= text.length - indent) return starts[target]! + indent + col - 1;
  for (let index = target - (line <= lines.length && text.trim() !== '' ? 0 : 1); index >= 0; index -= 1) {
    if (lines[index]!.trim() !== '') return starts[index]! + lines[index]!.trimEnd().length;
  }
  return undefined;
};

export const offsetInScalar = (source: string, node: Node, line: number, col: number): number => {
  const range = node.range;
  if (!range) return 0;
  const start = range[0];
  if (!isScalar(node) || typeof node.value !== 'string') return start;
  const raw = source.slice(start, range[1]);
  if (node.type === 'BLOCK_LITERAL') return start + (literalOffset(raw, line, col) ?? 0);
  if (node.type !== 'PLAIN' && node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE') return start;
  if (line !== 1) return start;
  const offsets = firstLineOffsets(raw, node.type);
  // When the decoded first line is longer than the value, the mapping is off; use the scalar's start.
  if (offsets.length > node.value.length) return start;
  const exact = offsets[col - 1];
  if (exact !== undefined) return start + exact;
  // Just past the end of a one-line value (an unclosed {{ at the end): the closing quote, or the end.
  const oneLine = offsets.length === node.value.length && col - 1 === offsets.length;
  return oneLine ? start + raw.trimEnd().length - (node.type === 'PLAIN' ? 0 : 1) : start;
};
