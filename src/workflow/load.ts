/**
 * YAML text to a document with source positions and a plain JS value. Pure: no I/O.
 *
 * Guards come before parsing: a size cap, and a nesting-depth cap measured with yaml's iterative Lexer,
 * because deeply nested input can crash the whole process inside the recursive parts of the parser.
 * yaml's own messages quote the source line (which may hold personal data), so only its codes and
 * offsets are used, with our own text.
 */

import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Parser, YAMLParseError } from 'yaml';
import type { Document, DocumentOptions, Node, ParseOptions, SchemaOptions } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { DIAGNOSTIC_CODES, yamlCode } from './codes.js';
import { unclosedQuote } from './quotes.js';
import { lineCounterFor, toPosition } from './locate.js';
import type { DocPath, Position } from './types.js';
import { findUnquotedTemplates, type UnquotedTemplate } from './rules/unquoted-template.js';
import { fastKeyOffsets, fastLoad, SCHEMA_OPTIONS } from './fast-yaml.js';

export interface LoadOptions {
  /** Largest accepted source, in UTF-8 bytes. @default 1048576 (1 MiB) */
  maxBytes?: number;
  /** Deepest accepted nesting of lists and mappings. @default 64 */
  maxDepth?: number;
}

/** The outcome of loading: `value` is there only when the document could be read as data. */
export interface LoadedWorkflow {
  /** The text that was loaded; positions and template columns are computed from it. */
  source: string;
  document?: Document.Parsed;
  lineCounter?: LineCounter;
  /** The root mapping as plain data, sharing no objects between aliases, without forbidden keys. */
  value?: Record<string, unknown>;
  /**
   * `Workflow.locate` without yaml's document, where the loader can answer it (a file the fast reader took):
   * the same positions as a locator on `document` gives.
   */
  locate?: (path: DocPath) => Position | undefined;
  /** Templates YAML read as mappings (each reported as UNQUOTED_TEMPLATE), so validation does not look again. */
  unquotedTemplates?: UnquotedTemplate[];
  diagnostics: Diagnostic[];
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;
const MAX_ALIAS_COUNT = 100;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** yaml problems after which the data is still what the author meant (the diagnostic is kept). */
const RECOVERABLE_YAML = new Set(['TAG_RESOLVE_FAILED']);
/** Lexer tokens that mark a position without standing for source text. */
const ZERO_WIDTH_TOKENS = new Set(['\x02', '\x18', '\x1f']);

/**
 * The offset at which nesting first gets deeper than `limit`, or undefined. Flow collections (`[`, `{`)
 * are counted exactly; block collections are estimated from indentation and from `-`, `?` and `:`
 * indicators that open a nested level on the same line. The estimate is never more than one level too
 * deep for ordinary files, and stays within a small factor of the true depth for hostile ones.
 */
export const findExcessiveNesting = (source: string, limit: number): number | undefined => nestingTooDeep(new Lexer().lex(source), limit);

/** {@link findExcessiveNesting} over the lexemes of the source, as yaml's `Lexer` yields them. */
const nestingTooDeep = (lexemes: Iterable<string>, limit: number): number | undefined => {
  const indents: number[] = [];
  let flow = 0;
  let offset = 0;
  let lineStart = 0;
  let atLineStart = true;
  let afterIndicator = false;
  const open = (column: number): boolean => {
    while (indents.length > 0 && indents[indents.length - 1]! > column) indents.pop();
    if (indents.length === 0 || indents[indents.length - 1]! < column) indents.push(column);
    return indents.length + flow > limit;
  };
  let scalarText = false;
  for (const token of lexemes) {
    if (ZERO_WIDTH_TOKENS.has(token) || token.length === 0) {
      // The scalar marker comes before plain and block scalar text, which may start with [ or {.
      scalarText = token === '\x1f';
      continue;
    }
    const start = offset;
    offset += token.length;
    const first = scalarText ? '' : token[0]!;
    scalarText = false;
    if (token === '\n' || token === '\r\n') {
      lineStart = offset;
      atLineStart = true;
      afterIndicator = false;
      continue;
    }
    if (token === first && (first === '[' || first === '{')) {
      flow += 1;
      if (indents.length + flow > limit) return start;
    } else if (token === first && (first === ']' || first === '}')) {
      flow = Math.max(0, flow - 1);
    } else if (flow === 0 && first !== '#' && first !== '%' && /\S/.test(token)) {
      if (token === '---' || token === '...') {
        indents.length = 0;
      } else if (atLineStart || afterIndicator) {
        const column = start + (token.length - token.trimStart().length) - lineStart;
        if (open(column)) return start;
      }
      afterIndicator = token === '-' || token === '?' || token === ':';
    }
    if (/\S/.test(token) && first !== '#') atLineStart = false;
    const newline = token.lastIndexOf('\n');
    if (newline !== -1 && token.length > 1) {
      lineStart = start + newline + 1;
      atLineStart = newline === token.length - 1;
    }
  }
  return undefined;
};

/** The first alias in the document, to place an alias-limit error. */
const firstAlias = (node: unknown): Node | undefined => {
  if (isAlias(node)) return node;
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      const found = isPair(item) ? (firstAlias(item.key) ?? firstAlias(item.value)) : firstAlias(item);
      if (found) return found;
    }
  }
  return undefined;
};

