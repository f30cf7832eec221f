/**
 * `key: {{x}}` without quotes is a flow mapping whose only key is another flow mapping, not a template.
 * This finds such values on the YAML tree, so the loader can report one clear error instead of yaml's
 * complaint about the key, and the validator can skip schema errors about the same value.
 */

import { isMap, isPair, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';

export interface UnquotedTemplate {
  /** Path of the value in the data. */
  path: (string | number)[];
  /** Offset where the value starts (its first `{`). */
  start: number;
  /** Offset of the end of the line on which the value ends: yaml may complain up to there. */
  lineEnd: number;
}

export const findUnquotedTemplates = (document: Document, source: string): UnquotedTemplate[] => {
  const found: UnquotedTemplate[] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      const range = (node as Node).range;
      if (node.flow && range && source.startsWith('{{', range[0])) {
        const newline = source.indexOf('\n', range[1]);
        found.push({ path, start: range[0], lineEnd: newline === -1 ? source.length : newline });
        return;
      }
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as { value?: unknown } | null;
        visit(pair.value, [...path, String(key?.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    }
  };
  visit(document.contents, []);
  return found;
};

/** True when `path` is `prefix` or lies below it. */
export const isWithin = (path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean =>
  prefix.length <= path.length && prefix.every((segment, index) => String(segment) === String(path[index]));
