import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { planWorkflow } from '../engine/plan.js';
import type { RunResult } from '../engine/results.js';
import { runWorkflow as runPlan } from '../engine/run.js';
import { InvalidInputError, UsageError, isUsageError } from '../errors.js';
import { openReports } from '../report/output.js';
import { createRedactor, secretEnvValues } from '../report/redact.js';
import { redactRun } from '../report/redact-result.js';
import { chooseReporters } from '../report/reporters.js';
import { LOCAL_CREDENTIALS } from '../paxos/index.js';
import type { SandboxHandle } from '../sandbox/index.js';
import { sensitiveFieldNames } from '../steps/sensitive.js';
import { readWorkflowFile } from '../workflow/index.js';
import { declaredRedaction, teachRedactor } from '../commands/_redaction.js';
import { checkSessionFlags, openSession } from '../commands/_session.js';
import { redactDiagnostics } from './validate.js';

/** Options of {@link runWorkflow}. Every field is optional. */
export interface RunWorkflowOptions {
  /**
   * Where requests go: `local` starts a fresh embedded emulator for this run and stops it after;
   * `sandbox` and `production` are the real Paxos APIs (credentials from `clientId`/`clientSecret` or
   * `PAXOS_CLIENT_ID`/`PAXOS_CLIENT_SECRET` in `env`). Ignored when `apiUrl` is given.
   * @default 'local'
   */
  target?: 'local' | 'sandbox' | 'production';
  /**
   * An emulator you started with `startSandbox`: the run goes to it (its `apiUrl` and `oauthUrl`, with
   * the default emulator credentials unless `clientId`/`clientSecret` say otherwise), so that the
   * workflow and your own code share its state. Overrides `target`, `apiUrl` and `oauthUrl`.
   */
  sandbox?: Pick<SandboxHandle, 'apiUrl' | 'oauthUrl'>;
  /** Another API base URL, ending in `/v2`; overrides `target`. Needs credentials. @default the target's */
  apiUrl?: string;
  /** The token URL of `apiUrl`'s API; required with `apiUrl` (one without the other is a `BAD_ARGUMENTS` error). */
  oauthUrl?: string;
  /**
   * The OAuth client id. @default `PAXOS_CLIENT_ID` from `env`; for `local` and `sandbox`, `'sandbox-client'`
   */
  clientId?: string;
  /**
   * The OAuth client secret; masked in everything returned or printed.
   * @default `PAXOS_CLIENT_SECRET` from `env`; for `local` and `sandbox`, `'sandbox-secret'`
   */
  clientSecret?: string;
  /** Must be `true` for `target: 'production'`, which moves real money. @default false */
  allowProduction?: boolean;
  /** Values of the workflow's `vars:`, as `--var` gives them; each name must be declared there. @default the file's defaults */
  vars?: Record<string, unknown>;
  /** What `env.*` templates read, and where credentials are looked up. @default process.env */
  env?: Record<string, string | undefined>;
  /** The folder a relative workflow path (and a workflow object's playbook paths) starts from. @default process.cwd() */
  cwd?: string;
  /** Abort it to interrupt the run: the current step ends `interrupted`, and so does the run. */
  signal?: AbortSignal;
  /**
   * Where to print the console report as the run goes, redacted as the CLI prints it (e.g.
   * `process.stdout`). @default nowhere: nothing is printed
   */
  output?: { write(text: string): void };
  /** Also report each step's HTTP exchanges (method, path, status, request id). @default false */
  verbose?: boolean;
}

/**
 * What {@link runWorkflow} returns: the run's result, each step's output by id, and the report text.
 * Everything but `outputs` is redacted as `paxflow run --reporter json` redacts it (personal data and
 * secrets read `[REDACTED]`), so the whole object is safe to log.
 */
export interface WorkflowRun extends RunResult {
  /**
   * Each passed step's output by step id (`outputs.identity.id`), as the API returned it, unredacted:
   * your own code needs the real ids and values. Do not log it whole.
   */
  outputs: Record<string, any>;
  /**
   * The console report of the run (steps, failures with code and position, summary), without colour,
   * with personal data and secrets masked exactly as `paxflow run` masks them: safe to print or log.
   */
  report: string;
}

const TARGETS: readonly string[] = ['local', 'sandbox', 'production'];

/**
 * The command line's words for the options runWorkflow hands to the session, and this API's: the
 * session's errors name flags, which a caller of the library never typed. Longest first, so that
 * `--client-secret` is not read as `--client` and the rest.
 */
const OPTION_NAMES: ReadonlyArray<readonly [flag: string, option: string]> = [
  ['--allow-production', 'allowProduction: true'],
  ['--oauth-url URL', 'oauthUrl'],
  ['--api-url URL', 'apiUrl'],
  ['--client-secret', 'clientSecret'],
  ['--oauth-url', 'oauthUrl'],
  ['--client-id', 'clientId'],
  ['--api-url', 'apiUrl'],
  ['--target', 'target'],
];

/** A usage error of the session, reworded with this API's option names; any other error as it is. */
const inOptionTerms = (error: unknown): unknown => {
  if (!isUsageError(error)) return error;
  let message = error.message;
  for (const [flag, option] of OPTION_NAMES) message = message.replaceAll(new RegExp(`${flag}(?![\\w-])`, 'g'), option);
  // The credentials file is the command line's; here the environment is the `env` option.
  message = message.replace(/, put [\w ]+ in a file given with --credentials-file, or set (it|them) in the environment/, ', or set $1 in env (the env option, process.env by default)');
  return message === error.message ? error : new UsageError(error.code, message, { cause: error });
};

