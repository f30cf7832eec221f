import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { openDataSource, type DataSource } from '../data/index.js';
import { createOrderedRelay, runPool } from '../engine/batch.js';
import type { BatchSummary, RunEvent, RunStatus, UnitInfo, UnitProblem, UnitResult, UnitStatus } from '../engine/results.js';
import { checkRow } from '../engine/row-check.js';
import { runWorkflow } from '../engine/run.js';
import { UsageError, isPaxflowError } from '../errors.js';
import { openRunJournal, prepareJournalDir, resolveJournalDir } from '../journal/index.js';
import { formatError } from '../report/format-error.js';
import { openReports, type Reports } from '../report/output.js';
import type { Redactor } from '../report/redact.js';
import { createUnitRedactor } from '../report/redact-unit.js';
import { chooseReporters } from '../report/reporters.js';
import { sensitiveFieldNames } from '../steps/sensitive.js';
import { isCI } from '../util/env-flag.js';
import { collectVars } from './_workflow.js';
import { checkKnownInputs } from '../engine/known-inputs.js';
import { noReportsOnDryRun, problemsOf, writeInvalidReports } from './_invalid-report.js';
import { formatPlan } from './plan.js';
import { openSession, refusePiiOff, targetNameOf, type Session } from './_session.js';
import { parseShard, shardNote, shardRange, type Shard } from './_shard.js';
import { expandWorkflowPaths, loadSources, unitsOf, type Source, type Unit } from './_units.js';
import type { RunValues } from './run.js';

export const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 256;

/** `--concurrency N`: a whole number from 1 to 256. */
export const parseConcurrency = (value: string | undefined): number => {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const number = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(number >= 1 && number <= MAX_CONCURRENCY)) throw new UsageError('BAD_ARGUMENTS', `--concurrency takes a whole number from 1 to ${MAX_CONCURRENCY}`);
  return number;
};

const parseGrep = (pattern: string | undefined): RegExp | undefined => {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern, 'i');
  } catch (error) {
    // V8 says "Invalid regular expression: /(/i: Unterminated group"; the last part is the why.
    const why = error instanceof SyntaxError ? (/: ([^:]+)$/.exec(error.message)?.[1] ?? '').trim().toLowerCase() : '';
    throw new UsageError(
      'BAD_ARGUMENTS',
      `--grep ${JSON.stringify(pattern)} is not a valid regular expression${why ? ` (${why})` : ''}; it is matched against workflow names, case-insensitive (escape ( ) [ ] * + ? with \\ to match them as text)`,
    );
  }
};

/**
 * Whether the command runs many units: several paths, a folder, `--data`, `--grep` or `--shard`. (One
 * file that declares `matrix:` is found out once it is loaded.)
 */
export const isBatch = async (values: RunValues, positionals: readonly string[], cwd: string): Promise<boolean> => {
  parseConcurrency(values.concurrency);
  if (positionals.length > 1 || values.data !== undefined || values.grep !== undefined || values.shard !== undefined) return true;
  const info = await stat(resolve(cwd, positionals[0]!)).catch(() => undefined);
  return info?.isDirectory() ?? false;
};

/** Counts of unit outcomes, and the batch's status from them. */
const tally = () => {
  const counts: BatchSummary['counts'] = { total: 0, passed: 0, failed: 0, invalid: 0, interrupted: 0 };
  return {
    counts,
    add(status: UnitStatus): void {
      counts.total += 1;
      counts[status] += 1;
    },
    status(interrupted: boolean): RunStatus {
      if (interrupted || counts.interrupted > 0) return 'interrupted';
      return counts.failed + counts.invalid > 0 ? 'failed' : 'passed';
    },
  };
};

interface BatchContext {
  io: CliIO;
  session: Session;
  reports: Reports;
  redactor: Redactor;
  data: DataSource | undefined;
  journalDir: string;
  finish(unit: UnitResult, redactor: Redactor): void;
}

const unitInfo = (unit: Unit, index: number, data: DataSource | undefined): UnitInfo => ({
  index,
  label: unit.label,
  file: unit.source.file,
  ...(unit.row === undefined ? {} : { row: unit.row.number }),
  ...(unit.row && data ? { dataFile: data.file } : {}),
  ...(unit.row?.line === undefined ? {} : { line: unit.row.line }),
});

