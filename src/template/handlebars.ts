import { loadParser } from './_parser.cjs';
import type { Program, TemplatePosition } from './ast.js';

// paxflow uses Handlebars only as a parser: templates are evaluated by `evaluate.ts`, because
// Handlebars' generated code cannot keep JSON types, turns `null` into "" and adds adjacent numbers
// (`{{a}}{{b}}` -> "3" with `noEscape` in 4.7.10). Nothing is ever compiled, so only the parser's module
// is imported: Handlebars' main module would also load its compiler, its runtime and the source-map
// package (about 200 kB of the bundle, 36 CommonJS modules initialised at start-up). The parser itself
// is initialised by the first template that needs it (_parser.cjs).

export type ParseResult = { ok: true; program: Program } | { ok: false; position: TemplatePosition; message: string };

/** Handlebars' parser slows down with the square of the nesting depth (5,000 levels take seconds). */
const MAX_SCANNED_NESTING = 128;

/** Parses a template (with Handlebars' whitespace control applied). Never throws. */
export function parseTemplate(source: string): ParseResult {
  if (roughNesting(source) > MAX_SCANNED_NESTING) {
    return { ok: false, position: { line: 1, col: 1 }, message: `The template nests blocks and subexpressions more than ${MAX_SCANNED_NESTING} levels deep.` };
  }
  try {
    return { ok: true, program: loadParser().parse(source) as Program };
  } catch (error) {
    // `list.0.id` is the most common slip: Handlebars reads list items only as `list.[0].id`.
    const hint = hasNumberedPath(source) ? ' Write list items with brackets: `roles.[0]`, not `roles.0`.' : '';
    const message = `The template does not parse: check for an unclosed {{, a stray }} or a block closed with the wrong name.${hint}`;
    return { ok: false, position: syntaxErrorPosition(error), message };
  }
}

/**
 * Whether a `{{` is followed, before any `}`, by a dot and a digit (`{{list.0.id`). One pass per stretch
 * between braces: the regex /\{\{[^}]*\.\d/ takes quadratic time on a long run of `{{` (26 s for 100k).
 */
function hasNumberedPath(source: string): boolean {
  return source.split('}').some((stretch) => {
    const open = stretch.indexOf('{{');
    return open !== -1 && /\.\d/.test(stretch.slice(open + 2));
  });
}

/**
 * An upper bound of the nesting depth, found without parsing: open blocks (`{{#x`, `{{^x`) plus open parentheses
 * inside the current mustache. Parentheses inside string literals count too, which only overestimates.
 */
function roughNesting(source: string): number {
  let blocks = 0;
  let parentheses = 0;
  let deepest = 0;
  let inside = false;
  for (let index = source.indexOf('{{'); index !== -1 && index < source.length; index++) {
    if (!inside && source.startsWith('{{', index)) {
      inside = true;
      parentheses = 0;
      index += 2;
      while (source[index] === '{' || source[index] === '~') index++;
      const kind = source[index];
      const opensInverse = kind === '^' && !/^\^\s*~?\}\}/.test(source.slice(index, index + 8));
      if (kind === '#' || opensInverse) blocks += 1;
      else if (kind === '/') blocks = Math.max(0, blocks - 1);
    } else if (inside && source.startsWith('}}', index)) {
      inside = false;
      index += 1;
    } else if (inside && source[index] === '(') {
      parentheses += 1;
    } else if (inside && source[index] === ')') {
      parentheses -= 1;
    }
    deepest = Math.max(deepest, blocks + parentheses);
  }
  return deepest;
}

/**
 * Where parsing stopped. Errors from Handlebars' AST builder carry `lineNumber` and a 0-based `column`;
 * errors from its generated parser carry neither, but the lexer still holds the token it stopped at.
 * The error's message is never used: it quotes the template, which may hold personal data.
 */
function syntaxErrorPosition(error: unknown): TemplatePosition {
  const { lineNumber, column } = (error ?? {}) as { lineNumber?: unknown; column?: unknown };
  if (typeof lineNumber === 'number') return { line: lineNumber, col: (typeof column === 'number' ? column : 0) + 1 };
  const location = loadParser().parser.lexer?.yylloc;
  return { line: location?.first_line ?? 1, col: (location?.first_column ?? 0) + 1 };
}
