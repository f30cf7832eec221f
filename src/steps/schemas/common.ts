/**
 * Building blocks for the Paxos step schemas. Input schemas are closed and describe every property;
 * output schemas stay open (`additionalProperties: true`) because Paxos adds fields over time.
 */

import { DURATION_PATTERN } from '../../workflow/duration.js';
import type { JsonSchema } from '../define.js';

/** Amounts and prices: decimal strings like Paxos sends them (`"10"`, `"1814.8"`, `".25"`). */
export const DECIMAL_PATTERN = '^[0-9]*\\.?[0-9]+$';
/** Fiat amounts of transfers: at most two decimal places (`"2500.75"`). */
export const FIAT_AMOUNT_PATTERN = '^[0-9]*\\.?[0-9]{1,2}$';
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** RFC 3339 timestamp with a zone, fractional seconds allowed. */
/** Paxos' allowed characters for names, ids and address parts. */
export const TEXT_PATTERN = "^[0-9A-Za-z /?:().,&'+-]+$";

/** A non-negative decimal string; numbers are rejected because YAML drops digits (`10.50` -> `10.5`). */
export const decimalString = (description: string): JsonSchema => ({
  type: 'string',
  pattern: DECIMAL_PATTERN,
  description: `${description} A decimal string: quote it in YAML ("10.50"), never a bare number.`,
});

export const uuid = (description: string): JsonSchema => ({ type: 'string', pattern: UUID_PATTERN, description });

// ajv-formats checks real calendar values (no 2021-02-30T25:00:00Z), which a pattern cannot.
export const dateTime = (description: string): JsonSchema => ({
  type: 'string',
  format: 'date-time',
  description: `${description} RFC 3339, e.g. 2021-06-16T09:28:14Z.`,
});

export const text = (description: string, maxLength: number): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength,
  pattern: TEXT_PATTERN,
  description,
});

export const plainString = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });

export const boolean = (description: string): JsonSchema => ({ type: 'boolean', description });

export const stringEnum = (values: readonly string[], description: string): JsonSchema => ({
  type: 'string',
  enum: [...values],
  description,
});

/** ISO 3166-1 alpha-3 country code. */
export const alpha3 = (description: string): JsonSchema => ({
  type: 'string',
  pattern: '^[A-Z]{3}$',
  description: `${description} ISO 3166-1 alpha-3, e.g. USA.`,
});

/** Marks personal data: reports redact it. */
export const sensitive = (schema: JsonSchema): JsonSchema => ({ ...schema, 'x-sensitive': true });

export const metadata = (description = 'Your own key/value pairs, stored with the object; values are strings.'): JsonSchema => ({
  type: 'object',
  additionalProperties: { type: 'string' },
  description,
});

/** A closed input object. */
export const closedObject = (description: string, properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  description,
  ...(required.length > 0 ? { required } : {}),
  properties,
});

/** An open output object: the listed fields are documented, others may appear. */
export const openObject = (description: string, properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  additionalProperties: true,
  description,
  properties,
});

/** Idempotency key of a create; the step derives one from the run id and step id when it is left out. */
export const refIdInput = (what: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: 200,
  description:
    `Idempotency key of the ${what}, unique per API credential. Default: derived from the run id and step id, so a retried step adopts the ${what} it already created.`,
});

/** Runner-only option of the polling steps. */
export const intervalInput = (defaultText: string): JsonSchema => ({
  type: 'string',
  pattern: DURATION_PATTERN,
  description: `Time between checks, e.g. 500ms or 2s (at least 10ms); it grows 1.5x after each check, up to 5s or the interval if longer. Default ${defaultText}.`,
});

/** Integer number of checks a polling step made. */
export const pollsOutput: JsonSchema = { type: 'integer', description: 'How many times the step checked the status.' };