/** Why a unit cannot start (its file, its row), before anything is sent for it; undefined when it can. */
const unitProblems = ({ source, row }: Unit, data: DataSource | undefined): UnitProblem[] | undefined => {
  if (source.problems) return source.problems;
  if (!row) return undefined;
  const at = { file: data?.file ?? source.file, ...(row.line === undefined ? {} : { line: row.line }) };
  if (row.problem) return [{ ...row.problem, ...at }];
  const problems = checkRow(source.needs ?? [], row.values ?? {}, { number: row.number, ...(row.line === undefined ? {} : { line: row.line }), workflowFile: source.file });
  if (problems.length > 0) return problems.map((problem) => ({ ...problem, ...at }));
  if (!source.plan || !source.needs?.length) return undefined;
  // A row's value that cannot fit the field it reaches (a JSON number where a decimal string goes) fails
  // the row before its first request, not at that step after the steps before it have run.
  const where = row.line === undefined ? `row ${row.number}` : `row ${row.number} (line ${row.line})`;
  const rowOrigin = { label: where, row: true, ...at };
  const typed = checkKnownInputs(source.plan, { ...(source.varOrigins ? { varOrigins: source.varOrigins } : {}), row: row.values ?? {}, rowOrigin, rowOnly: true });
  return typed.length > 0 ? typed.map((d) => ({ code: d.code, message: d.message, ...at })) : undefined;
};

/**
 * How far a unit may start ahead of the earliest one not yet reported. Reports go in row order, so each
 * unit that ends after a slow one waits with its whole result and redactor (tens of KB); without a bound,
 * one row waiting out a long approval would keep every row that finished meanwhile in memory.
 */
const RELAY_WINDOW = 512;

/** Runs one unit with its own run id, journal and redactor; never throws. */
const runUnit = async (unit: Unit, index: number, context: BatchContext): Promise<void> => {
  const { io, session, reports, redactor, data, journalDir } = context;
  const { source, row } = unit;
  const info = unitInfo(unit, index, data);
  const named = source.name === undefined ? {} : { name: source.name };
  const problems = unitProblems(unit, data);
  if (problems || !source.plan) return context.finish({ unit: info, status: 'invalid', ...named, problems: problems ?? [] }, redactor);
  const plan = source.plan;
  const declared = source.declared ?? { paths: [], secrets: [] };
  const unitRedactor = createUnitRedactor(redactor, { fields: sensitiveFieldNames(), paths: declared.paths });
  if (row?.values) unitRedactor.capture(row.values);
  try {
    const journal = openRunJournal({
      journalDir,
      ...(session.target.snapshot ? { snapshot: session.target.snapshot } : {}),
      redaction: { fields: declared.paths, secrets: [...declared.secrets, session.credentials?.clientSecret] },
    });
    try {
      const result = await runWorkflow(plan, {
        target: session.target.info,
        paxos: session.paxos,
        env: io.env,
        runId: journal.runId,
        journal,
        ...(row?.values ? { row: row.values } : {}),
        onSecret: (value) => unitRedactor.addSensitive(value),
        // The unit's end (in unit order) carries its run's result; redacting it twice more would be waste.
        onEvent: (event: RunEvent) => event.type !== 'workflow:end' && reports.onEvent(event.type === 'workflow:start' ? { ...event, unit: info } : event, unitRedactor),
        ...(io.signal ? { signal: io.signal } : {}),
      });
      context.finish({ unit: info, status: result.status, ...named, result }, unitRedactor);
    } finally {
      journal.close();
    }
  } catch (error) {
    // The journal could not be opened or written: this unit fails, the others go on.
    const problem = isPaxflowError(error) ? { code: error.code, message: error.message } : { code: 'INTERNAL_ERROR', message: 'the run could not start' };
    context.finish({ unit: info, status: 'failed', ...named, problems: [problem] }, unitRedactor);
  }
};

