/**
 * `matrix:`: the rows a workflow runs for by itself, each read as `row.<column>`. Two forms:
 *
 * - a list of rows: `matrix: [{ market: ETHUSD, amount: "10" }, { market: BTCUSD, amount: "0.5" }]`
 * - a mapping of columns to lists of values, one row per combination:
 *   `matrix: { market: [ETHUSD, BTCUSD], side: [BUY, SELL] }` is four rows, the first column varying slowest.
 *
 * `--data FILE` replaces the matrix. Pure.
 */

import type { JsonSchema } from '../steps/define.js';
import { isRecord } from './rules/context.js';
import type { Finding, RuleContext } from './rules/context.js';

/** Column names of a matrix: usable as `row.<name>` without brackets. */
export const COLUMN_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

/** Most rows a matrix may expand to; more rows belong in a data file (`--data`). */
export const MAX_MATRIX_ROWS = 1000;

/** A validated `matrix:`. */
export type MatrixSpec = Record<string, unknown>[] | Record<string, unknown[]>;

const VALUE = { description: 'A value of the column: any YAML value; quote amounts ("10.50").' };

/** The schema of `matrix:` (one schema for both forms: list keywords apply to lists, object keywords to mappings). */
export const matrixSchema = (): JsonSchema => ({
  type: ['array', 'object'],
  description:
    'Run the workflow once per row, each run reading row.<column>: a list of rows ([{market: ETHUSD, amount: "10"}, ...]), or a mapping of columns to lists of values, which runs every combination ({market: [ETHUSD, BTCUSD], side: [BUY, SELL]} is four runs). --data FILE replaces it.',
  minItems: 1,
  items: {
    type: 'object',
    description: 'One row: column names and their values.',
    minProperties: 1,
    propertyNames: { pattern: COLUMN_PATTERN },
    additionalProperties: VALUE,
  },
  minProperties: 1,
  propertyNames: { pattern: COLUMN_PATTERN },
  additionalProperties: {
    type: 'array',
    description: 'The values of this column; every combination with the other columns is a row.',
    minItems: 1,
    items: VALUE,
  },
});

/** How many rows a matrix expands to (a shape the schema refuses counts as 0). */
export const matrixSize = (matrix: unknown): number => {
  if (Array.isArray(matrix)) return matrix.length;
  if (!isRecord(matrix)) return 0;
  return Object.values(matrix).reduce<number>((size, values) => size * (Array.isArray(values) ? values.length : 0), 1);
};

const COLUMN = new RegExp(COLUMN_PATTERN);

/** Every column any row of the matrix has (names the schema refuses left out). */
export const matrixColumns = (matrix: unknown): string[] => {
  const names = Array.isArray(matrix) ? matrix.flatMap((row) => (isRecord(row) ? Object.keys(row) : [])) : isRecord(matrix) ? Object.keys(matrix) : [];
  return [...new Set(names)].filter((name) => COLUMN.test(name));
};

/** The rows of a validated matrix, in order; each is a fresh object. */
export function* expandMatrix(matrix: MatrixSpec): Generator<Record<string, unknown>> {
  if (Array.isArray(matrix)) {
    for (const row of matrix) yield structuredClone(row);
    return;
  }
  const columns = Object.entries(matrix);
  const size = matrixSize(matrix);
  for (let index = 0; index < size; index += 1) {
    const row: Record<string, unknown> = {};
    // Mixed radix, last column fastest.
    let rest = index;
    for (let column = columns.length - 1; column >= 0; column -= 1) {
      const [name, values] = columns[column]!;
      row[name] = structuredClone(values[rest % values.length]);
      rest = Math.floor(rest / values.length);
    }
    yield Object.fromEntries(columns.map(([name]) => [name, row[name]]));
  }
}

/** `MATRIX_TOO_LARGE`: a matrix of more rows than {@link MAX_MATRIX_ROWS}. */
export const checkMatrix = ({ data, locator }: RuleContext): Finding[] => {
  const size = matrixSize(data.matrix);
  if (size <= MAX_MATRIX_ROWS) return [];
  return [
    {
      code: 'MATRIX_TOO_LARGE',
      message: `matrix: expands to ${size} rows; at most ${MAX_MATRIX_ROWS} are allowed here. Put that many rows in a data file and run it with --data.`,
      offset: locator.nearestOffset(['matrix'], 'key'),
    },
  ];
};
