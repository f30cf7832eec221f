import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { StepResult, UnitProblem } from '../engine/results.js';
import { failurePlace } from './place.js';

/**
 * A workflow command's message: GitHub reads `%`, CR and LF as escapes. Terminal control characters (ESC,
 * BEL, the other C0 and C1 controls) become spaces, as on the console: a server's text must not recolour or
 * rewrite the CI log. Line breaks stay, as the `%0D`/`%0A` escapes an annotation shows as a new line.
 */
export const escapeCommandData = (text: string): string =>
  text
    .replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A');

/** A workflow command's property value: also `:` and `,`, which separate properties. */
export const escapeCommandProperty = (text: string): string => escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * The file as GitHub wants it, relative to the repository (`GITHUB_WORKSPACE`, else the working
 * directory), with forward slashes.
 */
export const annotationPath = (file: string, cwd: string, workspace?: string): string => {
  const absolute = resolve(cwd, file);
  const base = workspace ?? cwd;
  const inside = relative(base, absolute);
  const shown = inside.startsWith('..') || isAbsolute(inside) ? file : inside;
  return shown.split(sep).join('/');
};

/**
 * The annotation for a finished step: `::error` for a failure, `::warning` for a failure that
 * continue_on_error let pass and for an interrupted step; nothing otherwise.
 */
export const annotation = (step: StepResult, file: string, unitLabel?: string, path: (file: string) => string = (name) => name): string | undefined => {
  if (!step.error || (step.status !== 'failed' && step.status !== 'interrupted')) return undefined;
  const level = step.status === 'failed' && !step.allowedFailure ? 'error' : 'warning';
  // A step of a playbook (or an error in a playbook's outputs:) is annotated on the playbook file.
  const at = failurePlace(step, file);
  const { line, col } = at;
  const properties = [
    `file=${escapeCommandProperty(at.file === file ? file : path(at.file))}`,
    ...(line === undefined ? [] : [`line=${line}`]),
    ...(line === undefined || col === undefined ? [] : [`col=${col}`]),
    `title=${escapeCommandProperty(step.error.code)}`,
  ].join(',');
  const label = `${unitLabel === undefined ? '' : `[${unitLabel}] `}${step.name ? `${step.id} (${step.name})` : step.id}`;
  return `::${level} ${properties}::${escapeCommandData(`${label}: ${step.error.message}`)}\n`;
};

/** The annotation for a problem that kept a unit of a batch from running: on its workflow file, or on the data file's row. */
export const problemAnnotation = (problem: UnitProblem, unitLabel: string, path: (file: string) => string): string => {
  const properties = [
    ...(problem.file === undefined ? [] : [`file=${escapeCommandProperty(path(problem.file))}`]),
    ...(problem.line === undefined ? [] : [`line=${problem.line}`]),
    ...(problem.line === undefined || problem.col === undefined ? [] : [`col=${problem.col}`]),
    `title=${escapeCommandProperty(problem.code)}`,
  ].join(',');
  return `::error ${properties}::${escapeCommandData(`[${unitLabel}] ${problem.message}`)}\n`;
};
