/** What every rule receives, and what it returns. Rules are pure: data in, findings out. */

import type { StepDefinition } from '../../steps/define.js';
import type { Locator } from '../locate.js';
import type { DocPath } from '../types.js';

export interface RuleContext {
  /** The loaded data; not yet known to fit the schema, so rules check shapes themselves. */
  data: Record<string, unknown>;
  source: string;
  locator: Locator;
  registry: readonly StepDefinition[];
  /** Variable names given outside the file (`--var`, `--vars-file`). */
  extraVars: ReadonlySet<string>;
  /** Values written as unquoted templates: already reported, so nothing else is said about them. */
  suppressed: readonly DocPath[];
}

/** A problem at a source offset; validate turns offsets into line:col. */
export interface Finding {
  code: string;
  message: string;
  offset: number;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The steps that are mappings, with their indexes. */
export const stepsOf = (data: Record<string, unknown>): { index: number; step: Record<string, unknown> }[] =>
  Array.isArray(data.steps) ? data.steps.flatMap((step, index) => (isRecord(step) ? [{ index, step }] : [])) : [];

export const findDefinition = (registry: readonly StepDefinition[], type: unknown): StepDefinition | undefined =>
  typeof type === 'string' ? registry.find((definition) => definition.type === type) : undefined;
