import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { InvalidInputError, UsageError, isInvalidInputError, isUsageError } from '../errors.js';
import { checkKnownInputs } from '../engine/known-inputs.js';
import { planWorkflow, type Plan } from '../engine/plan.js';
import type { ResumeAdvice, RunResult } from '../engine/results.js';
import { runWorkflow } from '../engine/run.js';
import { openRunJournal, prepareJournalDir, prepareResume, readRunSnapshot, resolveJournalDir, resumeAdvice, resumeHint } from '../journal/index.js';
import { formatDiagnostic, formatError } from '../report/format-error.js';
import { openReports, type Reports } from '../report/output.js';
import { createRedactor, secretEnvValues, type Redactor } from '../report/redact.js';
import { chooseReporters } from '../report/reporters.js';
import { sensitiveFieldNames } from '../steps/sensitive.js';
import { isCI } from '../util/env-flag.js';
import type { Workflow } from '../workflow/index.js';
import { parseCommandArgs } from './_args.js';
import { executeBatch, isBatch } from './_batch.js';
import { checkSessionFlags, openSession, refusePiiOff, sandboxOnlyProblems, targetNameOf } from './_session.js';
import { formatPlan } from './plan.js';
import { declaredRedaction, teachRedactor, type DeclaredRedaction } from './_redaction.js';
import { collectVars, loadValidWorkflow } from './_workflow.js';
import { noReportsOnDryRun, problemsOf, writeInvalidReports } from './_invalid-report.js';

