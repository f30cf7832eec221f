/**
 * JSON with comments and trailing commas, as VS Code writes settings.json: read with the offset of every
 * value, so that an entry can be added by editing the text where it goes and everything else (comments,
 * order, formatting) stays exactly as the user wrote it.
 */

/** A value and where it is in the text: `start` at its first character, `end` just after its last. */
export type JsoncNode =
  | { kind: 'object'; start: number; end: number; members: Array<{ key: string; value: JsoncNode }> }
  | { kind: 'array'; start: number; end: number; items: JsoncNode[] }
  | { kind: 'scalar'; start: number; end: number; value: string | number | boolean | null };

/** Text that is not JSON with comments; `offset` is where reading stopped. */
export class JsoncSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\.)*"/y;

/** Parses JSONC text; an empty text (only spaces and comments) is `undefined`. Throws {@link JsoncSyntaxError}. */
export const parseJsonc = (text: string): JsoncNode | undefined => {
  let at = text.startsWith('\uFEFF') ? 1 : 0;

  const fail = (message: string): never => {
    throw new JsoncSyntaxError(message, at);
  };
  const skip = (): void => {
    for (;;) {
      while (at < text.length && ' \t\r\n'.includes(text[at]!)) at += 1;
      if (text.startsWith('//', at)) {
        const end = text.indexOf('\n', at);
        at = end === -1 ? text.length : end + 1;
      } else if (text.startsWith('/*', at)) {
        const end = text.indexOf('*/', at + 2);
        if (end === -1) fail('a /* comment is not closed');
        at = end + 2;
      } else return;
    }
  };
  const string = (): string => {
    STRING.lastIndex = at;
    const match = STRING.exec(text);
    if (!match) fail('a string is not closed or holds a control character');
    at += match![0].length;
    try {
      return JSON.parse(match![0]) as string;
    } catch {
      return fail('a string has an invalid escape');
    }
  };
  const expect = (char: string): void => {
    skip();
    if (text[at] !== char) fail(`expected ${char}`);
    at += 1;
  };

  const value = (depth: number): JsoncNode => {
    if (depth > MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`);
    skip();
    const start = at;
    const char = text[at];
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      const members: Array<{ key: string; value: JsoncNode }> = [];
      const items: JsoncNode[] = [];
      at += 1;
      for (;;) {
        skip();
        if (text[at] === close) break;
        if (char === '{') {
          if (text[at] !== '"') fail('expected a "key" or }');
          const key = string();
          expect(':');
          members.push({ key, value: value(depth + 1) });
        } else items.push(value(depth + 1));
        skip();
        if (text[at] === ',') at += 1;
        else if (text[at] !== close) fail(`expected , or ${close}`);
      }
      at += 1;
      return char === '{' ? { kind: 'object', start, end: at, members } : { kind: 'array', start, end: at, items };
    }
    if (char === '"') {
      const decoded = string();
      return { kind: 'scalar', start, end: at, value: decoded };
    }
    for (const [word, literal] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return { kind: 'scalar', start, end: at, value: literal };
      }
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (!number) return fail(at >= text.length ? 'the text ends where a value should be' : 'expected a value');
    at += number[0].length;
    return { kind: 'scalar', start, end: at, value: Number(number[0]) };
  };

  skip();
  if (at >= text.length) return undefined;
  const root = value(0);
  skip();
  if (at < text.length) fail('unexpected text after the end');
  return root;
};

/** What {@link addSchemaMapping} did. */
export type MappingOutcome = { kind: 'added' | 'present'; text: string } | { kind: 'refused'; reason: string; offset: number };

const insertMember = (text: string, object: Extract<JsoncNode, { kind: 'object' }>, key: string, json: string, indent: string): string => {
  const member = `${indent}${JSON.stringify(key)}: ${json}`;
  const after = object.start + 1;
  return object.members.length === 0
    ? // Whatever sits inside the empty braces (a comment) stays, after the new member.
      `${text.slice(0, after)}\n${member}${text.slice(after, object.end - 1).trimEnd()}\n${indent.slice(2)}${text.slice(object.end - 1)}`
    : `${text.slice(0, after)}\n${member},${text.slice(after)}`;
};

/**
 * Maps `glob` to `schema` under `yaml.schemas` in settings.json text, adding only what is missing: the
 * `yaml.schemas` object, the schema's entry, or the glob in the entry's list. Never rewrites anything
 * else; refuses (with the offset) what it cannot edit without changing the user's meaning.
 */
export const addSchemaMapping = (text: string, schema: string, glob: string): MappingOutcome => {
  const root = parseJsonc(text);
  if (root === undefined) {
    return { kind: 'added', text: `${JSON.stringify({ 'yaml.schemas': { [schema]: [glob] } }, null, 2)}\n` };
  }
  if (root.kind !== 'object') return { kind: 'refused', reason: 'the settings are not a JSON object', offset: root.start };
  const schemas = root.members.find((member) => member.key === 'yaml.schemas')?.value;
  if (schemas === undefined) {
    const json = JSON.stringify({ [schema]: [glob] }, null, 2).replace(/\n/g, '\n  ');
    return { kind: 'added', text: insertMember(text, root, 'yaml.schemas', json, '  ') };
  }
  if (schemas.kind !== 'object') return { kind: 'refused', reason: '"yaml.schemas" is not an object', offset: schemas.start };
  const entry = schemas.members.find((member) => member.key === schema)?.value;
  if (entry === undefined) return { kind: 'added', text: insertMember(text, schemas, schema, JSON.stringify([glob]), '    ') };
  if (entry.kind === 'scalar' && typeof entry.value === 'string') {
    if (entry.value === glob) return { kind: 'present', text };
    return { kind: 'added', text: `${text.slice(0, entry.start)}${JSON.stringify([entry.value, glob])}${text.slice(entry.end)}` };
  }
  if (entry.kind === 'array') {
    if (entry.items.some((item) => item.kind === 'scalar' && item.value === glob)) return { kind: 'present', text };
    const at = entry.start + 1;
    return { kind: 'added', text: `${text.slice(0, at)}${JSON.stringify(glob)}${entry.items.length > 0 ? ', ' : ''}${text.slice(at)}` };
  }
  return { kind: 'refused', reason: `the "yaml.schemas" entry of ${schema} is neither a glob nor a list of globs`, offset: entry.start };
};
