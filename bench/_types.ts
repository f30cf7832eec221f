/** The shapes every figure of the benchmark shares. */

/** A target a figure must meet: `value op limit`. */
export interface Budget {
  op: '<=' | '<' | '>=';
  limit: number;
}

/** One line of the results table. A figure returns one or more. */
export interface Row {
  /** Which figure the row belongs to, e.g. `Cold start`. */
  figure: string;
  /** What was measured, e.g. `paxflow --version / node -e 0`. */
  name: string;
  /** Absent when the row was not measured; `notMeasured` then says why. */
  value?: number;
  unit: string;
  /** Absent for rows shown for context only. */
  budget?: Budget;
  notMeasured?: string;
  /** One short line shown in the table beside the value. */
  note?: string;
  /** Raw numbers behind the value, kept in results.json only. */
  details?: Record<string, unknown>;
}

/** What the runner hands to every figure. */
export interface BenchContext {
  /** The repository root (absolute). */
  root: string;
  /** The bundled CLI, rebuilt from the current source before any figure runs. */
  cliPath: string;
  /** A scratch directory outside the repository, removed at the end. */
  tmp: string;
  /** Fewer repetitions, for a quick look while profiling; figures are noisier. */
  quick: boolean;
  /** Progress line on stderr. */
  log(message: string): void;
}

/** One figure of the benchmark: a function in its own file, listed once in run.ts. */
export interface Figure {
  id: string;
  title: string;
  measure(context: BenchContext): Promise<Row[]>;
}

/** A row for a figure that could not be measured, with the reason instead of a number. */
export const notMeasured = (figure: string, name: string, unit: string, reason: string, budget?: Budget): Row => ({
  figure,
  name,
  unit,
  notMeasured: reason,
  ...(budget ? { budget } : {}),
});
