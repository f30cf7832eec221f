import { asPath, formatPath, isHelperCall, isScoped, positionOf, simpleName } from './ast.js';
import type { BlockStatement, Call, Expression, Literal, Located, PathExpression, Program, Statement } from './ast.js';
import { blockHelperDefinition, templateBlockHelpers } from './blocks.js';
import { parseTemplate } from './handlebars.js';
import { analyzeSimple } from './simple.js';
import { helperDefinition, templateHelpers } from './helpers.js';
import { isTemplateScope, TEMPLATE_SCOPES } from './scope.js';
import { didYouMean } from '../util/suggest.js';
import type { TemplateAnalysis, TemplateProblem, TemplateReference } from './types.js';

/** A reference as the analyser records it; `optional` marks the first argument of `default`. */
export type CheckedReference = TemplateReference;

/** Everything the renderer needs about a template, computed once per source string. */
export interface ParsedTemplate {
  isTemplate: boolean;
  isSingleExpression: boolean;
  /** Undefined when the template does not parse, or is not a template. */
  program: Program | undefined;
  references: readonly CheckedReference[];
  problems: readonly TemplateProblem[];
}

interface WalkScope {
  /** How many context-changing blocks (`#each`, `#with`) enclose this point. */
  depth: number;
  inEach: boolean;
  blockParams: ReadonlySet<string>;
}

const DATA_VARIABLES = ['index', 'key', 'first', 'last'];
const HELPER_NAMES = [...templateHelpers, ...templateBlockHelpers].map((helper) => helper.name);
const HELPER_LIST = `Helpers: ${templateHelpers.map((h) => h.name).join(', ')}; blocks: ${templateBlockHelpers.map((h) => `#${h.name}`).join(', ')}.`;
export const isHelperName = (name: string): boolean => helperDefinition(name) !== undefined || blockHelperDefinition(name) !== undefined;

function arity(min: number, max: number): string {
  if (max === 0) return 'no arguments';
  if (max === Infinity) return `at least ${min} arguments`;
  if (min === max) return `${min} argument${min === 1 ? '' : 's'}`;
  return `${min} to ${max} arguments`;
}

/** Deeper nesting of blocks and subexpressions is refused, so that no walk can exhaust the stack. */
const MAX_NESTING = 64;

class Analyzer {
  readonly problems: TemplateProblem[] = [];
  readonly references: CheckedReference[] = [];
  private nesting = 0;

  /** Runs `walk` one level deeper, or reports the template as too deeply nested (once). */
  nested(node: Located, walk: () => void): void {
    if (this.nesting >= MAX_NESTING) {
      if (!this.problems.some((problem) => problem.code === 'TEMPLATE_SYNTAX')) {
        this.problem('TEMPLATE_SYNTAX', `Blocks and subexpressions are nested more than ${MAX_NESTING} levels deep.`, node);
      }
      return;
    }
    this.nesting += 1;
    try {
      walk();
    } finally {
      this.nesting -= 1;
    }
  }

  problem(code: string, message: string, node: Located): void {
    this.problems.push({ code, message, ...positionOf(node) });
  }

  program(program: Program | undefined, scope: WalkScope): void {
    for (const statement of program?.body ?? []) this.statement(statement, scope);
  }

  statement(node: Statement, scope: WalkScope): void {
    switch (node.type) {
      case 'MustacheStatement':
        return this.call(node, scope);
      case 'BlockStatement':
        return this.block(node, scope);
      case 'PartialStatement':
      case 'PartialBlockStatement':
        return this.problem('TEMPLATE_PARTIAL', 'Partials ({{> name}}) are not supported in workflow templates.', node);
      case 'Decorator':
      case 'DecoratorBlock':
        return this.problem('TEMPLATE_DECORATOR', 'Decorators ({{* name}}) are not supported in workflow templates.', node);
      default:
        return;
    }
  }

  call(node: Call & { type: 'MustacheStatement' | 'SubExpression' }, scope: WalkScope): void {
    if (!isHelperCall(node, isHelperName, scope.blockParams)) return this.path(asPath(node.path), scope, false);
    this.nested(node, () => this.helperCall(node, scope));
  }

  helperCall(node: Call, scope: WalkScope): void {
    const name = simpleName(node.path);
    const helper = name === undefined ? undefined : helperDefinition(name);
    if (helper) {
      this.checkArguments(node, name ?? '', helper.minArgs, helper.maxArgs, helper.hashKeys, helper.signature);
    } else if (name !== undefined && blockHelperDefinition(name)) {
      this.problem('TEMPLATE_HELPER_USAGE', `"${name}" is a block helper: write {{#${name} ...}}...{{/${name}}}.`, node);
    } else {
      this.unknownHelper(node.path);
    }
    this.arguments(node, scope, helper?.acceptsMissingFirst === true);
  }

