import { analyzeTemplate } from '../template/index.js';
import { lookupPath } from '../template/scope.js';
import type { Plan } from './plan.js';

/** A `row.*` value that a step needs: `row.date_of_birth` read by step `identity`. */
export interface RowNeed {
  /** The path below `row`: `['date_of_birth']`, `['address', 'city']`. */
  path: string[];
  stepId: string;
  line?: number;
  col?: number;
}

const strings = (value: unknown, found: string[] = []): string[] => {
  if (typeof value === 'string') found.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, found);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) strings(item, found);
  return found;
};

/**
 * The `row.*` values a plan's steps need, found by analysing their templates: those of every step
 * without an `if:` (a step that may not run may read a value that some rows leave out), and not the
 * first argument of `default`, which may be missing by design.
 */
export const rowNeeds = (plan: Plan): RowNeed[] => {
  const needs = new Map<string, RowNeed>();
  for (const step of plan.steps) {
    // A playbook call reads rows through its inputs (`with:`); its steps read only `inputs.*`.
    if ((step.call ? step.call.if : step.if) !== undefined) continue;
    for (const text of strings(step.call ? step.call.with : [step.with, step.expect])) {
      for (const reference of analyzeTemplate(text).references) {
        if (reference.path[0] !== 'row' || reference.path.length < 2 || reference.optional) continue;
        const path = reference.path.slice(1);
        const key = JSON.stringify(path);
        if (!needs.has(key)) needs.set(key, { path, stepId: step.id, ...(step.line === undefined ? {} : { line: step.line, col: step.col! }) });
      }
    }
  }
  return [...needs.values()];
};

/** What {@link checkRow} says about a row, one problem per missing value. */
export interface RowCheckProblem {
  code: 'ROW_MISSING_COLUMN';
  message: string;
}

/**
 * Checks a row against what the steps need, before anything runs for it: every needed `row.*` value
 * must be there (an empty CSV cell is not). The messages name the row, the column and the step, never
 * a value.
 */
export const checkRow = (needs: readonly RowNeed[], values: Record<string, unknown>, row: { number: number; line?: number; workflowFile: string }): RowCheckProblem[] => {
  const where = row.line === undefined ? `row ${row.number}` : `row ${row.number} (line ${row.line})`;
  return needs.flatMap((need) => {
    if (lookupPath(values, need.path).found) return [];
    const at = need.line === undefined ? '' : ` (${row.workflowFile}:${need.line}:${need.col ?? 1})`;
    const message = `${where} has no value for row.${need.path.join('.')} (an empty cell or a missing column), which step ${need.stepId}${at} needs`;
    return [{ code: 'ROW_MISSING_COLUMN' as const, message }];
  });
};
