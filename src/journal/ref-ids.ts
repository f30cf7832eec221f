import type { PlannedStep } from '../engine/plan.js';
import { deriveRefId } from '../paxos/ref-id.js';
import { renderTemplate } from '../template/index.js';
import type { TemplateContext } from '../template/index.js';

/** Helpers that give a new value on every render: a ref_id made with one is not the same on a resume. */
const UNSTABLE = /\{\{[^}]*\b(?:uuid|now|test_ssn)\b/;

/** Every `ref_id` string below `value`, at any depth. */
const refIdLeaves = (value: unknown, found: unknown[] = []): unknown[] => {
  if (Array.isArray(value)) for (const item of value) refIdLeaves(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'ref_id') found.push(item);
      else refIdLeaves(item, found);
    }
  }
  return found;
};

/** Whether the schema declares a `ref_id` property anywhere: the step type creates something keyed by it. */
const declaresRefId = (schema: unknown): boolean => {
  if (Array.isArray(schema)) return schema.some(declaresRefId);
  if (schema === null || typeof schema !== 'object') return false;
  const properties = (schema as { properties?: unknown }).properties;
  if (properties !== null && typeof properties === 'object' && 'ref_id' in properties) return true;
  return Object.values(schema).some(declaresRefId);
};

const refIdDeclared = new WeakMap<object, boolean>();

/** Whether a step type creates what it makes keyed by a `ref_id` in its input (worked out once per type). */
export const createsByRefId = (definition: { input: unknown }): boolean => {
  const key = definition as object;
  let declared = refIdDeclared.get(key);
  if (declared === undefined) refIdDeclared.set(key, (declared = declaresRefId(definition.input)));
  return declared;
};

/** The ref_ids in an already rendered input. */
export const renderedRefIds = (input: unknown): string[] =>
  refIdLeaves(input).filter((value): value is string => typeof value === 'string' && value !== '');

/**
 * The ref_ids a step's creates will use, worked out before it runs: each `ref_id` in its `with`, rendered
 * on its own, or the one derived from the run id and step id when a create step gives none. A ref_id
 * that cannot be rendered yet is left out (the step itself will fail on it). `unstable` is true when a
 * ref_id uses a helper whose value changes on every render, so it cannot be the same on a resume.
 */
export const plannedRefIds = (step: PlannedStep, templates: TemplateContext, runId: string): { refIds: string[]; unstable: boolean } => {
  const leaves = refIdLeaves(step.with);
  if (leaves.length === 0) {
    return { refIds: createsByRefId(step.definition) ? [deriveRefId(runId, step.id)] : [], unstable: false };
  }
  const refIds: string[] = [];
  let unstable = false;
  for (const leaf of leaves) {
    if (typeof leaf !== 'string') continue;
    if (UNSTABLE.test(leaf)) unstable = true;
    try {
      const value = renderTemplate(leaf, templates);
      if (typeof value === 'string' && value !== '') refIds.push(value);
    } catch {
      // Reported by the step when it renders its input.
    }
  }
  return { refIds, unstable };
};
