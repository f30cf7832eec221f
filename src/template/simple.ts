/**
 * The analysis of the commonest templates without Handlebars' parser: text on one line with mustaches
 * that are dotted paths into a scope, such as `{{run.id}}-buy-3` or `{{steps.account.profile_id}}`, or
 * the bare name of a helper that takes no arguments (`{{uuid}}`). Parsing is most of the time of
 * validating a large file (issue 8), and these need no parse to analyse: each path is one reference,
 * found where Handlebars would place it. Anything else (helpers with arguments, blocks, spaces or `~`
 * inside the braces, escapes, braces in the text, several lines) returns undefined and goes to the
 * parser. The program, which only rendering needs, is built on first use as Handlebars' parser would
 * build it, so that a run whose templates are all of this kind parses none.
 */

import type { MustacheStatement, OtherStatement, Program, SourcePosition } from './ast.js';
import { helperDefinition } from './helpers.js';
import { isTemplateScope } from './scope.js';
import type { TemplateProblem, TemplateReference } from './types.js';

/** A path of two or more plain names (no `this`, no `..`, no brackets or `@`). */
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** One plain name: a helper's, when it is one. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Text between mustaches: nothing Handlebars reads specially, on one line. */
const TEXT = /^[^{}\\\n\r]*$/;

export interface SimpleAnalysis {
  isTemplate: true;
  isSingleExpression: boolean;
  readonly program: Program | undefined;
  references: readonly TemplateReference[];
  problems: readonly TemplateProblem[];
}

/** A piece of the template: text, or a mustache between `start` and `end` (0-based, braces included). */
type Piece = { text: string; start: number } | { parts: string[]; start: number; end: number };

/** Whether `{{name}}` is a call of a helper that needs no arguments (`uuid`, `test_ssn`, `now`). */
const isBareHelper = (name: string): boolean => (helperDefinition(name)?.minArgs ?? -1) === 0;

export function analyzeSimple(source: string): SimpleAnalysis | undefined {
  const references: TemplateReference[] = [];
  const pieces: Piece[] = [];
  for (let at = 0; at < source.length; ) {
    const open = source.indexOf('{{', at);
    const textEnd = open === -1 ? source.length : open;
    if (textEnd > at) {
      const text = source.slice(at, textEnd);
      if (!TEXT.test(text)) return undefined;
      pieces.push({ text, start: at });
    }
    if (open === -1) break;
    const close = source.indexOf('}}', open + 2);
    if (close === -1) return undefined;
    const inner = source.slice(open + 2, close);
    const parts = inner.split('.');
    if (NAME.test(inner) && isBareHelper(inner)) {
      pieces.push({ parts, start: open, end: close + 2 });
    } else {
      if (!PATH.test(inner) || !isTemplateScope(parts[0]) || parts.includes('this')) return undefined;
      // Handlebars places a path at its first character, 0-based; positions here are 1-based.
      references.push({ path: parts, optional: false, line: 1, col: open + 3 });
      pieces.push({ parts, start: open, end: close + 2 });
    }
    at = close + 2;
  }
  const mustaches = pieces.filter((piece) => 'parts' in piece).length;
  if (mustaches === 0) return undefined;
  let program: Program | undefined;
  return {
    isTemplate: true,
    isSingleExpression: mustaches === 1 && pieces.length === 1,
    get program() {
      program ??= buildProgram(source, pieces);
      return program;
    },
    references,
    problems: [],
  };
}

const position = (column: number): SourcePosition => ({ line: 1, column });

/** The program Handlebars' parser makes of such a template: the same nodes, fields and places. */
function buildProgram(source: string, pieces: readonly Piece[]): Program {
  const body = pieces.map((piece): MustacheStatement | OtherStatement => {
    if (!('parts' in piece)) {
      const loc = { start: position(piece.start), end: position(piece.start + piece.text.length) };
      return { type: 'ContentStatement', original: piece.text, value: piece.text, loc } as OtherStatement;
    }
    const original = piece.parts.join('.');
    const path = { type: 'PathExpression', data: false, depth: 0, parts: piece.parts, original, loc: { start: position(piece.start + 2), end: position(piece.end - 2) } } as const;
    const strip = { open: false, close: false };
    return { type: 'MustacheStatement', path, params: [], escaped: true, strip, loc: { start: position(piece.start), end: position(piece.end) } } as MustacheStatement;
  });
  return { type: 'Program', body, strip: {}, loc: { start: position(0), end: position(source.length) } } as Program;
}