/** Loads every file, opens the data, checks the flags: everything that can refuse the command before anything runs. */
const prepare = async (values: RunValues, positionals: readonly string[], io: CliIO, redactor: Redactor) => {
  if (values.resume !== undefined || values.force) {
    throw new UsageError('BAD_ARGUMENTS', '--resume continues one run of one file; it does not go with several files, a folder, --data or matrix: (paxflow runs lists each run by id)');
  }
  const concurrency = parseConcurrency(values.concurrency);
  const grep = parseGrep(values.grep);
  const shard = parseShard(values.shard, io.env);
  if (!redactor.pii && isCI(io.env)) throw refusePiiOff(`under CI=${io.env.CI}`);
  const targetName = targetNameOf(values);
  if (!redactor.pii && targetName !== 'local') throw refusePiiOff(`against --target ${targetName}`);
  const choices = chooseReporters(values.reporter ?? [], io.env);
  // Checked once for every unit, before anything runs: otherwise each unit would fail on its own.
  prepareJournalDir(resolveJournalDir({ flag: values['journal-dir'], env: io.env, cwd: io.cwd }));
  const data = values.data === undefined ? undefined : await openDataSource(values.data, io.cwd);
  const { files, folders } = await expandWorkflowPaths(positionals, io.cwd);
  if (files.length === 0) throw new UsageError('NO_WORKFLOWS', `no *.yaml workflow files in ${positionals.join(', ')}`);
  const vars = await collectVars(values['vars-file'], values.var ?? [], io.cwd);
  const sources = await loadSources(files, {
    cwd: io.cwd,
    ...(data ? { rowColumns: data.columns ?? 'any' } : {}),
    ...(grep ? { grep } : {}),
    vars,
    redactor,
    targetName,
  });
  if (sources.length === 0) throw new UsageError('NO_WORKFLOWS', `no workflow's name matches --grep ${values.grep}`);
  const suite = files.length > 1 || folders > 0;
  // One file named alone (with --data or matrix:) that cannot run stops the command, as a plain run does,
  // with its report files saying so.
  const alone = sources[0]!;
  if (!suite && alone.error) {
    if (!values['dry-run']) {
      await writeInvalidReports({ choices, file: alone.file, ...(alone.name === undefined ? {} : { name: alone.name }), problems: alone.problems ?? problemsOf(alone.error, alone.file), io, redactor, target: targetName });
    }
    throw alone.error;
  }
  return { concurrency, choices, data, sources, suite, shard };
};

/**
 * The units of the command, or of its shard: counting them first reads `--data` once more (rows only,
 * nothing runs), so the blocks are known before the first unit starts.
 */
const selectUnits = async (sources: readonly Source[], data: DataSource | undefined, suite: boolean, shard: Shard | undefined, io: CliIO) => {
  if (!shard) return unitsOf(sources, data, suite);
  let count = 0;
  for await (const _unit of unitsOf(sources, data, suite)) count += 1;
  io.stderr.write(shardNote(count, shard));
  const { start, end } = shardRange(count, shard);
  return (async function* () {
    let index = 0;
    for await (const unit of unitsOf(sources, data, suite)) {
      if (index >= end) return;
      if (index >= start) yield unit;
      index += 1;
    }
  })();
};

/** `FILE:LINE:COL error CODE message`, as `--dry-run` prints a problem. */
const problemLine = (problem: UnitProblem, file: string, redactor: Redactor): string => {
  const at = [problem.file ?? file, problem.line, problem.col].filter((part) => part !== undefined).join(':');
  return redactor.text(`${at} error ${problem.code} ${redactor.message(problem.message)}\n`);
};

/**
 * `--dry-run` with many units: the plan of every file, and every unit checked as a run checks it before
 * its first request (each row of `--data` or `matrix:` read, its missing columns and values that do not
 * fit their fields found), sending nothing and writing no report. Exit 1 when any unit could not run.
 */
