/**
 * The workflow JSON Schema, assembled from the step registry. Pure.
 *
 * Draft-07: ajv compiles it with its default class, and yaml-language-server (which gives editors
 * completion, hover and checks through the `# yaml-language-server: $schema=...` comment) fully supports
 * draft-07 only. Step input schemas must therefore stay within draft-07 (no prefixItems, no
 * unevaluatedProperties) and be self-contained (no $ref), because each is embedded under its step's `with`.
 */

import { checkOperators } from '../steps/assert.js';
import type { JsonSchema, StepDefinition } from '../steps/define.js';
import { DURATION_PATTERN } from './duration.js';
import { matrixSchema } from './matrix.js';
import { inputsSchema, outputsSchema, PLAYBOOK_USES_START, playbookCallSchema } from './schema-playbook.js';

export const STEP_ID_PATTERN = '^[a-z][a-z0-9_]*$';
export const VAR_NAME_PATTERN = '^[a-z_][a-z0-9_]*$';
/** A `redact:` entry: field names (header names with - too) joined by dots. */
export const REDACT_PATH_PATTERN = '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$';

export interface WorkflowSchemaOptions {
  /**
   * Let template strings stand for any constrained value inside `with`, as the published (editor)
   * schema does. The validator turns this off and instead skips errors about template values, which
   * keeps its errors exact. @default true
   */
  templates?: boolean;
}

const duration = (description: string): JsonSchema => ({ type: 'string', pattern: DURATION_PATTERN, description });

const TEMPLATE_STRING: JsonSchema = {
  type: 'string',
  pattern: '\\{\\{',
  description: 'A template ({{...}}); it is rendered when the step runs and the result is checked then.',
};

/** Keywords that can make a schema reject a template string. */
const CONSTRAINING = ['enum', 'const', 'pattern', 'format', 'maxLength', 'anyOf', 'oneOf', 'allOf', 'not', 'if'];

const acceptsAnyString = (schema: JsonSchema): boolean => {
  const { type } = schema;
  const typeOk = type === undefined || type === 'string' || (Array.isArray(type) && type.includes('string'));
  return typeOk && !CONSTRAINING.some((keyword) => keyword in schema);
};

const isSchemaObject = (value: unknown): value is JsonSchema => value !== null && typeof value === 'object' && !Array.isArray(value);

const mapValues = (record: unknown, transform: (schema: JsonSchema) => JsonSchema): unknown =>
  isSchemaObject(record) ? Object.fromEntries(Object.entries(record).map(([key, value]) => [key, isSchemaObject(value) ? transform(value) : value])) : record;

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
const allowTemplates = (schema: JsonSchema, wrap = true): JsonSchema => {
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

/** Throws for a step input schema that cannot be embedded as it is (a bug in the step definition). */
const assertEmbeddable = (type: string, schema: unknown, path = ''): void => {
  if (Array.isArray(schema)) return schema.forEach((item, index) => assertEmbeddable(type, item, `${path}/${index}`));
  if (!isSchemaObject(schema)) return;
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' || key === '$id' || key === '$defs' || key === 'definitions') {
      throw new Error(`step type ${type}: its input schema uses ${key} at ${path || '/'}; input schemas must be self-contained`);
    }
    assertEmbeddable(type, value, `${path}/${key}`);
  }
};

const stepBranch = (step: StepDefinition, templates: boolean): JsonSchema => {
  assertEmbeddable(step.type, step.input);
  const input = templates ? allowTemplates(step.input) : step.input;
  const description = `Input of ${step.type}: ${step.description}`;
  return {
    required: ['uses'],
    properties: {
      uses: { const: step.type, description: step.description },
      with: { ...input, description: typeof input.description === 'string' ? input.description : description },
    },
  };
};

/**
 * `expect:` of a step. A field's value is compared as equals unless it is a mapping, which must then hold
 * exactly one of assert's operators; `properties` and the key counts apply to mappings only, so one schema
 * says both (every type is listed because ajv's strict mode wants object keywords next to type object).
 */
const expectSchema = (templates: boolean): JsonSchema => {
  const withTemplates = (schemas: Record<string, unknown>) => (templates ? mapValues(schemas, (schema) => allowTemplates(schema)) : schemas);
  return {
    type: 'object',
    description:
      'What the step must end with, checked after it runs: output field paths (status, by_asset.USD.available, members.0.id) with the expected value, or error: how the step must fail.',
    minProperties: 1,
    properties: {
      error: {
        type: 'object',
        description: 'The step must fail this way (every field given must match); it then passes and its output is {error: {code, message, status, type}}.',
        additionalProperties: false,
        minProperties: 1,
        properties: withTemplates({
          status: { type: 'integer', minimum: 100, maximum: 599, description: 'HTTP status of the error answer, e.g. 403.' },
          type: { type: 'string', minLength: 1, description: 'Problem type: the slug (insufficient-funds), the full URI, or about:blank.' },
          code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'paxflow error code, e.g. PAXOS_INSUFFICIENT_FUNDS, IDENTITY_DENIED or STEP_TIMEOUT.' },
        }),
      },
    },
    additionalProperties: {
      description: 'The expected value (compared like equals: "10.50" equals "10.5"), or a mapping with exactly one operator: equals, not_equals, matches, in, exists, gt, gte, lt, lte.',
      type: ['string', 'number', 'boolean', 'null', 'array', 'object'],
      properties: withTemplates(checkOperators),
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
    },
  };
};