export const OPTIONS = {
  target: { type: 'string' },
  'api-url': { type: 'string' },
  'oauth-url': { type: 'string' },
  'allow-production': { type: 'boolean' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'credentials-file': { type: 'string' },
  // Parsed only to be refused with a pointer to --credentials-file (see checkSessionFlags).
  'env-file': { type: 'string' },
  var: { type: 'string', multiple: true },
  'vars-file': { type: 'string' },
  reporter: { type: 'string', multiple: true },
  verbose: { type: 'boolean' },
  'no-redact-pii': { type: 'boolean' },
  resume: { type: 'string' },
  force: { type: 'boolean' },
  'journal-dir': { type: 'string' },
  data: { type: 'string' },
  concurrency: { type: 'string' },
  grep: { type: 'string' },
  shard: { type: 'string' },
  'rate-limit': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

export const help = `Usage: paxflow run FILE_OR_DIR... [options]

Runs each workflow: validates it, plans it, sends its steps to the target and reports. A folder runs its
*.yaml files (not sub-folders); several files, a folder, --data or a file's matrix: make many runs.

Where requests go:
  --target local|sandbox|production   local (default) is the embedded emulator, started for this command
  --allow-production                  required with --target production
  --api-url URL --oauth-url URL       a custom target: both URLs, instead of --target
  --client-id ID, --client-secret S   credentials (else PAXOS_CLIENT_ID / PAXOS_CLIENT_SECRET)
  --credentials-file FILE             read PAXOS_CLIENT_ID / PAXOS_CLIENT_SECRET from a .env-format file
                                      (not --env-file: Node claims that name)
  --rate-limit SPEC                   paxos, off, or identity=10,token=1,default=50 (requests per second);
                                      default: the Paxos limits against sandbox and production, none elsewhere

Inputs:
  --var name=value                    override a variable declared under vars: (repeatable)
  --vars-file FILE                    variables from a YAML or JSON map

Reports:
  --reporter NAME[=PATH]              pretty (default), json, junit, html or github; to PATH or stdout (repeatable);
                                      github is added by itself when GITHUB_ACTIONS=true
  --verbose                           also print each step's HTTP exchanges
  --no-redact-pii                     show personal data (secrets stay masked); local target only, never under CI
  --dry-run                           print the plan (known values filled in) and check every row, send nothing, write no report file

Resuming (each run keeps a journal):
  --resume RUN_ID                     continue an interrupted or failed run (id or a unique 6+ character prefix)
  --force                             with --resume: continue even though completed steps changed
  --journal-dir DIR                   where run journals go (default .paxflow/runs, or $PAXFLOW_HOME/runs)

Many runs:
  --data FILE                         run the workflow once per row of a .csv (header row), .jsonl or .json
                                      file, read as {{row.<column>}}; replaces the workflow's matrix:
  --concurrency N                     runs at once (default 4); each has its own run id and journal
  --grep PATTERN                      only the files whose workflow name matches (a case-insensitive regular
                                      expression)
  --shard i/n                         only the i-th of n contiguous blocks of the runs (files, rows, matrix
                                      entries), one per CI job; --shard ci reads GitLab's CI_NODE_INDEX and
                                      CI_NODE_TOTAL; an empty shard exits 0 (docs/ci.md)

Exit codes: 0 every run passed, 1 a step (or a run) failed, 2 invalid workflow or arguments, 130 interrupted.

Examples:
  paxflow run workflows
  paxflow run workflows/onboard-and-trade.yaml --reporter junit=out/junit.xml --reporter html=out/report.html
  paxflow run workflows/onboard-and-trade.yaml --target sandbox --credentials-file .env --var expected_usd=
`;

/** The parsed flags of `paxflow run`. */
export type RunValues = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];
type Values = RunValues;

/** Loads the workflow; when it is invalid, learns the sensitive values written in the file before the problems are printed. */
const loadWorkflow = async (file: string, cwd: string, redactor: Redactor): Promise<Workflow> => {
  try {
    return await loadValidWorkflow(file, cwd);
  } catch (error) {
    const unreadable = isInvalidInputError(error) && error.diagnostics.some((d) => d.code.startsWith('FILE_'));
    if (!unreadable) redactor.captureText(await readFile(resolve(cwd, file), 'utf8').catch(() => ''));
    throw error;
  }
};

/** Everything after the arguments are parsed: all of it inside the redactor's reach. */
const execute = async (values: Values, positionals: string[], io: CliIO, redactor: Redactor): Promise<number> => {
  if (positionals.length === 0) throw new UsageError('BAD_ARGUMENTS', 'paxflow run takes one or more workflow FILEs or folders');
  checkSessionFlags(values);
  // Several files, a folder, --data or --grep: many runs. One file declaring matrix: too, found once it is loaded.
  if (await isBatch(values, positionals, io.cwd)) return executeBatch(values, positionals, io, redactor);
  const file = positionals[0]!;
  if (values.force && values.resume === undefined) throw new UsageError('BAD_ARGUMENTS', '--force only goes with --resume RUN_ID');
  const choices = chooseReporters(values.reporter ?? [], io.env);
  if (!redactor.pii && isCI(io.env)) throw refusePiiOff(`under CI=${io.env.CI}`);

  let workflow: Workflow;
  let plan: Plan;
  let declared: DeclaredRedaction;
  try {
    workflow = await loadWorkflow(file, io.cwd, redactor);
    if (workflow.spec.matrix !== undefined) return executeBatch(values, positionals, io, redactor);
    const vars = await collectVars(values['vars-file'], values.var ?? [], io.cwd);
    plan = planWorkflow(workflow, { vars: vars.values });
    // Before anything is sent: a var that cannot fit the field it reaches would fail its step only after
    // the steps before it had run (created an identity, moved money).
    const problems = checkKnownInputs(plan, { varOrigins: vars.origins });
    if (problems.length > 0) throw new InvalidInputError(problems);
    declared = declaredRedaction(workflow, plan);
  } catch (error) {
    // CI reads the report files: an invalid workflow is one failed test case there, not a missing file.
    if (!values['dry-run']) await writeInvalidReports({ choices, file, problems: problemsOf(error, file), io, redactor, target: targetNameOf(values) });
    throw error;
  }
  teachRedactor(redactor, declared, plan);
  if (values['dry-run']) {
    io.stdout.write(formatPlan(plan, { redactor }));
    noReportsOnDryRun(choices, io);
    return EXIT.ok;
  }

  const targetName = targetNameOf(values);
  if (!redactor.pii && targetName !== 'local') throw refusePiiOff(`against --target ${targetName}`);
  const sandboxOnly = sandboxOnlyProblems(plan, targetName);
  if (sandboxOnly.length > 0) throw new InvalidInputError(sandboxOnly);
  // Report and journal folders are checked before the target opens, so a bad path costs nothing.
  prepareJournalDir(resolveJournalDir({ flag: values['journal-dir'], env: io.env, cwd: io.cwd }));
  const reports = await openReports({ choices, redactor, stdout: io.stdout, env: io.env, cwd: io.cwd, verbose: values.verbose ?? false });

  let result: RunResult;
  try {
    result = await runAgainstTarget(values, io, redactor, { file, plan, declared }, reports);
  } catch (error) {
    await reports.finish().catch(() => undefined);
    throw error;
  }
  // stderr, because stdout may carry a JSON or JUnit report.
  const hint = resumeHint(result, file, { journalDir: resolveJournalDir({ flag: values['journal-dir'], env: io.env, cwd: io.cwd }) });
  if (hint) io.stderr.write(redactor.text(hint));
  const code = { passed: EXIT.ok, failed: EXIT.failed, interrupted: EXIT.interrupted }[result.status];
  try {
    await reports.finish();
  } catch (error) {
    for (const line of formatError(error, redactor)) io.stderr.write(`${line}\n`);
    return code === EXIT.ok ? EXIT.usage : code;
  }
  return code;
};

const withAdvice = (resume: ResumeAdvice | undefined): { resume?: ResumeAdvice } => (resume ? { resume } : {});

interface Loaded {
  file: string;
  plan: Plan;
  declared: DeclaredRedaction;
}

const runAgainstTarget = async (values: Values, io: CliIO, redactor: Redactor, { file, plan, declared }: Loaded, reports: Reports) => {
  const journalDir = resolveJournalDir({ flag: values['journal-dir'], env: io.env, cwd: io.cwd });
  // A local run resumes in an emulator started from the snapshot kept with its journal.
  const restoreFrom = values.resume !== undefined && targetNameOf(values) === 'local' ? readRunSnapshot(journalDir, values.resume) : undefined;
  const { target, paxos, credentials, close } = await openSession(values, io, redactor, plan.scopes, restoreFrom);
  try {
    const resume =
      values.resume === undefined
        ? undefined
        : prepareResume({ journalDir, runId: values.resume, plan, target: target.info, env: io.env, force: values.force ?? false });
    for (const warning of resume?.overridden ?? []) io.stderr.write(`${formatDiagnostic(warning, redactor)}\n`);
    const journal = openRunJournal({
      journalDir,
      ...(resume ? { resume } : {}),
      ...(target.snapshot ? { snapshot: target.snapshot } : {}),
      redaction: {
        fields: declared.paths,
        secrets: [...declared.secrets, credentials?.clientSecret],
      },
    });
    try {
      // A missing scope or a rejected credential fails here, before the first request of the first step.
      if (plan.scopes.length > 0) await paxos.authorize(io.signal);
      return await runWorkflow(plan, {
        target: target.info,
        paxos,
        env: io.env,
        runId: journal.runId,
        journal,
        ...(resume ? { resume } : {}),
        onSecret: (value) => redactor.addSensitive(value),
        // The run's end carries how to resume it, for the reports that show it (json, html).
        onEvent: (event) =>
          reports.onEvent(event.type === 'workflow:end' ? { ...event, ...withAdvice(resumeAdvice(event.result, file, { journalDir })) } : event),
        ...(io.signal ? { signal: io.signal } : {}),
      });
    } finally {
      journal.close();
    }
  } finally {
    await close();
  }
};

/**
 * `paxflow run FILE`: validate, plan, run against the target, report; exit 0, 1, 2 or 130. Everything
 * it prints or writes, errors included, passes through the run's redactor.
 */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values, positionals } = parseCommandArgs('run', args, OPTIONS);
  const redactor = createRedactor({
    pii: !(values['no-redact-pii'] ?? false),
    fields: sensitiveFieldNames(),
    secrets: [values['client-secret'], ...secretEnvValues(io.env)],
  });
  try {
    return await execute(values, positionals, io, redactor);
  } catch (error) {
    for (const line of formatError(error, redactor)) io.stderr.write(`${line}\n`);
    if (io.signal?.aborted) return EXIT.interrupted;
    return isUsageError(error) || isInvalidInputError(error) ? EXIT.usage : EXIT.failed;
  }
};
