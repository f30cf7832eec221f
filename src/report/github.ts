import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { StepResult } from '../engine/results.js';

/** A workflow command's message: GitHub reads `%`, CR and LF as escapes. */
export const escapeCommandData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

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
export const annotation = (step: StepResult, file: string): string | undefined => {
  if (!step.error || (step.status !== 'failed' && step.status !== 'interrupted')) return undefined;
  const level = step.status === 'failed' && !step.allowedFailure ? 'error' : 'warning';
  const line = step.error.line ?? step.line;
  const col = step.error.line === undefined ? step.col : step.error.col;
  const properties = [
    `file=${escapeCommandProperty(file)}`,
    ...(line === undefined ? [] : [`line=${line}`]),
    ...(line === undefined || col === undefined ? [] : [`col=${col}`]),
    `title=${escapeCommandProperty(step.error.code)}`,
  ].join(',');
  const label = step.name ? `${step.id} (${step.name})` : step.id;
  return `::${level} ${properties}::${escapeCommandData(`${label}: ${step.error.message}`)}\n`;
};
