import { InvalidInputError } from '../errors.js';
import type { Diagnostic } from '../errors.js';
import type { Plan, PlannedStep } from '../engine/plan.js';
import type { RestoredStep, ResumePoint } from '../engine/run.js';
import type { TargetInfo } from '../steps/define.js';
import { callTemplates, resolveInputs } from '../engine/playbook.js';
import { analyzeTemplate, renderValue } from '../template/index.js';
import type { TemplateContext, TemplateReference } from '../template/index.js';
import type { StepEndEntry } from './entries.js';
import { JournalError } from './errors.js';
import { hashStepDefinition, hashVars } from './hash.js';
import { findRun, journalPath, runFolder } from './paths.js';
import { readJournal } from './read.js';
import { plannedRefIds } from './ref-ids.js';
import { hasSnapshot } from './snapshot.js';
import { isCompleted, summarizeJournal, type JournaledStep } from './state.js';
import { safeUrl } from './url.js';

export interface PrepareResumeOptions {
  /** See resolveJournalDir. */
  journalDir: string;
  /** `--resume RUN_ID`: the run's id, or a prefix of it (6 characters or more) that names one run. */
  runId: string;
  /** The plan of the workflow as it is now, with this invocation's vars. */
  plan: Plan;
  /**
   * The target this invocation runs against. For `local`, the emulator must have been started from the
   * run's snapshot (`readRunSnapshot`, `openTarget({ restoreFrom })`); only the target's name is compared,
   * as its port changes from one process to the next.
   */
  target: TargetInfo;
  /** What `env.*` templates read, to work out the ref_ids of a step that was cut short. */
  env?: Record<string, string | undefined>;
  /**
   * `--force`: go on despite completed steps that changed (their recorded results are kept), completed
   * steps removed or moved, changed variables, another target, a changed ref_id or a deposit that may
   * have happened. Default: false. Never overrides what cannot be done (a local run without its emulator
   * snapshot, or resumed against another target; a personal field the journal does not keep).
   */
  force?: boolean;
}

/** A resume checked against the journal, for `openRunJournal({ resume })` and `runWorkflow({ resume })`. */
export interface ResumeState extends ResumePoint {
  /** The journal this resume appends to. */
  journalPath: string;
  /** Its size when it was checked: if another process wrote to it since, the resume is refused. */
  journalBytes: number;
  salt: string;
  force: boolean;
  /** New definition hashes of completed steps that `force` accepted. */
  accepted: Record<string, string>;
  /** The first step that will run; undefined when every step had completed. */
  from?: string;
  /** Problems that `force` let through (severity `warning`), for the CLI to print. */
  overridden: Diagnostic[];
}

const FORCE_HINT = 'pass --force to resume anyway';

/** Every template reference in the string leaves below `value`. */
const referencesIn = (value: unknown, found: TemplateReference[] = []): TemplateReference[] => {
  if (typeof value === 'string') found.push(...analyzeTemplate(value).references);
  else if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) referencesIn(item, found);
  return found;
};
const stepReferences = (step: PlannedStep): TemplateReference[] => referencesIn([step.with, step.if, (step as { expect?: unknown }).expect]);

/**
 * The references a step makes in the workflow's own frame, where `vars.*` are the run's: a step's own
 * `with`/`if`/`expect` at the top level; for a playbook call or a step inside one, the `with`/`if` of
 * the outermost call (a playbook's own `vars.*` are its defaults, part of its definition hash).
 */
const rootReferences = (step: PlannedStep): TemplateReference[] => {
  const outermost = step.enclosing?.[0];
  return outermost === undefined ? stepReferences(step) : referencesIn([outermost.with, outermost.if]);
};

/**
 * What templates see in each frame on a resume, as the engine builds it when the run gets there: the
 * root's vars and completed steps; inside a playbook call its own vars, the steps of that call that
 * completed (by the ids written in the playbook) and its inputs, rendered from the caller's frame.
 * Undefined for a frame whose inputs cannot be worked out yet (they read a step that has not completed).
 */
