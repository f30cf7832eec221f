import { TemplateError } from '../errors.js';
import type { TemplatePosition } from './ast.js';
import { isTruthy, type TemplateHelperInfo } from './helpers.js';
import { kindOf } from './scope.js';

/** What a block helper can do with its block; the evaluator provides it. */
export interface BlockCall {
  at: TemplatePosition;
  hash: Record<string, unknown>;
  /** Renders the block in the current context. */
  main(): string;
  /** Renders the block with `context` as `this`, the given block params and `@` variables. */
  mainWith(context: unknown, blockParams: unknown[], data?: Record<string, unknown>): string;
  /** Renders the `{{else}}` part in the current context, or '' when there is none. */
  inverse(): string;
}

/** Handlebars' four built-in blocks, with its semantics, except that a missing argument is an error. */
export interface BlockHelperDefinition extends TemplateHelperInfo {
  readonly hashKeys: readonly string[];
  /** Whether the block body runs in a new context (so `../` inside it reaches the enclosing one). */
  readonly changesContext: boolean;
  readonly run: (value: unknown, call: BlockCall) => string;
}

function includeZero({ hash, at }: BlockCall, name: string): boolean {
  const value = hash.includeZero ?? false;
  if (typeof value !== 'boolean') throw new TemplateError('TEMPLATE_HELPER_ARGUMENT', `#${name}: includeZero must be true or false`, at);
  return value;
}

function each(value: unknown, call: BlockCall): string {
  if (value === null) return call.inverse();
  if (Array.isArray(value)) {
    if (value.length === 0) return call.inverse();
    const last = value.length - 1;
    return value.map((item, index) => call.mainWith(item, [item, index], { index, key: index, first: index === 0, last: index === last })).join('');
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 0) return call.inverse();
    const last = keys.length - 1;
    return keys
      .map((key, index) => call.mainWith(record[key], [record[key], key], { index, key, first: index === 0, last: index === last }))
      .join('');
  }
  throw new TemplateError('TEMPLATE_HELPER_ARGUMENT', `#each: needs a list or an object, but the value is ${kindOf(value)}`, call.at);
}

const definitions: BlockHelperDefinition[] = [
  {
    name: 'if',
    signature: '#if value [includeZero=true]',
    description: 'Renders the block when the value is truthy (false, null, "", 0 and [] are not), else the {{else}} part.',
    hashKeys: ['includeZero'],
    changesContext: false,
    run: (value, call) => (isTruthy(value, includeZero(call, 'if')) ? call.main() : call.inverse()),
  },
  {
    name: 'unless',
    signature: '#unless value [includeZero=true]',
    description: 'Renders the block when the value is not truthy, else the {{else}} part.',
    hashKeys: ['includeZero'],
    changesContext: false,
    run: (value, call) => (isTruthy(value, includeZero(call, 'unless')) ? call.inverse() : call.main()),
  },
  {
    name: 'each',
    signature: '#each list [as |item index|]',
    description: 'Renders the block once per item of a list or per field of an object, with this, @index, @key, @first and @last.',
    hashKeys: [],
    changesContext: true,
    run: each,
  },
  {
    name: 'with',
    signature: '#with value [as |name|]',
    description: 'Renders the block with the value as this, unless it is empty (null, false, "", []), then the {{else}} part.',
    hashKeys: [],
    changesContext: true,
    run: (value, call) => (isTruthy(value, true) ? call.mainWith(value, [value]) : call.inverse()),
  },
];

const byName = new Map(definitions.map((definition) => [definition.name, definition]));

/** The block helpers (`{{#if}}`, `{{#unless}}`, `{{#each}}`, `{{#with}}`), for documentation. */
export const templateBlockHelpers: ReadonlyArray<TemplateHelperInfo> = Object.freeze(
  definitions.map(({ name, signature, description }) => Object.freeze({ name, signature, description })),
);

export function blockHelperDefinition(name: string): BlockHelperDefinition | undefined {
  return byName.get(name);
}
