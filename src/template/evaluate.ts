import { TemplateError } from '../errors.js';
import { asPath, formatPath, isHelperCall, isScoped, positionOf, simpleName } from './ast.js';
import type { BlockStatement, Call, Expression, MustacheStatement, PathExpression, Program, Statement } from './ast.js';
import { isHelperName } from './analyze.js';
import { blockHelperDefinition } from './blocks.js';
import { callHelper, helperDefinition } from './helpers.js';
import { isTemplateScope, kindOf, lookupInContext, lookupPath, missingValueMessage } from './scope.js';

/*
 * paxflow evaluates the Handlebars AST itself instead of running Handlebars' generated code, so that
 * a single expression keeps its JSON type, every piece of text is joined as a string (no `{{a}}{{b}}`
 * -> "3"), `null` and objects in text are errors rather than "" and "[object Object]", and every error
 * has our code, a position and a message that never contains a value.
 */

/** What `this`, `../`, block params and `@` variables mean at one point of a template. */
export interface Frame {
  context: unknown;
  /** The enclosing context; undefined at the top of the template. */
  parent: Frame | undefined;
  root: Record<string, unknown>;
  data: { values: Record<string, unknown>; parent: Frame['data'] | undefined };
  blockParams: ReadonlyMap<string, unknown>;
}

type Found = { found: true; value: unknown } | { found: false; message: string };

export function topFrame(context: Record<string, unknown>): Frame {
  return { context, parent: undefined, root: context, data: { values: {}, parent: undefined }, blockParams: new Map() };
}

/** Renders a whole program to text. */
export function renderProgram(program: Program | undefined, frame: Frame): string {
  let text = '';
  for (const statement of program?.body ?? []) text += renderStatement(statement, frame);
  return text;
}

function renderStatement(node: Statement, frame: Frame): string {
  switch (node.type) {
    case 'ContentStatement':
      return node.value ?? '';
    case 'MustacheStatement':
      return toText(evaluateCall(node, frame), node, frame);
    case 'BlockStatement':
      return renderBlock(node, frame);
    default:
      // Comments render nothing; partials and decorators never get here (the analysis rejects them).
      return '';
  }
}

/** The value of a mustache or subexpression: a path's value or a helper's result, with its type. */
export function evaluateCall(node: Call & { type: 'MustacheStatement' | 'SubExpression' }, frame: Frame): unknown {
  if (!isHelperCall(node, isHelperName, frame.blockParams)) return evaluatePath(asPath(node.path), frame, false);
  const helper = helperDefinition(simpleName(node.path) ?? '');
  if (helper === undefined) throw new TemplateError('UNKNOWN_HELPER', 'This helper is not available.', positionOf(node));
  const args = node.params.map((param, index) => evaluate(param, frame, index === 0 && helper.acceptsMissingFirst === true));
  return callHelper(helper, args, evaluateHash(node, frame), positionOf(node));
}

function evaluate(node: Expression, frame: Frame, optional: boolean): unknown {
  switch (node.type) {
    case 'PathExpression':
      return evaluatePath(node, frame, optional);
    case 'SubExpression':
      return evaluateCall(node, frame);
    case 'NullLiteral':
      return null;
    case 'UndefinedLiteral':
      return undefined;
    default:
      return node.value;
  }
}

function evaluateHash(node: Call, frame: Frame): Record<string, unknown> {
  return Object.fromEntries((node.hash?.pairs ?? []).map((pair) => [pair.key, evaluate(pair.value, frame, false)]));
}

function evaluatePath(path: PathExpression, frame: Frame, optional: boolean): unknown {
  const result = resolve(path, frame);
  if (result.found) return result.value;
  if (optional) return undefined;
  throw new TemplateError('TEMPLATE_MISSING_VALUE', result.message, positionOf(path));
}

