/**
 * The workflow JSON Schema, assembled from the step registry. Pure.
 *
 * Draft-07: ajv compiles it with its default class, and yaml-language-server (which gives editors
 * completion, hover and checks through the `# yaml-language-server: $schema=...` comment) fully supports
 * draft-07 only. Step input schemas must therefore stay within draft-07 (no prefixItems, no
 * unevaluatedProperties) and be self-contained (no $ref), because each is embedded under its step's `with`.
 *
 * Two schemas come from here, with one structure: the published one for editors (`editor: true`,
 * schemas/workflow.schema.json), and the validator's. The editor's adds template alternatives and the
 * keywords yaml-language-server reads (schema-editor.ts); the validator instead skips errors about
 * template values, which keeps its errors exact, and has messages of its own.
 *
 * A step picks its input schema by `uses` through one `if`/`then` per step type, not a `oneOf` with
 * ajv's `discriminator`: yaml-language-server ignores the discriminator, offers every oneOf branch as a
 * snippet and reports the errors of whichever branch it finds closest. With if/then only the named
 * type's input applies, in ajv and in the editor alike. Descriptions sit where the editor's hover finds
 * them first: `uses` and `with` get theirs from the chosen type, or from the unknown-type branch.
 */

import { checkOperators } from '../steps/assert.js';
import type { JsonSchema, StepDefinition } from '../steps/define.js';
import { DURATION_PATTERN } from './duration.js';
import { matrixSchema } from './matrix.js';
import { REDACT_PATH_PATTERN, STEP_ID_PATTERN, VAR_NAME_PATTERN } from './patterns.js';
import { allowTemplates, unknownUsesSchema, withEditorKeywords } from './schema-editor.js';
import { inputsSchema, outputsSchema, PLAYBOOK_USES_START, playbookCallSchema } from './schema-playbook.js';

export { REDACT_PATH_PATTERN, STEP_ID_PATTERN, VAR_NAME_PATTERN } from './patterns.js';

export interface WorkflowSchemaOptions {
  /**
   * The published schema for editors: template strings may stand for any constrained value inside
   * `with`, and it has the keywords yaml-language-server reads (readable pattern messages, Markdown
   * descriptions, "did you mean" for a step type). The validator turns this off: it skips errors about
   * template values instead, which keeps its errors exact, and ajv's strict mode refuses those keywords.
   * @default true
   */
  editor?: boolean;
}

const duration = (description: string): JsonSchema => ({ type: 'string', pattern: DURATION_PATTERN, description });

const isSchemaObject = (value: unknown): value is JsonSchema => value !== null && typeof value === 'object' && !Array.isArray(value);

const mapValues = (record: unknown, transform: (schema: JsonSchema) => JsonSchema): unknown =>
  isSchemaObject(record) ? Object.fromEntries(Object.entries(record).map(([key, value]) => [key, isSchemaObject(value) ? transform(value) : value])) : record;

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

/**
 * What a step of one type adds: its `uses` (the type's description, and the value the editor completes)
 * and its input under `with`. `type: object` and `required` keep the `if` from holding for a step
 * without `uses` (it would hold for anything that is not a mapping, or has no `uses`, otherwise).
 */
const stepTypeCondition = (step: StepDefinition, editor: boolean): JsonSchema => {
  assertEmbeddable(step.type, step.input);
  const input = editor ? allowTemplates(step.input) : step.input;
  const description = `Input of ${step.type}: ${step.description}`;
  return {
    if: { type: 'object', required: ['uses'], properties: { uses: { const: step.type } } },
    then: {
      properties: {
        uses: { const: step.type, description: step.description },
        with: { ...input, description: typeof input.description === 'string' ? input.description : description },
      },
    },
  };
};

/**
 * A step whose `uses` names no step type (or that has none yet): `uses` must be one of them. Its
 * descriptions are the general ones, for completing the keys of a new step.
 */
const unknownTypeCondition = (registry: readonly StepDefinition[], editor: boolean): JsonSchema => {
  const names = registry.map((step) => step.type);
  const uses = editor ? unknownUsesSchema(registry) : { enum: names };
  return {
    // `not` rather than an enum in the `if`: the editor lists the values of every enum a value matches in
    // its hover, and the matches inside a `not` are left out.
    if: { type: 'object', properties: { uses: { not: { enum: names } } } },
    then: {
      properties: {
        uses: { description: 'The step type; `paxflow steps` lists them with their inputs and outputs. A playbook call names a file instead: ./playbooks/x.yaml.', ...uses },
        with: { description: 'The input of the step type; for API steps, the Paxos request body itself.' },
      },
    },
  };
};

/**
 * `expect:` of a step. A field's value is compared as equals unless it is a mapping, which must then hold
 * exactly one of assert's operators; `properties` and the key counts apply to mappings only, so one schema
 * says both (every type is listed because ajv's strict mode wants object keywords next to type object).
 */
const expectSchema = (editor: boolean): JsonSchema => {
  const withTemplates = (schemas: Record<string, unknown>) => (editor ? mapValues(schemas, (schema) => allowTemplates(schema)) : schemas);
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

const stepSchema = (registry: readonly StepDefinition[], editor: boolean): JsonSchema => ({
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
    // No descriptions here: the editor's hover shows the first it finds, and these come first.
    uses: { type: 'string' },
    with: {},
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
    expect: expectSchema(editor),
  },
  allOf: [...registry.map((step) => stepTypeCondition(step, editor)), unknownTypeCondition(registry, editor)],
});

/**
 * An item of steps: or finally:. A `uses:` that starts with ./ or ../ calls a playbook file; any other
 * names a step type. if/then/else rather than oneOf, so that the errors come from the one form the step
 * is written in, in ajv and in the editor.
 */
const stepItemSchema = (registry: readonly StepDefinition[], editor: boolean): JsonSchema => {
  const step = stepSchema(registry, editor);
  const { id, name, if: condition, continue_on_error } = step.properties as Record<string, unknown>;
  return {
    if: { type: 'object', required: ['uses'], properties: { uses: { type: 'string', pattern: PLAYBOOK_USES_START } } },
    then: playbookCallSchema({ id, name, if: condition, continue_on_error }, VAR_NAME_PATTERN),
    else: step,
  };
};

/** The JSON Schema of a workflow file, version 1, for the given step types. */
export const buildWorkflowSchema = (registry: readonly StepDefinition[], options: WorkflowSchemaOptions = {}): JsonSchema => {
  const { editor = true } = options;
  const schema: JsonSchema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    // No `title`: the editor puts the nearest title as a heading on every hover (twice on a template).
    description: 'A paxflow workflow, version 1: steps run in order against the Paxos v2 API.',
    type: 'object',
    additionalProperties: false,
    required: ['version', 'name', 'steps'],
    // steps: and finally: hold the same items; one definition keeps the file (and ajv's code) half the size.
    definitions: { step: stepItemSchema(registry, editor) },
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
  return editor ? (withEditorKeywords(schema) as JsonSchema) : schema;
};

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isSchemaObject(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
};

/** The schema as the checked-in file holds it: keys sorted, two-space indent, trailing newline. */
export const serializeWorkflowSchema = (schema: JsonSchema): string => `${JSON.stringify(sortKeys(schema), null, 2)}\n`;