/** `target` as the session reads it; an object here is most often an emulator meant for `sandbox`. */
const checkTarget = (target: unknown): void => {
  if (target === undefined || (typeof target === 'string' && TARGETS.includes(target))) return;
  const hint = target !== null && typeof target === 'object'
    ? '; to run against an emulator you started with startSandbox, pass it as the sandbox option'
    : ', or give apiUrl and oauthUrl';
  const got = typeof target === 'string' ? `'${target}'` : `a value of type ${target === null ? 'null' : typeof target}`;
  throw new UsageError('BAD_ARGUMENTS', `runWorkflow: the target option takes 'local', 'sandbox' or 'production', not ${got}${hint}`);
};

/** Where a workflow comes from: a path, or an object written as the YAML would be. */
export type WorkflowSource = string | Record<string, unknown>;

/**
 * Runs one workflow and resolves with its result; a failed step is a result with `status: 'failed'`, not
 * a rejection. Prints nothing unless `output` is given. Rejects with an error carrying a stable `code`
 * for a workflow that does not validate (`isInvalidInputError(error)`, with every problem in
 * `error.diagnostics`) and for bad options or refused credentials (`isUsageError(error)`). A workflow
 * object's playbook paths are relative to `cwd`; a workflow with `matrix:` is for `paxflow run`.
 *
 * @example
 * const sandbox = await startSandbox();
 * const run = await runWorkflow('workflows/onboard.yaml', { sandbox });
 * assert.equal(run.status, 'passed', run.report);
 * const profileId = run.outputs.account.profile_id;
 */
export const runWorkflow = async (workflow: WorkflowSource, options: RunWorkflowOptions = {}): Promise<WorkflowRun> => {
  const { target, sandbox, allowProduction = false, vars = {}, verbose = false } = options;
  if (!sandbox) checkTarget(target);
  const apiUrl = sandbox ? sandbox.apiUrl : options.apiUrl;
  const oauthUrl = sandbox ? sandbox.oauthUrl : options.oauthUrl;
  const clientId = options.clientId ?? (sandbox ? LOCAL_CREDENTIALS.clientId : undefined);
  const clientSecret = options.clientSecret ?? (sandbox ? LOCAL_CREDENTIALS.clientSecret : undefined);
  const flags = {
    // `sandbox` and `apiUrl` override `target`, as documented above.
    ...(target === undefined || apiUrl !== undefined ? {} : { target }),
    ...(apiUrl === undefined ? {} : { 'api-url': apiUrl }),
    ...(oauthUrl === undefined ? {} : { 'oauth-url': oauthUrl }),
    'allow-production': allowProduction,
    ...(clientId === undefined ? {} : { 'client-id': clientId }),
    ...(clientSecret === undefined ? {} : { 'client-secret': clientSecret }),
  };
  // Options that do not say one thing are refused before the workflow is read.
  try {
    checkSessionFlags(flags);
  } catch (error) {
    throw inOptionTerms(error);
  }
  const { env = process.env, cwd = process.cwd(), signal, output } = options;
  const file = typeof workflow === 'string' ? workflow : 'workflow.yaml';
  const redactor = createRedactor({ fields: sensitiveFieldNames(), secrets: [clientSecret, ...secretEnvValues(env)] });
  const text = typeof workflow === 'string' ? undefined : stringify(workflow);
  const { workflow: loaded, diagnostics } = await readWorkflowFile(file, { cwd, ...(text === undefined ? {} : { source: text }) });
  const errors = diagnostics.filter((d) => (d.severity ?? 'error') === 'error');
  if (!loaded || errors.length > 0) {
    const unreadable = errors.some((d) => d.code.startsWith('FILE_'));
    const source = text ?? (unreadable ? '' : await readFile(resolve(cwd, file), 'utf8').catch(() => ''));
    throw new InvalidInputError(redactDiagnostics(errors, source, redactor));
  }
  if (loaded.spec.matrix !== undefined) {
    throw new UsageError('BAD_ARGUMENTS', `${file} declares matrix:, which runWorkflow does not expand; give each entry's values as vars, or use paxflow run`);
  }
  const plan = planWorkflow(loaded, { vars });
  teachRedactor(redactor, declaredRedaction(loaded, plan), plan);

  let report = '';
  const sink = { write: (text: string) => void ((report += text), output?.write(text)) };
  // Only the console reporter, whatever GITHUB_ACTIONS says: annotations are the CLI's business.
  const reports = await openReports({ choices: chooseReporters(['pretty'], {}), redactor, stdout: sink, env: { NO_COLOR: '1' }, cwd, verbose });
  const io = { env, cwd, stdout: sink, stderr: sink };
  let result: RunResult;
  try {
    const session = await openSession(flags, io, redactor, plan.scopes).catch((error: unknown) => {
      throw inOptionTerms(error);
    });
    try {
      if (plan.scopes.length > 0) await session.paxos.authorize(signal);
      result = await runPlan(plan, {
        target: session.target.info,
        paxos: session.paxos,
        env,
        onSecret: (value) => redactor.addSecret(value),
        onEvent: (event) => reports.onEvent(event),
        ...(signal ? { signal } : {}),
      });
    } finally {
      await session.close();
    }
  } finally {
    await reports.finish().catch(() => undefined);
  }
  const outputs: Record<string, unknown> = {};
  for (const step of result.steps) if (step.status === 'passed' && step.output !== undefined) outputs[step.id] = step.output;
  // Secrets learnt late (the token) are masked in what was written before they were known.
  return { ...redactRun(result, redactor), outputs, report: redactor.text(report) };
};