const stepSchema = (registry: readonly StepDefinition[], templates: boolean): JsonSchema => ({
  type: 'object',
  description: 'One step: a registered step type (uses) and its input (with), plus runner options.',
  additionalProperties: false,
  required: ['id', 'uses'],
  properties: {
    id: {
      type: 'string',
      pattern: STEP_ID_PATTERN,
      description: 'Unique id of the step: lower-case letters, digits and _, starting with a letter. Later steps read its output as steps.<id>.',
    },
    name: { type: 'string', description: 'Display name of the step in reports.' },
    uses: {
      type: 'string',
      enum: registry.map((step) => step.type),
      description: 'The step type; `paxflow steps` lists them with their inputs and outputs.',
    },
    with: { description: 'The input of the step type; for API steps, the Paxos request body itself.' },
    if: {
      type: 'string',
      description: 'A template; the step runs only when it renders truthy. A bare expression gets {{ }} added: eq vars.kind "person".',
    },
    timeout: duration('Longest time the step may take, e.g. 30s or 2m (at least 10ms); waiting steps use it as their deadline.'),
    retry: {
      type: 'object',
      description: 'Run the step again after a failure (only for step types that can be repeated safely).',
      additionalProperties: false,
      required: ['max_attempts'],
      properties: {
        max_attempts: { type: 'integer', minimum: 1, maximum: 10, description: 'Total attempts, the first included (1 to 10).' },
        delay: duration('Wait before the second attempt, e.g. 500ms. Default 1s.'),
        factor: { type: 'number', minimum: 1, maximum: 10, description: 'Multiplier of the delay after each attempt (1 to 10). Default 2.' },
      },
    },
    continue_on_error: { type: 'boolean', description: 'Go on with the next steps when this one fails; the run still fails. Default false.' },
    expect: expectSchema(templates),
  },
  // ajv's discriminator picks the branch by `uses`, so errors come from the chosen step type only.
  discriminator: { propertyName: 'uses' },
  oneOf: registry.map((step) => stepBranch(step, templates)),
});

/**
 * An item of steps: or finally:. A `uses:` that starts with ./ or ../ calls a playbook file; any other
 * names a step type. if/then/else rather than a oneOf branch, because ajv's discriminator needs a
 * constant `uses` in every branch, and the errors then come from the one form the step is written in.
 */
const stepItemSchema = (registry: readonly StepDefinition[], templates: boolean): JsonSchema => {
  const step = stepSchema(registry, templates);
  const { id, name, if: condition, continue_on_error } = step.properties as Record<string, unknown>;
  return {
    if: { type: 'object', required: ['uses'], properties: { uses: { type: 'string', pattern: PLAYBOOK_USES_START } } },
    then: playbookCallSchema({ id, name, if: condition, continue_on_error }, VAR_NAME_PATTERN),
    else: step,
  };
};

/** The JSON Schema of a workflow file, version 1, for the given step types. */
export const buildWorkflowSchema = (registry: readonly StepDefinition[], options: WorkflowSchemaOptions = {}): JsonSchema => {
  const { templates = true } = options;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'paxflow workflow',
    description: 'A paxflow workflow, version 1: steps run in order against the Paxos v2 API.',
    type: 'object',
    additionalProperties: false,
    required: ['version', 'name', 'steps'],
    // steps: and finally: hold the same items; one definition keeps the file (and ajv's code) half the size.
    definitions: { step: stepItemSchema(registry, templates) },
    properties: {
      version: { const: 1, description: 'Version of the workflow format; must be 1.' },
      name: { type: 'string', minLength: 1, description: 'Name of the workflow in reports.' },
      description: { type: 'string', description: 'What the workflow does, for readers and reports.' },
      vars: {
        type: 'object',
        description: 'Variables read as {{vars.<name>}}; these are defaults that --var name=value and --vars-file override.',
        propertyNames: { pattern: VAR_NAME_PATTERN },
        additionalProperties: { description: 'Default value of the variable: any YAML value.' },
      },
      secrets: {
        type: 'array',
        description:
          'Names of variables (declared under vars:) that hold secrets: their values are masked in every output, as the client secret and tokens are.',
        uniqueItems: true,
        items: { type: 'string', pattern: VAR_NAME_PATTERN, description: 'A variable name declared under vars:.' },
      },
      redact: {
        type: 'array',
        description:
          'More fields to mask in every output, besides the personal-data fields the step types mark: a field name (account_number), masked wherever it appears, or a dotted path (person_details.nationality), masked where the keys end with it. Values seen in these fields are masked wherever they appear too.',
        uniqueItems: true,
        items: { type: 'string', pattern: REDACT_PATH_PATTERN, description: 'A field name or a dotted path of field names.' },
      },
      steps: {
        type: 'array',
        minItems: 1,
        description: 'The steps, run in order.',
        items: { $ref: '#/definitions/step' },
      },
      finally: {
        type: 'array',
        minItems: 1,
        description: 'Cleanup steps, run in order after the steps whatever happened (passed, failed or interrupted); they read steps.<id> of the steps that passed.',
        items: { $ref: '#/definitions/step' },
      },
      matrix: matrixSchema(),
      inputs: inputsSchema(VAR_NAME_PATTERN),
      outputs: outputsSchema(VAR_NAME_PATTERN),
    },
  };
};

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isSchemaObject(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
};

/** The schema as the checked-in file holds it: keys sorted, two-space indent, trailing newline. */
export const serializeWorkflowSchema = (schema: JsonSchema): string => `${JSON.stringify(sortKeys(schema), null, 2)}\n`;
