/**
 * What the published (editor) workflow schema adds to the validator's: template alternatives in typed
 * fields, readable pattern messages, Markdown descriptions and "did you mean" for a misspelt step type.
 * Pure. The keywords are the ones yaml-language-server (VS Code's YAML extension) reads:
 * `patternErrorMessage`, `errorMessage`, `markdownDescription`, `enumDescriptions` and
 * `markdownEnumDescriptions`. The validator's schema leaves them out (ajv's strict mode refuses unknown
 * keywords) and has its own messages, which take the pattern texts from here too.
 */

import type { JsonSchema } from '../steps/define.js';
import { PATTERN_MESSAGES } from './patterns.js';

const isSchemaObject = (value: unknown): value is JsonSchema => value !== null && typeof value === 'object' && !Array.isArray(value);

const mapValues = (record: unknown, transform: (schema: JsonSchema) => JsonSchema): unknown =>
  isSchemaObject(record) ? Object.fromEntries(Object.entries(record).map(([key, value]) => [key, isSchemaObject(value) ? transform(value) : value])) : record;

/**
 * A template, the alternative of every typed value inside `with`. No description: the editor would show
 * it instead of the field's own (hover takes the first description among the schemas a value matches).
 */
const TEMPLATE_STRING: JsonSchema = { type: 'string', pattern: '\\{\\{' };

/** Keywords that can make a schema reject a template string. */
const CONSTRAINING = ['enum', 'const', 'pattern', 'format', 'maxLength', 'anyOf', 'oneOf', 'allOf', 'not', 'if'];

const acceptsAnyString = (schema: JsonSchema): boolean => {
  const { type } = schema;
  const typeOk = type === undefined || type === 'string' || (Array.isArray(type) && type.includes('string'));
  return typeOk && !CONSTRAINING.some((keyword) => keyword in schema);
};

/**
 * Lets every value inside a step input be a template string as well, as the validator does.
 *
 * Why wrap and how: each constrained value becomes `anyOf: [original, template string]` with the
 * description moved onto the wrapper (hover shows it once). yaml-language-server reports the errors of
 * the best-matching alternative, which for a non-template value is the original schema, so real errors
 * still show, once; and a template must contain `{{`, so a misspelt enum value is not accepted as one.
 * Alternatives of anyOf/oneOf/allOf and then/else apply to the same value as their parent and are not
 * wrapped again; `if` and `not` are left as they are.
 */
export const allowTemplates = (schema: JsonSchema, wrap = true): JsonSchema => {
  const inner: JsonSchema = { ...schema };
  const values = (key: string) => {
    if (isSchemaObject(inner[key])) inner[key] = allowTemplates(inner[key] as JsonSchema);
  };
  inner.properties = mapValues(inner.properties, (child) => allowTemplates(child));
  inner.patternProperties = mapValues(inner.patternProperties, (child) => allowTemplates(child));
  values('additionalProperties');
  values('items');
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    if (Array.isArray(inner[key])) inner[key] = (inner[key] as unknown[]).map((child) => (isSchemaObject(child) ? allowTemplates(child, false) : child));
  }
  for (const key of ['then', 'else']) {
    if (isSchemaObject(inner[key])) inner[key] = allowTemplates(inner[key] as JsonSchema, false);
  }
  for (const key of ['properties', 'patternProperties']) if (inner[key] === undefined) delete inner[key];
  if (!wrap || acceptsAnyString(schema)) return inner;
  const { description, ...rest } = inner;
  return { ...(description === undefined ? {} : { description }), anyOf: [rest, TEMPLATE_STRING] };
};

/** `The value` + a pattern message, as the editor shows it on its own. */
const sentence = (message: string): string => `${message[0]!.toUpperCase()}${message.slice(1)}.`;

/**
 * Markdown of a description. Descriptions are written with `code` spans; outside them `<` and `>`
 * (as in steps.<id>) would be read as HTML and vanish, so they are escaped.
 */
export const markdownOf = (description: string): string =>
  description
    .split(/(`[^`]*`)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/[\\<>*_[\]]/g, (char) => `\\${char}`)))
    .join('');

/**
 * Adds the editor's keywords everywhere: `patternErrorMessage` next to each pattern, and
 * `markdownDescription` next to each description that has `code` (the server shows a plain description
 * with its backticks escaped).
 */
export const withEditorKeywords = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(withEditorKeywords);
  if (!isSchemaObject(schema)) return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    // enum/const values are data, not schemas.
    out[key] = key === 'enum' || key === 'const' || key === 'examples' || key === 'default' ? value : withEditorKeywords(value);
  }
  if (typeof schema.pattern === 'string' && out.patternErrorMessage === undefined) {
    const message = PATTERN_MESSAGES[schema.pattern];
    if (message !== undefined) out.patternErrorMessage = sentence(message);
  }
  if (typeof schema.description === 'string' && schema.description.includes('`') && out.markdownDescription === undefined) {
    out.markdownDescription = markdownOf(schema.description);
  }
  return out;
};

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A pattern that matches the names one typo away from `name`: a character left out, changed, added or
 * swapped with its neighbour, or the name in lower case.
 */
export const typoPattern = (name: string): string => {
  const chars = [...name].map(escapeRegex);
  const variants = new Set<string>();
  for (let i = 0; i <= chars.length; i += 1) {
    const before = chars.slice(0, i).join('');
    if (i < chars.length) variants.add(`${before}.?${chars.slice(i + 1).join('')}`);
    variants.add(`${before}.${chars.slice(i).join('')}`);
    if (i + 1 < chars.length) variants.add(`${before}${chars[i + 1]}${chars[i]}${chars.slice(i + 2).join('')}`);
  }
  variants.add(escapeRegex(name.toLowerCase()));
  return `^(${[...variants].join('|')})$`;
};

export interface StepTypeSummary {
  type: string;
  description: string;
}

/**
 * The `uses:` of a step whose value names no step type: one error, which names the step type one typo
 * away (and the editor's quick fix offers it), or else lists them all. A chain of if/else so that only
 * one of them speaks.
 */
export const unknownUsesSchema = (types: readonly StepTypeSummary[]): JsonSchema => {
  const names = types.map(({ type }) => type);
  const all: JsonSchema = {
    if: { type: 'string' },
    then: {
      enum: names,
      enumDescriptions: types.map(({ description }) => description),
      markdownEnumDescriptions: types.map(({ description }) => markdownOf(description)),
      errorMessage: `Not a step type. The step types are ${names.join(', ')} (\`paxflow steps\` describes them); a playbook call starts with ./ or ../.`,
    },
  };
  return names.reduceRight<JsonSchema>(
    (otherwise, name) => ({
      if: { type: 'string', pattern: typoPattern(name) },
      then: { const: name, errorMessage: `Not a step type: did you mean ${name}? (\`paxflow steps\` lists the step types.)` },
      else: otherwise,
    }),
    all,
  );
};
