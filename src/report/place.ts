import type { StepResult } from '../engine/results.js';

/**
 * Where a finished step's failure points, for `at FILE:LINE:COL`: the error's own place when it has one
 * (a template, an expectation), else the step's. The file is the step's own for a step of a playbook
 * (`onboard.identity` is written in the playbook), else the run's.
 */
export const failurePlace = (step: StepResult, runFile: string): { file: string; line?: number; col?: number } => {
  const stepFile = step.file ?? runFile;
  const error = step.error;
  if (error?.line !== undefined) return { file: error.file ?? stepFile, line: error.line, ...(error.col === undefined ? {} : { col: error.col }) };
  return { file: stepFile, ...(step.line === undefined ? {} : { line: step.line }), ...(step.col === undefined ? {} : { col: step.col }) };
};
