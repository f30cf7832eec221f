/**
 * The analysis of the commonest templates without Handlebars' parser: text on one line with mustaches
 * that are dotted paths into a scope, such as `{{run.id}}-buy-3` or `{{steps.account.profile_id}}`.
 * Parsing is most of the time of validating a large file (issue 8), and these need no parse to analyse:
 * each mustache is one reference, found where Handlebars would place it. Anything else (helpers,
 * blocks, spaces or `~` inside the braces, escapes, braces in the text, several lines) returns
 * undefined and goes to the parser. The program, which only rendering needs, is parsed on first use.
 */

import type { Program } from './ast.js';
import { parseTemplate } from './handlebars.js';
import { isTemplateScope } from './scope.js';
import type { TemplateProblem, TemplateReference } from './types.js';

/** A path of two or more plain names (no `this`, no `..`, no brackets or `@`). */
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** Text between mustaches: nothing Handlebars reads specially, on one line. */
const TEXT = /^[^{}\\\n\r]*$/;

export interface SimpleAnalysis {
  isTemplate: true;
  isSingleExpression: boolean;
  readonly program: Program | undefined;
  references: readonly TemplateReference[];
  problems: readonly TemplateProblem[];
}

export function analyzeSimple(source: string): SimpleAnalysis | undefined {
  const references: TemplateReference[] = [];
  let hasText = false;
  for (let at = 0; at < source.length; ) {
    const open = source.indexOf('{{', at);
    const textEnd = open === -1 ? source.length : open;
    if (textEnd > at) {
      if (!TEXT.test(source.slice(at, textEnd))) return undefined;
      hasText = true;
    }
    if (open === -1) break;
    const close = source.indexOf('}}', open + 2);
    if (close === -1) return undefined;
    const inner = source.slice(open + 2, close);
    if (!PATH.test(inner)) return undefined;
    const parts = inner.split('.');
    if (!isTemplateScope(parts[0]) || parts.includes('this')) return undefined;
    // Handlebars places a path at its first character, 0-based; positions here are 1-based.
    references.push({ path: parts, optional: false, line: 1, col: open + 3 });
    at = close + 2;
  }
  if (references.length === 0) return undefined;
  let program: Program | undefined;
  let parsed = false;
  return {
    isTemplate: true,
    isSingleExpression: references.length === 1 && !hasText,
    get program() {
      if (!parsed) {
        const result = parseTemplate(source);
        program = result.ok ? result.program : undefined;
        parsed = true;
      }
      return program;
    },
    references,
    problems: [],
  };
}
