/**
 * The parts of the workflow schema that make a file a reusable playbook (`inputs:`, `outputs:`) and that
 * call one (`uses: ./playbooks/onboard-person.yaml`), and the checks of input values that validation and
 * the engine share. Pure; schema.ts assembles the schemas.
 */

import type { JsonSchema } from '../steps/define.js';

/** `uses:` values that start like this call a playbook file instead of naming a step type. */
export const PLAYBOOK_USES_START = '^\\.\\.?/';
/** The whole `uses:` of a playbook call: a relative path to a YAML file. */
export const PLAYBOOK_USES_PATTERN = '^\\.\\.?/[^\\\\]*\\.ya?ml$';
/** The JSON types a playbook input can declare. */
export const INPUT_TYPES = ['string', 'number', 'boolean', 'object', 'array'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

/** True when `uses` calls a playbook (`./x.yaml`, `../x.yaml`) rather than naming a step type. */
export const isPlaybookUses = (uses: unknown): uses is string => typeof uses === 'string' && /^\.\.?\//.test(uses);

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The JSON type of a value as inputs declare types: string, number, boolean, object, array or null. */
export const jsonTypeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
};

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', number: 'a number', boolean: 'true or false', object: 'a mapping', array: 'a list', null: 'null',
};

/** Words for a JSON type in messages (`a mapping`), never the value itself. */
export const typeWords = (type: string): string => TYPE_WORDS[type] ?? `a ${type}`;

/** Whether an input declared with `declaration` must be given by every caller. */
export const isRequiredInput = (declaration: unknown): boolean =>
  isObject(declaration) && (declaration.required === true || (declaration.required === undefined && !('default' in declaration)));

/** `inputs:` of a playbook: name -> declaration. */
export const inputsSchema = (namePattern: string): JsonSchema => ({
  type: 'object',
  description:
    'Makes this file a reusable playbook: the inputs a caller gives under with: (uses: ./this-file.yaml), read here as {{inputs.<name>}}.',
  propertyNames: { pattern: namePattern },
  additionalProperties: {
    type: 'object',
    description: 'One input: its JSON type, whether the caller must give it, a default, a description and whether it is sensitive.',
    additionalProperties: false,
    required: ['type'],
    properties: {
      type: { type: 'string', enum: [...INPUT_TYPES], description: 'The JSON type of the value: string, number, boolean, object (a mapping) or array (a list).' },
      required: {
        type: 'boolean',
        description: 'Whether every caller must give the input. Default: true without a default, false with one.',
      },
      default: { description: 'The value when the caller gives none; of the declared type.' },
      description: { type: 'string', description: 'What the input is for, for readers and `paxflow plan`.' },
      sensitive: {
        type: 'boolean',
        description: 'The value is personal data or a secret: it is masked in every output, wherever it appears. Default false.',
      },
    },
  },
});

/** `outputs:` of a playbook: name -> template over its own steps and inputs. */
export const outputsSchema = (namePattern: string): JsonSchema => ({
  type: 'object',
  description:
    'What a caller reads as steps.<call id>.<name> after the playbook ran: templates over this file\'s steps and inputs ("{{steps.identity.id}}").',
  propertyNames: { pattern: namePattern },
  additionalProperties: { type: 'string', description: 'A template, rendered after the playbook\'s steps: "{{steps.account.id}}".' },
});

/**
 * A step that calls a playbook. `common` holds the step options a call shares with other steps (`id`,
 * `name`, `if`, `continue_on_error`); timeouts, retries and expectations belong to the playbook's own steps.
 */
export const playbookCallSchema = (common: Record<string, unknown>, namePattern: string): JsonSchema => ({
  type: 'object',
  description: 'A call of a reusable playbook: its steps run here, their ids prefixed with this id (onboard.identity).',
  additionalProperties: false,
  required: ['id', 'uses'],
  properties: {
    ...common,
    uses: {
      type: 'string',
      pattern: PLAYBOOK_USES_PATTERN,
      description: 'The playbook file, relative to this file: ./playbooks/onboard-person.yaml.',
    },
    with: {
      type: 'object',
      description: "The playbook's inputs by name (its inputs: say which); values may be templates.",
      propertyNames: { pattern: namePattern },
      additionalProperties: { description: 'The value of the input: of its declared type, or a template rendered before the playbook runs.' },
    },
  },
});
