/**
 * The part of the Handlebars AST that paxflow reads, as a discriminated union (the bundled typings type
 * every statement as a bare `Node`). Handlebars lines are 1-based and its columns 0-based.
 */

export interface SourcePosition {
  line: number;
  column: number;
}

/** Any node: it knows where it starts and ends in the template. */
export interface Located {
  loc: { start: SourcePosition; end: SourcePosition };
}

export interface Program extends Located {
  type: 'Program';
  body: Statement[];
  blockParams?: string[];
}

export interface PathExpression extends Located {
  type: 'PathExpression';
  /** `@index`, `@root.x`. */
  data: boolean;
  /** The number of `../` in front of the path. */
  depth: number;
  parts: string[];
  original: string;
}

export interface Literal extends Located {
  type: 'StringLiteral' | 'NumberLiteral' | 'BooleanLiteral' | 'NullLiteral' | 'UndefinedLiteral';
  value?: string | number | boolean | null;
  original?: string | number | boolean | null;
}

export interface Hash extends Located {
  type: 'Hash';
  pairs: Array<{ key: string; value: Expression; loc: Located['loc'] }>;
}

/** A mustache, a block opening or a subexpression: a path and, for a helper call, its arguments. */
export interface Call extends Located {
  path: PathExpression | Literal;
  params: Expression[];
  hash?: Hash;
}

export interface SubExpression extends Call {
  type: 'SubExpression';
}

export interface MustacheStatement extends Call {
  type: 'MustacheStatement';
}

export interface BlockStatement extends Call {
  type: 'BlockStatement';
  program?: Program;
  inverse?: Program;
}

export interface OtherStatement extends Located {
  type: 'ContentStatement' | 'CommentStatement' | 'PartialStatement' | 'PartialBlockStatement' | 'Decorator' | 'DecoratorBlock';
  /** Content after whitespace control (`{{~ x}}`, standalone lines), for ContentStatement. */
  value?: string;
}

export type Expression = PathExpression | SubExpression | Literal;
export type Statement = MustacheStatement | BlockStatement | OtherStatement;

/** A 1-based line and column inside the template string. */
export interface TemplatePosition {
  line: number;
  col: number;
}

export function positionOf(node: Located): TemplatePosition {
  return { line: node.loc.start.line, col: node.loc.start.column + 1 };
}

/** `this.x` and `./x` are explicitly relative to the current context and never name a block param. */
export function isScoped(path: PathExpression): boolean {
  return /^(\.|this\b)/.test(path.original);
}

/** The helper name a call path spells, when it is a plain identifier (`eq`, not `a.b`, `@x` or `../x`). */
export function simpleName(path: PathExpression | Literal): string | undefined {
  if (path.type !== 'PathExpression') return undefined;
  if (path.data || path.depth > 0 || path.parts.length !== 1 || isScoped(path)) return undefined;
  return path.parts[0];
}

/**
 * Handlebars' rule for a mustache: it calls a helper when it has arguments, or when it is the bare name of
 * a known helper that no block param shadows. A subexpression always calls a helper.
 */
export function isHelperCall(node: Call & { type: string }, isHelper: (name: string) => boolean, blockParams: { has(name: string): boolean }): boolean {
  if (node.type === 'SubExpression' || node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0) return true;
  const name = simpleName(node.path);
  return name !== undefined && isHelper(name) && !blockParams.has(name);
}

/** Handlebars reads a literal in a path position (`{{"a b"}}`, `{{5}}`) as a one-part path. */
export function asPath(path: PathExpression | Literal): PathExpression {
  if (path.type === 'PathExpression') return path;
  const name = String(path.original ?? path.value ?? path.type.replace('Literal', '').toLowerCase());
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc: path.loc };
}

/** A path for messages: `steps.identity.id`, with `[...]` around segments that are not plain names. */
export function formatPath(parts: readonly string[]): string {
  return parts.map((part) => (/^@?[A-Za-z_$][\w$-]*$/.test(part) ? part : `[${part}]`)).join('.');
}