/** Offsets of keys that repeat an earlier key of their mapping, and of keys that are forbidden. */
const keyProblems = (node: unknown, found = { duplicate: [] as number[], forbidden: [] as number[] }) => {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (isScalar(pair.key)) {
        const key = String(pair.key.value);
        const at = pair.key.range?.[0] ?? 0;
        if (seen.has(key)) found.duplicate.push(at);
        if (FORBIDDEN_KEYS.has(key)) found.forbidden.push(at);
        seen.add(key);
      }
      keyProblems(pair.value, found);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) keyProblems(item, found);
  }
  return found;
};

/** Aliases can repeat a large anchored value; copying stops past this many values or this depth. */
const MAX_COPIED_VALUES = 1_000_000;
const MAX_COPIED_DEPTH = 1000;

class CopyLimit extends Error {
  constructor(readonly reason: 'size' | 'depth') {
    super(reason);
  }
}

/**
 * A copy that shares no objects (aliases yield the same object in yaml's output) and drops forbidden
 * keys. Copying expands aliases, so it is bounded: yaml's alias limit counts aliases, not their size.
 */
const freshCopy = (value: unknown): unknown => {
  let budget = MAX_COPIED_VALUES;
  const copy = (item: unknown, depth: number): unknown => {
    budget -= 1;
    if (budget < 0) throw new CopyLimit('size');
    if (depth > MAX_COPIED_DEPTH) throw new CopyLimit('depth');
    if (Array.isArray(item)) return item.map((child) => copy(child, depth + 1));
    if (item === null || typeof item !== 'object') return item;
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(item)) if (!FORBIDDEN_KEYS.has(key)) result[key] = copy(child, depth + 1);
    return result;
  };
  return copy(value, 0);
};

/**
 * yaml's `parseDocument(source, options)`, from lexemes of `source` already made: the same parser and
 * composer, and the same MULTIPLE_DOCS error for a second document.
 */
const composeDocument = (
  source: string,
  lexemes: readonly string[],
  lineCounter: LineCounter,
  options: DocumentOptions & ParseOptions & SchemaOptions,
): Document.Parsed => {
  const parser = new Parser(lineCounter.addNewLine);
  const tokens = function* () {
    lineCounter.addNewLine(0);
    for (const lexeme of lexemes) yield* parser.next(lexeme);
    yield* parser.end();
  };
  let document: Document.Parsed | undefined;
  for (const next of new Composer(options).compose(tokens(), true, source.length)) {
    if (document === undefined) document = next;
    else {
      document.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
      break;
    }
  }
  // compose(..., forceDoc = true) always yields a document, an empty one for empty input.
  return document!;
};

