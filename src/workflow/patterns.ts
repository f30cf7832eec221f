/**
 * The patterns of the workflow's own fields, and what every pattern of the schemas asks for in words.
 * Pure.
 */

import { DECIMAL_PATTERN, FIAT_AMOUNT_PATTERN, TEXT_PATTERN, UUID_PATTERN } from '../steps/schemas/common.js';
import { DURATION_PATTERN } from './duration.js';
import { COLUMN_PATTERN } from './matrix.js';
import { PLAYBOOK_USES_PATTERN } from './schema-playbook.js';

export const STEP_ID_PATTERN = '^[a-z][a-z0-9_]*$';
export const VAR_NAME_PATTERN = '^[a-z_][a-z0-9_]*$';
/** A `redact:` entry: field names (header names with - too) joined by dots. */
export const REDACT_PATH_PATTERN = '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$';

/**
 * What each pattern of the schemas asks for, said so that it follows a field name ("steps[0].id must
 * be ..."). The editor schema shows these instead of the raw regex; a schema test fails for a pattern
 * that has none.
 */
export const PATTERN_MESSAGES: Readonly<Record<string, string>> = {
  [STEP_ID_PATTERN]: 'must be lower-case letters, digits and _, starting with a letter (create_identity)',
  [VAR_NAME_PATTERN]: 'must be lower-case letters, digits and _, starting with a letter or _ (market)',
  [REDACT_PATH_PATTERN]: 'must be a field name or a dotted path of field names (person_details.nationality)',
  [DURATION_PATTERN]: 'must be a duration such as 500ms, 30s, 2m or 1h',
  [COLUMN_PATTERN]: 'must be letters, digits and _, starting with a letter or _ (market)',
  [PLAYBOOK_USES_PATTERN]: 'must be a relative path to a YAML file, with / between folders (./playbooks/onboard-person.yaml)',
  [DECIMAL_PATTERN]: 'must be a decimal string without sign or exponent, in quotes ("10.50")',
  [FIAT_AMOUNT_PATTERN]: 'must be an amount with at most two decimal places, in quotes ("2500.75")',
  [UUID_PATTERN]: 'must be an id in UUID form (3fa85f64-5717-4562-b3fc-2c963f66afa6), usually a template such as "{{steps.identity.id}}"',
  [TEXT_PATTERN]: "must be letters, digits, spaces and / ? : ( ) . , & ' + - only",
  [`^(default|${UUID_PATTERN.slice(1, -1)})$`]: 'must be `default` or a profile id in UUID form, usually a template such as "{{steps.account.profile_id}}"',
  '^[A-Z]{3}$': 'must be three capital letters (ISO 3166-1 alpha-3, e.g. USA)',
  '^[A-Z0-9]{2,12}$': 'must be an asset code in capitals, e.g. USD or BTC',
  '^[A-Z0-9]{4,16}$': 'must be a market in capitals, e.g. ETHUSD',
  '^[0-9]{13}$': 'must be unix milliseconds: 13 digits, in quotes',
  '^-?([0-9]+\\.?[0-9]*|\\.[0-9]+)$': 'must be a decimal, in quotes ("1810.25")',
  '^[A-Z][A-Z0-9_]*$': 'must be a paxflow error code in capitals, e.g. PAXOS_INSUFFICIENT_FUNDS',
  '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$': 'must be an event type: lower-case words joined by dots, e.g. identity.approved',
  '^/': 'must start with / (a path below the API base, e.g. /markets)',
  '^https?://': 'must start with http:// or https://',
};

