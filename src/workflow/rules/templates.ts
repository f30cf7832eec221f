/**
 * Templates inside steps: every string leaf under `with` and `expect`, and `if`, is analysed on its own
 * (as the engine renders it), and its problems and references are placed in the file.
 */

import { analyzeTemplate } from '../../template/index.js';
import type { DocPath } from '../types.js';
import { findDefinition, isRecord, stepsOf } from './context.js';
import type { Finding, RuleContext } from './context.js';
import { EXPECTED_ERROR_OUTPUT } from './expect.js';
import { checkReference } from './references.js';
import { offsetInScalar } from './scalar-offsets.js';
import { isWithin } from './unquoted-template.js';

interface Leaf {
  path: (string | number)[];
  text: string;
}

const stringLeaves = (value: unknown, path: (string | number)[], leaves: Leaf[] = []): Leaf[] => {
  if (typeof value === 'string') leaves.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((item, index) => stringLeaves(item, [...path, index], leaves));
  else if (isRecord(value)) for (const [key, item] of Object.entries(value)) stringLeaves(item, [...path, key], leaves);
  return leaves;
};

export const checkTemplates = (context: RuleContext): Finding[] => {
  const { data, locator, source, registry } = context;
  const steps = stepsOf(data);
  const stepIds = new Map<string, number>();
  for (const { index, step } of steps) if (typeof step.id === 'string' && !stepIds.has(step.id)) stepIds.set(step.id, index);
  const stepTypes = Array.isArray(data.steps) ? data.steps.map((step) => (isRecord(step) ? findDefinition(registry, step.uses) : undefined)) : [];
  const declaredVars = new Set([...Object.keys(isRecord(data.vars) ? data.vars : {}), ...context.extraVars]);
  // A step that must fail outputs the error it failed with, not its step type's output.
  const outputOverrides = new Map(steps.filter(({ step }) => isRecord(step.expect) && 'error' in step.expect).map(({ index }) => [index, EXPECTED_ERROR_OUTPUT]));
  const findings: Finding[] = [];

  const check = (stepIndex: number, path: DocPath, analysed: string, shift: number): void => {
    const analysis = analyzeTemplate(analysed);
    if (!analysis.isTemplate) return;
    const node = locator.node(path);
    const at = (line: number, col: number): number => {
      const column = line === 1 ? Math.max(1, col - shift) : col;
      return node ? offsetInScalar(source, node, line, column) : locator.nearestOffset(path, 'value');
    };
    for (const problem of analysis.problems) findings.push({ code: problem.code, message: problem.message, offset: at(problem.line, problem.col) });
    for (const reference of analysis.references) {
      const problem = checkReference(reference.path, { stepIndex, stepIds, stepTypes, declaredVars, optional: reference.optional, outputOverrides });
      if (problem) findings.push({ ...problem, offset: at(reference.line, reference.col) });
    }
  };

  for (const { index, step } of steps) {
    for (const leaf of stringLeaves(step.with, ['steps', index, 'with'])) {
      if (context.suppressed.some((path) => isWithin(leaf.path, path))) continue;
      check(index, leaf.path, leaf.text, 0);
    }
    // Expectation values are rendered like with: (the field paths, the keys, are not templates).
    for (const leaf of stringLeaves(step.expect, ['steps', index, 'expect'])) {
      if (context.suppressed.some((path) => isWithin(leaf.path, path))) continue;
      check(index, leaf.path, leaf.text, 0);
    }
    // The engine adds {{ }} around a bare condition; analyse it the same way, columns shifted back.
    if (typeof step.if === 'string') {
      const bare = !step.if.includes('{{');
      check(index, ['steps', index, 'if'], bare ? `{{${step.if}}}` : step.if, bare ? 2 : 0);
    }
  }
  return findings;
};