/** yaml's document of `source` (lexed as `lexemes`), with the options every workflow file is read with. */
const composeWithYaml = (source: string, lexemes: readonly string[]): { document: Document.Parsed; lineCounter: LineCounter } => {
  const lineCounter = new LineCounter();
  const document = composeDocument(source, lexemes, lineCounter, {
    // YAML 1.2 core: `yes`, `on` and dates stay strings; a %YAML 1.1 directive does not change the schema.
    // No `<<` merge keys and no !!binary, !!set, !!timestamp...: an unknown tag is a warning, reported.
    ...SCHEMA_OPTIONS,
    // Duplicate keys are found by keyProblems: yaml's own check compares each key with every earlier
    // one, which takes seconds for a mapping of a few ten thousand keys.
    uniqueKeys: false,
    // Keys are strings; a list or mapping as a key is an error (and `{{x}}` unquoted is caught by it).
    stringKeys: true,
    strict: true,
    // Positions come from our LineCounter; yaml's pretty messages would quote the source line.
    prettyErrors: false,
    // yaml would otherwise print warnings (quoting keys of the file) to the process's stderr.
    logLevel: 'error',
    lineCounter,
  });
  return { document, lineCounter };
};

/**
 * Loads workflow text. Collects every problem it can find; never throws for bad input.
 *
 * Most files are read by the fast reader (fast-yaml.ts), which builds only the value; yaml's document,
 * which places problems, is then built the first time `document` or `lineCounter` is read, which
 * validation does only when it has a problem to place. Anything the fast reader does not take, or on
 * which yaml might report a problem, goes through yaml at once, as before.
 */
export const loadWorkflow = (source: string, file: string, options: LoadOptions = {}): LoadedWorkflow => {
  const { maxBytes = DEFAULT_MAX_BYTES, maxDepth = DEFAULT_MAX_DEPTH } = options;
  if (Buffer.byteLength(source, 'utf8') > maxBytes) return loadWithYaml(source, file, options);
  const fast = fastLoad(source, maxDepth);
  if (fast === undefined) return loadWithYaml(source, file, options);
  // Only the document: the fast reader took the file, so yaml has nothing to report and the value is known.
  let full: ReturnType<typeof composeWithYaml> | undefined;
  const parsed = () => (full ??= composeWithYaml(source, [...new Lexer().lex(source)]));
  // The runner locates every step; a second fast read that keeps offsets is cheaper than yaml's document.
  let offsetOf: ReturnType<typeof fastKeyOffsets> | undefined;
  let lines: LineCounter | undefined;
  return {
    locate: (path) => {
      offsetOf ??= fastKeyOffsets(source, maxDepth);
      const at = offsetOf(path);
      return at === undefined ? undefined : toPosition((lines ??= lineCounterFor(source)), at);
    },
    source,
    get document() {
      return parsed().document;
    },
    get lineCounter() {
      return parsed().lineCounter;
    },
    value: fast.value,
    unquotedTemplates: [],
    diagnostics: [],
  };
};