  block(node: BlockStatement, scope: WalkScope): void {
    this.nested(node, () => this.blockCall(node, scope));
  }

  blockCall(node: BlockStatement, scope: WalkScope): void {
    const name = simpleName(node.path);
    const block = name === undefined ? undefined : blockHelperDefinition(name);
    if (block) {
      this.checkArguments(node, `#${block.name}`, 1, 1, block.hashKeys, block.signature);
    } else if (name !== undefined && helperDefinition(name)) {
      this.problem('TEMPLATE_HELPER_USAGE', `"${name}" is not a block helper; the blocks are #if, #unless, #each and #with.`, node);
    } else {
      this.unknownHelper(node.path);
    }
    this.arguments(node, scope, false);
    const blockParams = node.program?.blockParams ?? [];
    if (blockParams.length > 0 && !block?.changesContext) {
      this.problem('TEMPLATE_HELPER_ARGUMENT', `Only #each and #with take block params (as |name|).`, node);
    }
    const inner: WalkScope = block?.changesContext
      ? { depth: scope.depth + 1, inEach: scope.inEach || block.name === 'each', blockParams: new Set([...scope.blockParams, ...blockParams]) }
      : scope;
    this.program(node.program, inner);
    this.program(node.inverse, scope);
  }

  checkArguments(node: Call, label: string, min: number, max: number, hashKeys: readonly string[], signature: string): void {
    if (node.params.length < min || node.params.length > max) {
      this.problem('TEMPLATE_HELPER_ARGUMENT', `${label} takes ${arity(min, max)}: ${signature}.`, node);
    }
    for (const pair of node.hash?.pairs ?? []) {
      if (hashKeys.includes(pair.key)) continue;
      const accepted = hashKeys.length > 0 ? ` It takes ${hashKeys.map((key) => `${key}=`).join(', ')}.` : '';
      this.problem('TEMPLATE_HELPER_ARGUMENT', `${label} does not take ${pair.key}=.${accepted}`, pair);
    }
  }

  arguments(node: Call, scope: WalkScope, optionalFirst: boolean): void {
    node.params.forEach((param, index) => this.expression(param, scope, optionalFirst && index === 0));
    for (const pair of node.hash?.pairs ?? []) this.expression(pair.value, scope, false);
  }

  expression(node: Expression, scope: WalkScope, optional: boolean): void {
    if (node.type === 'PathExpression') this.path(node, scope, optional);
    else if (node.type === 'SubExpression') this.call(node, scope);
  }

  path(path: PathExpression, scope: WalkScope, optional: boolean): void {
    const [first, ...rest] = path.parts;
    if (path.data) return this.dataPath(path, scope, optional);
    if (path.depth === 0 && !isScoped(path) && scope.blockParams.has(first ?? '')) return;
    if (path.depth > scope.depth) {
      return this.problem('TEMPLATE_UNKNOWN_SCOPE', `"${path.original}" goes above the top of the template; ../ only works inside #each and #with.`, path);
    }
    if (path.depth < scope.depth) return;
    if (first === undefined) {
      return this.problem('TEMPLATE_UNKNOWN_SCOPE', `"${path.original}" at the top of a template would be the whole context; start from one of: ${TEMPLATE_SCOPES.join(', ')}.`, path);
    }
    if (!isTemplateScope(first)) return this.unknownScope(first, path);
    this.reference([first, ...rest], path, optional);
  }

  /** Records a reference into a scope; `env` is read one variable at a time, never as a whole. */
  reference(parts: string[], path: PathExpression, optional: boolean): void {
    if (parts[0] === 'env' && parts.length === 1) {
      const hint = 'Read one variable at a time, as env.NAME: the environment holds credentials of every tool on the machine.';
      return this.problem('TEMPLATE_WHOLE_ENV', `"${path.original}" reads the whole environment. ${hint}`, path);
    }
    this.references.push({ path: parts, ...positionOf(path), optional });
  }

