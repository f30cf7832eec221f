/**
 * Templates inside steps (of steps: and finally:) and a playbook's outputs: every string leaf under
 * `with` and `expect`, and `if`, is analysed on its own (as the engine renders it), and its problems and
 * references are placed in the file.
 */

import { analyzeForCheck } from '../../template/analyze.js';
import type { DocPath } from '../types.js';
import { findDefinition, isRecord, stepItems, stepsOf } from './context.js';
import type { Finding, RuleContext } from './context.js';
import { EXPECTED_ERROR_OUTPUT } from './expect.js';
import { matrixColumns } from '../matrix.js';
import { checkReference } from './references.js';
import { offsetInScalar } from './scalar-offsets.js';
import { isWithin } from './unquoted-template.js';

/**
 * Calls `visit` for every string leaf under `value`, with a function that gives the leaf's path. The path
 * is one array changed as the walk goes and copied only when asked (to place a problem): a large file has
 * hundreds of thousands of leaves, and a copy for each was much of the garbage of validation (issue 8).
 */
const forEachString = (value: unknown, path: (string | number)[], visit: (text: string, pathOf: () => DocPath) => void): void => {
  const stack = [...path];
  const pathOf = (): DocPath => [...stack];
  const walk = (item: unknown): void => {
    if (typeof item === 'string') visit(item, pathOf);
    else if (Array.isArray(item)) {
      for (let index = 0; index < item.length; index += 1) {
        stack.push(index);
        walk(item[index]);
        stack.pop();
      }
    } else if (isRecord(item)) {
      for (const key of Object.keys(item)) {
        stack.push(key);
        walk(item[key]);
        stack.pop();
      }
    }
  };
  walk(value);
};

export const checkTemplates = (context: RuleContext): Finding[] => {
  const { data, locator, source, registry } = context;
  const steps = stepsOf(data);
  const stepIds = new Map<string, number>();
  for (const { index, step } of steps) if (typeof step.id === 'string' && !stepIds.has(step.id)) stepIds.set(step.id, index);
  const stepTypes = stepItems(data).map(({ item }) => (isRecord(item) ? findDefinition(registry, item.uses) : undefined));
  const declaredVars = new Set([...Object.keys(isRecord(data.vars) ? data.vars : {}), ...context.extraVars]);
  const declaredInputs = isRecord(data.inputs) ? new Set(Object.keys(data.inputs)) : undefined;
  // Rows given by the command (--data) replace the file's matrix:.
  // A matrix: without a usable column has had its error reported; its row.* references are not judged.
  const matrixNames = data.matrix === undefined ? undefined : matrixColumns(data.matrix);
  const rowSource = context.rowColumns ?? (matrixNames?.length === 0 ? 'any' : matrixNames);
  const rowColumns = rowSource === 'any' ? rowSource : rowSource && new Set(rowSource);
  // A step that must fail outputs the error it failed with, not its step type's output.
  const outputOverrides = new Map(steps.filter(({ step }) => isRecord(step.expect) && 'error' in step.expect).map(({ index }) => [index, EXPECTED_ERROR_OUTPUT]));
  // A playbook call outputs what the playbook declares under outputs:.
  const playbookOutputs = new Map(
    steps.flatMap(({ index, step }) => {
      const called = typeof step.uses === 'string' ? context.playbooks.get(step.uses) : undefined;
      return called ? [[index, { file: called.file, outputs: called.outputs }] as const] : [];
    }),
  );
  const findings: Finding[] = [];

  // `pathOf` is called only while `check` runs (see forEachString).
  const check = (stepIndex: number, pathOf: () => DocPath, analysed: string, shift: number, inOutputs = false): void => {
    // Shared (perhaps cached): read, never changed.
    const analysis = analyzeForCheck(analysed);
    if (!analysis.isTemplate) return;
    // Looked up only for a problem: finding nodes may make the loader build yaml's document.
    const at = (line: number, col: number): number => {
      const column = line === 1 ? Math.max(1, col - shift) : col;
      const path = pathOf();
      const node = locator.node(path);
      return node ? offsetInScalar(source, node, line, column) : locator.nearestOffset(path, 'value');
    };
    for (const problem of analysis.problems) findings.push({ code: problem.code, message: problem.message, offset: at(problem.line, problem.col) });
    for (const reference of analysis.references) {
      const scope = { stepIndex, stepIds, stepTypes, declaredVars, declaredInputs, rowColumns, optional: reference.optional, outputOverrides, playbookOutputs, inOutputs };
      const problem = checkReference(reference.path, scope);
      if (problem) findings.push({ ...problem, offset: at(reference.line, reference.col) });
    }
  };
  const checkLeaves = (stepIndex: number, value: unknown, path: (string | number)[], inOutputs = false): void => {
    forEachString(value, path, (text, pathOf) => {
      if (context.suppressed.length > 0 && context.suppressed.some((suppressed) => isWithin(pathOf(), suppressed))) return;
      check(stepIndex, pathOf, text, 0, inOutputs);
    });
  };

  for (const { index, step, path } of steps) {
    checkLeaves(index, step.with, [...path, 'with']);
    // Expectation values are rendered like with: (the field paths, the keys, are not templates).
    checkLeaves(index, step.expect, [...path, 'expect']);
    // The engine adds {{ }} around a bare condition; analyse it the same way, columns shifted back.
    if (typeof step.if === 'string') {
      const bare = !step.if.includes('{{');
      check(index, () => [...path, 'if'], bare ? `{{${step.if}}}` : step.if, bare ? 2 : 0);
    }
  }
  // A playbook's outputs are rendered after its steps (not its finally: steps), in its own scope.
  const mainSteps = Array.isArray(data.steps) ? data.steps.length : 0;
  if (isRecord(data.outputs)) checkLeaves(mainSteps, data.outputs, ['outputs'], true);
  return findings;
};