/** {@link loadWorkflow} through yaml's parser alone: the document at once, and every problem yaml finds. */
export const loadWithYaml = (source: string, file: string, options: LoadOptions = {}): LoadedWorkflow => {
  const { maxBytes = DEFAULT_MAX_BYTES, maxDepth = DEFAULT_MAX_DEPTH } = options;
  const diagnostic = (code: keyof typeof DIAGNOSTIC_CODES, message: string, counter: LineCounter, offset: number): Diagnostic => ({
    code,
    message,
    file,
    ...toPosition(counter, offset),
  });

  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > maxBytes) {
    const message = `the file has ${bytes} bytes; the limit is ${maxBytes}`;
    return { source, diagnostics: [{ code: 'FILE_TOO_LARGE', message, file }] };
  }
  // YAML 1.2 breaks lines at LF and CRLF only: a file saved with lone CRs (old Mac style) is one long
  // line to it, and its errors would make no sense to the person who sees several lines in an editor.
  const loneCr = source.search(/\r(?!\n)/);
  if (loneCr !== -1) {
    const message = 'a line ends with a lone carriage return (CR), which YAML does not read as a line break; save the file with LF or CRLF line endings';
    return { source, diagnostics: [diagnostic('LONE_CR', message, lineCounterFor(source), loneCr)] };
  }
  // Lexed once: the nesting check reads the lexemes first, and only then does the parser get them.
  const lexemes = [...new Lexer().lex(source)];
  const tooDeep = nestingTooDeep(lexemes, maxDepth);
  if (tooDeep !== undefined) {
    const message = `lists and mappings are nested more than ${maxDepth} levels deep here`;
    return { source, diagnostics: [diagnostic('NESTING_TOO_DEEP', message, lineCounterFor(source), tooDeep)] };
  }

  const { document, lineCounter } = composeWithYaml(source, lexemes);
  const diagnostics: Diagnostic[] = [];
  const unquoted = findUnquotedTemplates(document, source);
  const loaded = (value?: Record<string, unknown>): LoadedWorkflow => ({
    source,
    document,
    lineCounter,
    ...(value === undefined ? {} : { value }),
    unquotedTemplates: unquoted,
    diagnostics,
  });

  for (const { start } of unquoted) {
    const message = 'this template is not quoted, so YAML reads it as a mapping; write it in quotes: key: "{{...}}"';
    diagnostics.push(diagnostic('UNQUOTED_TEMPLATE', message, lineCounter, start));
  }
  let fatal = false;
  const quoteMissing = document.errors.some((problem) => problem.code === 'MISSING_CHAR' && problem.message.includes('quote'));
  const open = quoteMissing ? unclosedQuote(lexemes, ZERO_WIDTH_TOKENS) : undefined;
  if (open) {
    fatal = true;
    diagnostics.push(diagnostic('YAML_MISSING_CHAR', `a quoted value opens here and is never closed; add the closing ${open.quote}`, lineCounter, open.offset));
  }
  for (const problem of [...document.errors, ...document.warnings]) {
    // yaml places some errors at the indentation before the offending text; point at the text.
    const at = problem.pos[0] + (/^[ \t]*/.exec(source.slice(problem.pos[0], problem.pos[0] + 1024))?.[0].length ?? 0);
    if (unquoted.some(({ start, lineEnd }) => at >= start && at <= lineEnd)) continue;
    const code = yamlCode(problem.code);
    if (!RECOVERABLE_YAML.has(problem.code)) fatal = true;
    // Everything after an unclosed quote is inside it: yaml's errors there (where the file or the flow
    // ends) are its echoes. It is reported once, where it opens.
    if (open && at >= open.offset) continue;
    diagnostics.push(diagnostic(code, DIAGNOSTIC_CODES[code], lineCounter, at));
  }
  if (fatal) return loaded();

  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null && root.source === '')) {
    diagnostics.push(diagnostic('EMPTY_FILE', DIAGNOSTIC_CODES.EMPTY_FILE, lineCounter, 0));
    return loaded();
  }
  if (!isMap(root)) {
    const message = 'the top level must be a mapping with version:, name: and steps:';
    diagnostics.push(diagnostic('ROOT_NOT_MAPPING', message, lineCounter, root.range?.[0] ?? 0));
    return loaded();
  }
  const keys = keyProblems(root);
  for (const at of keys.duplicate) diagnostics.push(diagnostic('YAML_DUPLICATE_KEY', DIAGNOSTIC_CODES.YAML_DUPLICATE_KEY, lineCounter, at));
  for (const at of keys.forbidden) {
    const message = 'keys named __proto__, constructor or prototype are not allowed';
    diagnostics.push(diagnostic('FORBIDDEN_KEY', message, lineCounter, at));
  }

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount ("billion laughs").
    const code = error instanceof ReferenceError ? 'ALIAS_LIMIT' : 'YAML_ERROR';
    const message = code === 'ALIAS_LIMIT' ? `aliases expand to more than ${MAX_ALIAS_COUNT} values` : DIAGNOSTIC_CODES.YAML_ERROR;
    diagnostics.push(diagnostic(code, message, lineCounter, firstAlias(root)?.range?.[0] ?? 0));
    return loaded();
  }
  try {
    return loaded(freshCopy(data) as Record<string, unknown>);
  } catch (error) {
    if (!(error instanceof CopyLimit)) throw error;
    const [code, message] = error.reason === 'size'
      ? (['ALIAS_LIMIT', `aliases expand to more than ${MAX_COPIED_VALUES} values`] as const)
      : (['NESTING_TOO_DEEP', 'aliases nest lists and mappings too deeply'] as const);
    diagnostics.push(diagnostic(code, message, lineCounter, firstAlias(root)?.range?.[0] ?? 0));
    return loaded();
  }
};