  dataPath(path: PathExpression, scope: WalkScope, optional: boolean): void {
    const [first, second, ...rest] = path.parts;
    if (first === 'root') {
      if (second === undefined) return this.unknownScope('@root', path);
      if (!isTemplateScope(second)) return this.unknownScope(second, path);
      return this.reference([second, ...rest], path, optional);
    }
    if (scope.inEach && DATA_VARIABLES.includes(first ?? '')) return;
    const where = scope.inEach ? `inside #each there are ${DATA_VARIABLES.map((name) => `@${name}`).join(', ')}` : '@index, @key, @first and @last exist only inside #each';
    this.problem('TEMPLATE_UNKNOWN_SCOPE', `"@${formatPath(path.parts)}" is not defined; ${where}, and @root anywhere.`, path);
  }

  unknownScope(name: string, node: PathExpression): void {
    this.problem('TEMPLATE_UNKNOWN_SCOPE', `"${name}" is not a template scope.${didYouMean(name, TEMPLATE_SCOPES)} Templates read ${TEMPLATE_SCOPES.join(', ')}.`, node);
  }

  unknownHelper(path: PathExpression | Literal): void {
    const label = path.type === 'PathExpression' ? path.original : asPath(path).original;
    this.problem('UNKNOWN_HELPER', `"${label}" is not a template helper.${didYouMean(label, HELPER_NAMES)} ${HELPER_LIST}`, path);
  }
}

const NOT_A_TEMPLATE: ParsedTemplate = Object.freeze({ isTemplate: false, isSingleExpression: false, program: undefined, references: [], problems: [] });

/** The analysis through Handlebars' parser, whatever the template; exported for the tests of the shortcut. */
export function analyze(source: string): ParsedTemplate {
  const parsed = parseTemplate(source);
  if (!parsed.ok) {
    const problem = { code: 'TEMPLATE_SYNTAX', message: parsed.message, ...parsed.position };
    return { isTemplate: true, isSingleExpression: false, program: undefined, references: [], problems: [problem] };
  }
  const analyzer = new Analyzer();
  analyzer.program(parsed.program, { depth: 0, inEach: false, blockParams: new Set() });
  const [only, ...others] = parsed.program.body;
  return {
    isTemplate: true,
    isSingleExpression: only?.type === 'MustacheStatement' && others.length === 0,
    program: parsed.program,
    references: analyzer.references,
    problems: analyzer.problems,
  };
}

/**
 * At most 10,000 analyses are kept, in two generations: when the newer is full it becomes the older and
 * the older is dropped, and a hit in the older moves to the newer. Evicting one entry at a time through
 * `cache.keys().next()` was slow: a Map's iterator steps over the holes deletions leave, so a file with
 * more templates than the cache holds spent ~7 us per template there (issue 8).
 */
const GENERATION_LIMIT = 5_000;
let cache = new Map<string, ParsedTemplate>();
let older = new Map<string, ParsedTemplate>();

/** The cached analysis of `source`, with the parsed program. Shared: callers must not modify it. */
export function parseAndAnalyze(source: string): ParsedTemplate {
  if (!source.includes('{{')) return NOT_A_TEMPLATE;
  let parsed = cache.get(source);
  if (parsed === undefined) {
    parsed = older.get(source) ?? analyzeSimple(source) ?? analyze(source);
    if (cache.size >= GENERATION_LIMIT) {
      older = cache;
      cache = new Map();
    }
    cache.set(source, parsed);
  }
  return parsed;
}

/**
 * The analysis for a caller that will not render (validation): cached, or for the simple templates of
 * `analyzeSimple` made afresh and not stored, since making one costs about what a lookup does. Validating
 * a large file would otherwise fill the cache with tens of thousands of them, which the garbage collector
 * then copies while they live (issue 8). Shared: callers must not modify it.
 */
export function analyzeForCheck(source: string): ParsedTemplate {
  if (!source.includes('{{')) return NOT_A_TEMPLATE;
  return cache.get(source) ?? older.get(source) ?? analyzeSimple(source) ?? parseAndAnalyze(source);
}

/**
 * Analyses one template string without rendering it: whether it is a template, whether it is a single
 * expression (exactly one `{{...}}` or `{{{...}}}` mustache, with nothing else in the string, not even
 * spaces), the references it makes into the known scopes, and its problems. Pure; cached by source.
 */
export function analyzeTemplate(source: string): TemplateAnalysis {
  const parsed = parseAndAnalyze(source);
  return {
    isTemplate: parsed.isTemplate,
    isSingleExpression: parsed.isSingleExpression,
    references: parsed.references.map(({ path, optional, line, col }) => ({ path: [...path], optional, line, col })),
    problems: parsed.problems.map((problem) => ({ ...problem })),
  };
}