const dryRun = async (sources: readonly Source[], units: AsyncIterable<Unit>, data: DataSource | undefined, choices: Parameters<typeof noReportsOnDryRun>[0], io: CliIO, redactor: Redactor): Promise<number> => {
  let invalid = false;
  for (const source of sources) {
    if (source.plan) io.stdout.write(formatPlan(source.plan, { redactor }));
    else {
      invalid = true;
      for (const problem of source.problems ?? []) io.stdout.write(problemLine(problem, source.file, redactor));
    }
  }
  let rows = 0;
  let refused = 0;
  for await (const unit of units) {
    if (!unit.row || !unit.source.plan) continue;
    rows += 1;
    const problems = unitProblems(unit, data);
    if (!problems) continue;
    refused += 1;
    for (const problem of problems) io.stdout.write(problemLine(problem, data?.file ?? unit.source.file, redactor));
  }
  if (rows > 0) {
    const from = data ? `the rows of ${data.file}` : 'the entries of matrix:';
    const verdict = refused === 0 ? `all ${rows} can run` : `${rows - refused} can run, ${refused} cannot (above)`;
    io.stdout.write(redactor.text(`${rows} ${rows === 1 ? 'run' : 'runs'} from ${from} checked, as each run checks its row before sending: ${verdict}\n`));
  }
  noReportsOnDryRun(choices, io);
  return invalid || refused > 0 ? EXIT.failed : EXIT.ok;
};

/**
 * `paxflow run` for many units (files of a suite, rows of `--data` or `matrix:`): one target, one client
 * and token, one set of reports; each unit its own run id, journal and redactor; at most `--concurrency`
 * at a time. Exit 0 when every unit passed, 1 when any failed or could not run, 130 when interrupted.
 */
export const executeBatch = async (values: RunValues, positionals: readonly string[], io: CliIO, redactor: Redactor): Promise<number> => {
  const { concurrency, choices, data, sources, suite, shard } = await prepare(values, positionals, io, redactor);
  const units = await selectUnits(sources, data, suite, shard, io);
  if (values['dry-run']) return dryRun(sources, units, data, choices, io, redactor);
  // Every running unit's current step listens on the command's signal (released when the step ends): up to
  // `concurrency` at once is expected, not a leak, so Node's warning past 10 listeners must not print.
  if (io.signal) setMaxListeners(concurrency + 10, io.signal);
  const scopes = [...new Set(sources.flatMap((source: Source) => source.plan?.scopes ?? []))].sort();
  const reports = await openReports({ choices, redactor, stdout: io.stdout, env: io.env, cwd: io.cwd, verbose: values.verbose ?? false, stream: true });
  const totals = tally();
  let failure: unknown;
  try {
    const session = await openSession(values, io, redactor, scopes);
    try {
      // A missing scope or a rejected credential stops the command here, before any unit runs.
      if (scopes.length > 0) await session.paxos.authorize(io.signal);
      const started = Date.now();
      const startedAt = new Date(started).toISOString();
      reports.onEvent({ type: 'batch:start', startedAt, target: session.target.info, concurrency, ...(data ? { dataFile: data.file } : {}) });
      const relay = createOrderedRelay<{ unit: UnitResult; redactor: Redactor }>(({ unit, redactor: unitRedactor }) => {
        totals.add(unit.status);
        reports.onEvent({ type: 'unit:end', unit }, unitRedactor);
      });
      const context: BatchContext = {
        io,
        session,
        reports,
        redactor,
        data,
        journalDir: resolveJournalDir({ flag: values['journal-dir'], env: io.env, cwd: io.cwd }),
        finish: (unit, unitRedactor) => relay.put(unit.unit.index, { unit, redactor: unitRedactor }),
      };
      try {
        await runPool(units, {
          concurrency,
          ...(io.signal ? { signal: io.signal } : {}),
          run: async (unit, index) => {
            await relay.room(index, RELAY_WINDOW);
            await runUnit(unit, index, context);
          },
        });
      } catch (error) {
        // The data file went unreadable halfway: the rows that ran are reported, then the error.
        failure = error;
      }
      const summary: BatchSummary = { status: totals.status(io.signal?.aborted ?? false), startedAt, durationMs: Date.now() - started, counts: totals.counts };
      reports.onEvent({ type: 'batch:end', summary });
    } finally {
      await session.close();
    }
  } catch (error) {
    await reports.finish().catch(() => undefined);
    throw error;
  }
  const status = totals.status(io.signal?.aborted ?? false);
  let code: number = failure ? EXIT.usage : { passed: EXIT.ok, failed: EXIT.failed, interrupted: EXIT.interrupted }[status];
  if (failure) for (const line of formatError(failure, redactor)) io.stderr.write(`${line}\n`);
  try {
    await reports.finish();
  } catch (error) {
    for (const line of formatError(error, redactor)) io.stderr.write(`${line}\n`);
    if (code === EXIT.ok) code = EXIT.usage;
  }
  return code;
};