const frameTemplates = (plan: Plan, completed: ReadonlyMap<string, RestoredStep>, root: TemplateContext) => {
  const outputs = new Map<string, Record<string, unknown>>();
  for (const step of plan.steps) {
    const restored = completed.get(step.id);
    if (restored?.status !== 'passed') continue;
    let frame = outputs.get(step.frame);
    if (frame === undefined) outputs.set(step.frame, (frame = {}));
    frame[step.localId] = restored.output;
  }
  const calls = new Map(plan.steps.filter((step) => step.call).map((step) => [step.call!.frame, step]));
  const frames = new Map<string, TemplateContext | undefined>([['', { ...root, steps: outputs.get('') ?? {} }]]);
  const templatesOf = (frame: string): TemplateContext | undefined => {
    if (frames.has(frame)) return frames.get(frame);
    const step = calls.get(frame);
    const caller = step === undefined ? undefined : templatesOf(step.frame);
    let templates: TemplateContext | undefined;
    if (step?.call && caller) {
      try {
        const { inputs, problems } = resolveInputs(step.call.inputs, renderValue(step.call.with, caller) as Record<string, unknown>, step.call.file);
        if (problems.length === 0) templates = callTemplates(step.call.vars, inputs, outputs.get(frame) ?? {}, root);
      } catch {
        // Left undefined: the step's ref_ids are then checked as if they could not be rendered.
      }
    }
    frames.set(frame, templates);
    return templates;
  };
  return templatesOf;
};

const startsWith = (path: readonly string[], prefix: readonly string[]): boolean =>
  prefix.length <= path.length && prefix.every((part, index) => path[index] === part);

const restoredFrom = (end: StepEndEntry): RestoredStep => ({
  status: end.status as RestoredStep['status'],
  ...(end.skip_reason === undefined ? {} : { skipReason: end.skip_reason }),
  ...(end.allowed_failure ? { allowedFailure: true } : {}),
  ...(end.output === undefined ? {} : { output: end.output }),
  ...(end.error === undefined
    ? {}
    : {
        error: {
          ...end.error,
          message: 'failed in an earlier attempt of this run (the journal keeps the code, not the message)',
        },
      }),
  durationMs: end.duration_ms ?? 0,
  attempts: end.attempts ?? 0,
});

/**
 * Reads the journal of the run to resume and checks it against the workflow as it is now. Returns what
 * `openRunJournal` and `runWorkflow` need to continue it under the same run id, so that every create
 * keeps its ref_id and one that may have happened is adopted, not made twice.
 *
 * Refused with a JournalError or an InvalidInputError whose diagnostics point into the workflow file
 * (all exit 2), unless `force` allows it: see JOURNAL_CODES for each code.
 */
