import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;
// Named, so that declarations can be emitted: @types/node does not export the type parseArgs returns.
type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>>;

/** node:util parseArgs in strict mode, with its errors turned into exit-2 usage errors. */
export const parseCommandArgs = <T extends Options>(command: string, args: string[], options: T, allowPositionals = true): Parsed<T> => {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    // parseArgs' messages name only the option, never a value, so they are safe to show.
    const message = error instanceof Error ? error.message : 'invalid arguments';
    throw new UsageError('BAD_ARGUMENTS', `${message} (paxflow ${command})`);
  }
};

/** Names that would reach an object's prototype rather than a key of it; a vars file refuses them too. */
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses `--var name=value` pairs. */
export const parseVarFlags = (pairs: readonly string[]): Record<string, string> => {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    // The pair is not echoed: a value typed without its name may be a secret.
    if (!match) throw new UsageError('BAD_ARGUMENTS', '--var takes name=value, with a name of letters, digits and _');
    const name = match[1]!;
    if (FORBIDDEN_NAMES.has(name)) throw new UsageError('FORBIDDEN_KEY', `--var ${name}: the names __proto__, constructor and prototype are not allowed`);
    vars[name] = match[2]!;
  }
  return vars;
};
