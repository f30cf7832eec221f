import type { BatchSummary, UnitResult, UnitStatus } from '../engine/results.js';
import { countSteps } from '../engine/results.js';
import type { Style } from './style.js';

/** Units listed one per line at most; past this, the table keeps the units that did not pass. */
export const MAX_TABLE_LINES = 100;

/** One line of the table, kept small: a batch of 10,000 rows must not keep 10,000 results. */
interface Line {
  status: UnitStatus;
  label: string;
  detail: string;
  durationMs?: number;
  runId?: string;
}

const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');

const formatDuration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

/** What the line of a unit says after its status: its step counts, or what failed first. */
const detailOf = (unit: UnitResult): string => {
  if (unit.problems?.length) {
    const [first] = unit.problems;
    return `${first!.code} ${oneLine(first!.message)}${unit.problems.length > 1 ? ` (and ${unit.problems.length - 1} more)` : ''}`;
  }
  const result = unit.result;
  if (!result) return '';
  const failed = result.steps.find((step) => (step.status === 'failed' && !step.allowedFailure) || step.status === 'interrupted');
  if (failed?.error) return `${failed.id}: ${failed.error.code} ${oneLine(failed.error.message)}`;
  const counts = countSteps(result.steps);
  return `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
};

/**
 * The per-unit summary that ends the console output of a batch: a line per unit in unit order (for
 * big batches, the units that did not pass), then the totals.
 */
export const createBatchTable = () => {
  const lines: Line[] = [];
  let hiddenPassed = 0;
  let hiddenOther = 0;
  let pruned = false;

  return {
    add(unit: UnitResult): void {
      const line: Line = {
        status: unit.status,
        label: unit.unit.label,
        detail: detailOf(unit),
        ...(unit.result ? { durationMs: unit.result.durationMs, runId: unit.result.runId } : {}),
      };
      if (!pruned) {
        lines.push(line);
        if (lines.length <= MAX_TABLE_LINES) return;
        // Too many to list: keep the ones a reader has to look at.
        pruned = true;
        const kept = lines.filter((candidate) => candidate.status !== 'passed');
        hiddenPassed = lines.length - kept.length;
        hiddenOther = Math.max(0, kept.length - MAX_TABLE_LINES);
        lines.splice(0, lines.length, ...kept.slice(0, MAX_TABLE_LINES));
      } else if (line.status === 'passed') hiddenPassed += 1;
      else if (lines.length < MAX_TABLE_LINES) lines.push(line);
      else hiddenOther += 1;
    },

    /** The table and the totals line. */
    render(summary: BatchSummary, style: Style): string {
      const mark: Record<UnitStatus, string> = { passed: style.green('✓'), failed: style.red('✗'), invalid: style.red('✗'), interrupted: style.yellow('!') };
      const width = Math.min(40, Math.max(0, ...lines.map((line) => line.label.length)));
      const statusWidth = 'interrupted'.length;
      const out = [`${style.bold('Summary')} ${style.dim(`(${summary.counts.total} run${summary.counts.total === 1 ? '' : 's'})`)}`];
      for (const line of lines) {
        const tail = [line.durationMs === undefined ? '' : formatDuration(line.durationMs), line.runId ? `run ${line.runId.slice(0, 8)}` : ''].filter(Boolean).join(', ');
        out.push(`  ${mark[line.status]} ${oneLine(line.label).padEnd(width)}  ${line.status.padEnd(statusWidth)}  ${line.detail}${tail ? style.dim(` (${tail})`) : ''}`);
      }
      if (hiddenPassed > 0) out.push(style.dim(`  … and ${hiddenPassed} more passed`));
      if (hiddenOther > 0) out.push(style.dim(`  … and ${hiddenOther} more that did not pass (the json and junit reports list every run)`));
      const { counts } = summary;
      const parts = [`${counts.passed} passed`, `${counts.failed} failed`];
      if (counts.invalid > 0) parts.push(`${counts.invalid} invalid`);
      if (counts.interrupted > 0) parts.push(`${counts.interrupted} interrupted`);
      const verdict = { passed: style.green('PASSED'), failed: style.red('FAILED'), interrupted: style.yellow('INTERRUPTED') }[summary.status];
      out.push(`${verdict} ${counts.total} run${counts.total === 1 ? '' : 's'}: ${parts.join(', ')} in ${formatDuration(summary.durationMs)}`);
      return `${out.join('\n')}\n`;
    },
  };
};
