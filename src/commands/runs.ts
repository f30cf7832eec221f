import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { UsageError } from '../errors.js';
import { listRuns, resolveJournalDir } from '../journal/index.js';
import type { RunListing } from '../journal/index.js';
import { parseCommandArgs } from './_args.js';

const pad = (text: string, width: number): string => text.padEnd(width);

/** `2026-05-01T10:22:03.123Z` -> `2026-05-01 10:22:03Z`: sortable, and short enough for a table. */
const shortTime = (iso: string | undefined): string => (iso === undefined ? '-' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));

export const formatRuns = (runs: readonly RunListing[], journalDir: string): string => {
  if (runs.length === 0) return `no runs in ${journalDir}\n`;
  const rows = runs.map((run) => [
    run.runId,
    run.status,
    shortTime(run.startedAt),
    run.steps ? `${run.steps.completed}/${run.steps.total}` : '-',
    run.workflow ? `${run.workflow.name} (${run.workflow.file}${run.target ? `, ${run.target}` : ''})` : (run.error ?? ''),
  ]);
  const header = ['RUN', 'STATUS', 'STARTED', 'STEPS', 'WORKFLOW'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]): string =>
    `${cells.map((cell, column) => (column === cells.length - 1 ? cell : pad(cell, widths[column]!))).join('  ')}\n`;
  return line(header) + rows.map(line).join('');
};

export const OPTIONS = { 'journal-dir': { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } } as const;

export const help = `Usage: paxflow runs [--limit N] [--json] [--journal-dir DIR]

Lists the recent runs kept in the journal folder, newest first: run id, status, workflow and when it
started. A failed or interrupted run can be continued with paxflow run FILE --resume RUN_ID.

Options:
  --limit N            how many runs (default 20; 0 for every run)
  --json               the list as JSON
  --journal-dir DIR    where run journals are (default .paxflow/runs, or $PAXFLOW_HOME/runs)

Example:
  paxflow runs --limit 5
`;

/** `paxflow runs`: the recent runs in the journal folder, newest first, with their status. */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values } = parseCommandArgs('runs', args, OPTIONS, false);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError('BAD_ARGUMENTS', '--limit takes a whole number (0 for every run)');
  const journalDir = resolveJournalDir({ flag: values['journal-dir'], env: io.env, cwd: io.cwd });
  const runs = listRuns(journalDir, { limit });
  io.stdout.write(values.json ? `${JSON.stringify({ journalDir, runs }, null, 2)}\n` : formatRuns(runs, journalDir));
  return EXIT.ok;
};