export const prepareResume = (options: PrepareResumeOptions): ResumeState => {
  const { journalDir, plan, target, env = {}, force = false } = options;
  const runId = findRun(journalDir, options.runId);
  const file = journalPath(journalDir, runId);
  const contents = readJournal(file);
  const summary = summarizeJournal(contents.entries);
  const { start } = summary;
  const local = target.name === 'local' || start.target?.name === 'local';
  if (local) checkLocal(journalDir, runId, start.target, target);

  const forcible: Diagnostic[] = [];
  const fatal: Diagnostic[] = [];
  const at = (step: PlannedStep): Pick<Diagnostic, 'file' | 'line' | 'col'> => ({
    // A playbook's step is placed in the playbook.
    file: step.file ?? plan.file,
    ...(step.line === undefined ? {} : { line: step.line, col: step.col ?? 1 }),
  });

  if (!local && (start.target?.name !== target.name || start.target.api_url !== safeUrl(target.apiUrl))) {
    forcible.push({
      code: 'RESUME_TARGET_CHANGED',
      message: `run ${runId} ran against ${start.target?.name} (${start.target?.api_url}), not ${target.name} (${safeUrl(target.apiUrl)}); what it created is there`,
    });
  }

  // The leading steps that completed are restored; the run continues at the first that did not.
  const completed = new Map<string, RestoredStep>();
  const accepted: Record<string, string> = {};
  let from: PlannedStep | undefined;
  for (const step of plan.steps) {
    const journaled = summary.steps.get(step.id);
    if (!journaled || !isCompleted(journaled)) {
      from = step;
      break;
    }
    completed.set(step.id, restoredFrom(journaled.end!));
    const hash = hashStepDefinition(step, summary.start.salt);
    if (hash !== journaled.hash) {
      accepted[step.id] = hash;
      forcible.push({
        code: 'RESUME_DEFINITION_CHANGED',
        message: `step '${step.id}' has changed since run ${runId} completed it; its recorded result would not match the workflow. Undo the change, or start a new run`,
        ...at(step),
      });
    }
  }
  const toRun = from === undefined ? [] : plan.steps.slice(from.index);

  for (const journaled of summary.steps.values()) {
    if (!isCompleted(journaled) || completed.has(journaled.id)) continue;
    const later = plan.steps.find((step) => step.id === journaled.id);
    // Cleanup runs again after the steps it cleans up after: that is what finally: is for.
    if (later?.inFinally) continue;
    forcible.push({
      code: 'RESUME_STEPS_CHANGED',
      message: later
        ? `step '${journaled.id}' completed in run ${runId} but now comes after '${from?.id}', which did not, so it would run again`
        : `step '${journaled.id}' completed in run ${runId} and is no longer in the workflow`,
      ...(later ? at(later) : { file: plan.file }),
    });
  }

  const current = hashVars(plan.vars, summary.start.salt);
  const changedVars = new Set([...Object.keys(current), ...Object.keys(summary.vars)].filter((name) => current[name] !== summary.vars[name]));
  for (const step of plan.steps) {
    if (!completed.has(step.id)) continue;
    const read = [...new Set(rootReferences(step).filter((ref) => ref.path[0] === 'vars' && changedVars.has(ref.path[1] ?? '')).map((ref) => ref.path[1]!))];
    if (read.length > 0) {
      forcible.push({
        code: 'RESUME_VARS_CHANGED',
        message: `step '${step.id}' completed in run ${runId} with other values of ${read.map((name) => `vars.${name}`).join(', ')} than this command gives`,
        ...at(step),
      });
    }
  }

  const dropped = new Map([...summary.steps.values()].filter((step) => completed.has(step.id)).map((step) => [step.id, (step.end?.dropped ?? []).map((path) => path.split('.'))]));
  const root: TemplateContext = {
    vars: plan.vars,
    env,
    steps: {},
    run: { id: runId, started_at: start.started_at },
    ...(plan.inputs === undefined ? {} : { inputs: plan.inputs }),
  };
  const templatesOf = frameTemplates(plan, completed, root);
  for (const step of toRun) {
    const reported = new Set<string>();
    for (const ref of stepReferences(step)) {
      // `steps.x` inside a playbook reads the step of its own call: `<call id>.x` in the journal.
      const read = ref.path[0] === 'steps' ? (step.frame === '' ? ref.path[1] : `${step.frame}.${ref.path[1]}`) : undefined;
      const lost = read === undefined ? undefined : dropped.get(read);
      const field = ref.path.slice(2);
      // Reading a left-out field, something inside it, or an object or list that contained one.
      if (lost?.some((path) => startsWith(path, field) || startsWith(field, path)) && !reported.has(ref.path.join('.'))) {
        reported.add(ref.path.join('.'));
        fatal.push({
          code: 'RESUME_OUTPUT_NOT_KEPT',
          message: `step '${step.id}' reads ${ref.path.join('.')}, which held personal data or a secret that the journal does not keep, so it cannot be restored; start a new run`,
          ...at(step),
        });
      }
    }
    const journaled = summary.steps.get(step.id);
    if (journaled && !isCompleted(journaled)) checkCutShort(step, journaled, { runId, templates: templatesOf(step.frame) ?? root, forcible, at: at(step) });
  }

  if (fatal.length > 0) throw new InvalidInputError([...fatal, ...forcible]);
  if (forcible.length > 0 && !force) {
    throw new InvalidInputError(forcible.map((problem) => ({ ...problem, message: `${problem.message}; ${FORCE_HINT}` })));
  }
  return {
    runId,
    startedAt: start.started_at,
    completed,
    journalPath: file,
    journalBytes: contents.bytes,
    salt: start.salt,
    force,
    accepted: force ? accepted : {},
    ...(from === undefined ? {} : { from: from.id }),
    overridden: forcible.map((problem) => ({ ...problem, severity: 'warning' })),
  };
};

