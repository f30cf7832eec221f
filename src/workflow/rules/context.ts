/** What every rule receives, and what it returns. Rules are pure: data in, findings out. */

import type { StepDefinition } from '../../steps/define.js';
import type { DocumentFileFacts } from '../../util/document-file.js';
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
  /** The columns `row.*` may read when the command gives the rows (`--data`); see ValidateOptions.rowColumns. */
  rowColumns?: readonly string[] | 'any';
  /** What each playbook this file calls declares, by its `uses:` as written; absent where it could not be read. */
  playbooks: ReadonlyMap<string, PlaybookInterface>;
  /** What each file a step uploads is, by the path as written; absent when the file was not read from disk. */
  uploadFiles?: ReadonlyMap<string, DocumentFileFacts>;
}

/** What a caller needs to know of a playbook: its file, its inputs and the names of its outputs. */
export interface PlaybookInterface {
  /** The playbook file, as diagnostics name it. */
  file: string;
  /** `inputs:` as written (each declaration checked by the playbook's own validation). */
  inputs: Record<string, unknown>;
  outputs: string[];
}

/** A problem at a source offset; validate turns offsets into line:col. */
export interface Finding {
  code: string;
  message: string;
  offset: number;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The two lists that hold steps: the steps, then the cleanup steps run whatever happened. */
export const STEP_LISTS = ['steps', 'finally'] as const;

export const isStepList = (name: unknown): name is (typeof STEP_LISTS)[number] => name === 'steps' || name === 'finally';

/** A step of either list. */
export interface StepEntry {
  /** Position in the order the steps run: the steps first, then the finally: steps. */
  index: number;
  step: Record<string, unknown>;
  /** Where it is written: `['steps', 2]` or `['finally', 0]`. */
  path: [string, number];
}

/** The items of one step list (an empty list when it is absent or not a list). */
const listOf = (data: Record<string, unknown>, name: string): unknown[] => {
  const list = data[name];
  return Array.isArray(list) ? list : [];
};

/** Every item of steps: and then finally:, mappings or not, in the order they run. */
export const stepItems = (data: Record<string, unknown>): { index: number; item: unknown; path: [string, number] }[] => {
  const main = listOf(data, 'steps');
  const items = main.map((item, position) => ({ index: position, item, path: ['steps', position] as [string, number] }));
  listOf(data, 'finally').forEach((item, position) => items.push({ index: main.length + position, item, path: ['finally', position] }));
  return items;
};

/** The steps (of steps: and finally:) that are mappings. */
export const stepsOf = (data: Record<string, unknown>): StepEntry[] => {
  // Loops rather than flatMap and spreads: every rule calls this, and a file may have 10,000 steps.
  const steps: StepEntry[] = [];
  for (const { index, item, path } of stepItems(data)) if (isRecord(item)) steps.push({ index, step: item, path });
  return steps;
};

export const findDefinition = (registry: readonly StepDefinition[], type: unknown): StepDefinition | undefined =>
  typeof type === 'string' ? registry.find((definition) => definition.type === type) : undefined;
