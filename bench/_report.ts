/** The results table (markdown, stdout) and bench/results.json. */

import type { Machine } from './_machine.js';
import { formatMachine } from './_machine.js';
import type { Budget, Row } from './_types.js';

export type Verdict = 'pass' | 'miss' | 'info' | 'not measured';

export const verdictOf = (row: Row): Verdict => {
  if (row.value === undefined) return 'not measured';
  if (!row.budget) return 'info';
  const { op, limit } = row.budget;
  const ok = op === '<=' ? row.value <= limit : op === '<' ? row.value < limit : row.value >= limit;
  return ok ? 'pass' : 'miss';
};

const showBudget = (budget: Budget | undefined, unit: string): string =>
  budget ? `${budget.op} ${budget.limit.toLocaleString('en-US')} ${unit}` : '';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export const formatTable = (rows: readonly Row[], machine: Machine, header: string): string => {
  const lines = [
    header,
    '',
    `Machine: ${formatMachine(machine)}`,
    '',
    '| Figure | Measure | Value | Budget | Result | Notes |',
    '|---|---|---:|---|---|---|',
  ];
  for (const row of rows) {
    const verdict = verdictOf(row);
    const value = row.value === undefined ? '' : `${row.value.toLocaleString('en-US')} ${row.unit}`;
    const result = verdict === 'not measured' ? `not measured: ${row.notMeasured ?? 'no value'}` : verdict === 'miss' ? '**MISS**' : verdict;
    lines.push(`| ${cell(row.figure)} | ${cell(row.name)} | ${value} | ${cell(showBudget(row.budget, row.unit))} | ${cell(result)} | ${cell(row.note ?? '')} |`);
  }
  return `${lines.join('\n')}\n`;
};

export const resultsJson = (rows: readonly Row[], machine: Machine, meta: Record<string, unknown>): string =>
  `${JSON.stringify(
    {
      ...meta,
      machine,
      figures: rows.map((row) => ({
        figure: row.figure,
        name: row.name,
        value: row.value ?? null,
        unit: row.unit,
        budget: row.budget ? showBudget(row.budget, row.unit) : null,
        result: verdictOf(row),
        pass: row.budget && row.value !== undefined ? verdictOf(row) === 'pass' : null,
        ...(row.notMeasured === undefined ? {} : { reason: row.notMeasured }),
        ...(row.note === undefined ? {} : { note: row.note }),
        machine,
        ...(row.details === undefined ? {} : { details: row.details }),
      })),
    },
    null,
    2,
  )}\n`;