/**
 * A local run resumes only against the embedded emulator again, started from the snapshot kept beside
 * its journal: that emulator holds what the run made, under the same ids. Refused for good otherwise.
 */
const checkLocal = (journalDir: string, runId: string, ran: { name: string; api_url: string } | undefined, target: TargetInfo): void => {
  if (ran?.name !== 'local') {
    throw new JournalError(
      'RESUME_LOCAL_TARGET',
      `run ${runId} ran against ${ran?.name} (${ran?.api_url}), not the embedded emulator, so what it made is not there: resume it with the same --target or --api-url`,
    );
  }
  if (target.name !== 'local') {
    throw new JournalError(
      'RESUME_LOCAL_TARGET',
      `run ${runId} ran against the embedded emulator, and what it made exists only in the snapshot kept with its journal: resume it with --target local (the default)`,
    );
  }
  if (!hasSnapshot(journalDir, runId)) {
    throw new JournalError(
      'RESUME_LOCAL_TARGET',
      `run ${runId} ran against the embedded emulator and its snapshot is not in ${runFolder(journalDir, runId)} (made without one, deleted, or lost to a failed write), ` +
        'so what it made ended with its process: run the workflow again',
    );
  }
};

/**
 * A step that started and did not complete may have done its work. Running it again is safe when it
 * sent nothing, or when its creates keep the ref_ids they had; otherwise it is refused.
 */
const checkCutShort = (
  step: PlannedStep,
  journaled: JournaledStep,
  context: { runId: string; templates: TemplateContext; forcible: Diagnostic[]; at: Pick<Diagnostic, 'file' | 'line' | 'col'> },
): void => {
  const { runId, templates, forcible, at } = context;
  if (journaled.end !== undefined && (journaled.end.attempts === 0 || journaled.end.requests === 0)) return;
  if (!step.definition.retrySafe) {
    forcible.push({
      code: 'RESUME_UNCERTAIN_STEP',
      message: `step '${step.id}' (${step.uses}) was cut short in run ${runId} and may have happened; it has no ref_id, so running it again would do it twice. Check the target, then resume with --force to run it again, or start a new run`,
      ...at,
    });
    return;
  }
  if (journaled.refIds.length === 0 && !journaled.refIdsUnstable) return;
  const now = plannedRefIds(step, templates, runId);
  const lost = journaled.refIds.filter((refId) => !now.refIds.includes(refId));
  if (now.unstable || journaled.refIdsUnstable || lost.length > 0) {
    forcible.push({
      code: 'RESUME_REF_ID_CHANGED',
      message: now.unstable || journaled.refIdsUnstable
        ? `step '${step.id}' was cut short in run ${runId} and its ref_id uses a helper that changes on every run (uuid, now, test_ssn), so a resume could create it twice; use "{{run.id}}-${step.id}" or leave ref_id out`
        : `step '${step.id}' was cut short in run ${runId} with ref_id ${lost.join(', ')}, which it would no longer use, so it could create the same thing twice`,
      ...at,
    });
  }
};