function resolve(path: PathExpression, frame: Frame): Found {
  const [first = '', ...rest] = path.parts;
  if (path.data) {
    if (first === 'root') return lookupInContext(frame.root, rest);
    let data = frame.data;
    for (let level = 0; level < path.depth && data.parent; level++) data = data.parent;
    if (!Object.hasOwn(data.values, first)) return { found: false, message: `@${first} is not defined here.` };
    return follow(data.values[first], rest, [`@${first}`], '');
  }
  if (path.depth === 0 && !isScoped(path) && frame.blockParams.has(first)) {
    return follow(frame.blockParams.get(first), rest, [first], '');
  }
  let target: Frame | undefined = frame;
  for (let level = 0; level < path.depth; level++) target = target?.parent;
  if (target === undefined) return { found: false, message: `${path.original} goes above the top of the template.` };
  if (target.parent === undefined) return lookupInContext(frame.root, path.parts);
  const hint = isTemplateScope(first)
    ? `. Inside #each and #with, names are read from the current item; write @root.${formatPath(path.parts)} for the workflow's ${first}`
    : '';
  return follow(target.context, path.parts, [], 'the current item', hint);
}

function follow(base: unknown, parts: string[], label: string[], baseName: string, hint = ''): Found {
  const lookup = lookupPath(base, parts);
  if (lookup.found) return lookup;
  return { found: false, message: missingValueMessage([...label, ...parts], label.length, lookup, baseName) + hint };
}

function renderBlock(node: BlockStatement, frame: Frame): string {
  const at = positionOf(node);
  const block = blockHelperDefinition(simpleName(node.path) ?? '');
  if (block === undefined) throw new TemplateError('UNKNOWN_HELPER', 'This block helper is not available.', at);
  const [value] = node.params.map((param) => evaluate(param, frame, false));
  const hash = evaluateHash(node, frame);
  if (value === undefined) throw new TemplateError('TEMPLATE_MISSING_VALUE', `#${block.name}: its argument is not defined`, at);
  for (const [key, option] of Object.entries(hash)) {
    if (option === undefined) throw new TemplateError('TEMPLATE_MISSING_VALUE', `#${block.name}: ${key}= is not defined`, at);
  }
  const names = node.program?.blockParams ?? [];
  return block.run(value, {
    at,
    hash,
    main: () => renderProgram(node.program, frame),
    mainWith: (context, params, data) => {
      const blockParams = new Map(frame.blockParams);
      names.forEach((name, index) => blockParams.set(name, params[index]));
      const values = data ? { values: data, parent: frame.data } : frame.data;
      return renderProgram(node.program, { context, parent: frame, root: frame.root, data: values, blockParams });
    },
    inverse: () => renderProgram(node.inverse, frame),
  });
}

/** Text for one mustache inside a longer string: strings as they are, numbers and booleans as JSON. */
function toText(value: unknown, node: MustacheStatement, frame: Frame): string {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return JSON.stringify(value);
  const at = positionOf(node);
  const call = isHelperCall(node, isHelperName, frame.blockParams);
  const name = call ? `the result of ${simpleName(node.path) ?? 'the helper'}` : asPath(node.path).original;
  if (value === undefined) throw new TemplateError('TEMPLATE_MISSING_VALUE', `${name} is not defined`, at);
  if (value === null) {
    const fix = call ? '' : ` Write {{default ${name} ""}} for an empty text.`;
    throw new TemplateError('TEMPLATE_NOT_TEXT', `${name} is null and cannot be part of a text.${fix}`, at);
  }
  if (typeof value === 'object') {
    const fix = call ? 'wrap it in {{json (...)}}' : `write {{json ${name}}}`;
    throw new TemplateError('TEMPLATE_NOT_TEXT', `${name} is ${kindOf(value)} and cannot be part of a text; ${fix} to insert it as JSON.`, at);
  }
  const what = typeof value === 'number' ? 'not a finite number' : kindOf(value);
  throw new TemplateError('TEMPLATE_NOT_TEXT', `${name} is ${what} and cannot be part of a text.`, at);
}
