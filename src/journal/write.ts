import { accessSync, closeSync, constants, existsSync, fstatSync, fsync, fsyncSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { PlannedStep } from '../engine/plan.js';
import type { RunJournal } from '../engine/run.js';
import type { RunResult, StepResult } from '../engine/results.js';
import type { StepDefinition } from '../steps/define.js';
import type { TemplateContext } from '../template/index.js';
import { makeDirectory } from '../util/make-directory.js';
import type { JournalEntry, StepEndEntry, StepStartEntry } from './entries.js';
import { JOURNAL_VERSION } from './entries.js';
import { JournalError } from './errors.js';
import { removeFile, syncFolderAsync, syncSharedFolderAsync, writeFileAtomic } from './files.js';
import { hashStepDefinition, hashVars, newSalt } from './hash.js';
import { acquireLock } from './lock.js';
import { journalPath, runFolder } from './paths.js';
import { createOutputFilter, type JournalRedaction } from './redact.js';
import { createsByRefId, plannedRefIds, renderedRefIds } from './ref-ids.js';
import { SNAPSHOT_FILE } from './snapshot.js';
import { safeUrl } from './url.js';
import type { ResumeState } from './resume.js';

export interface OpenJournalOptions {
  /** The folder holding one sub-folder per run; see resolveJournalDir. With `resume`, its journal is used. */
  journalDir: string;
  /** The id of a new run. Default: a random UUID. Ignored with `resume`, which continues its run. */
  runId?: string;
  /** From prepareResume, called just before: append to that run's journal instead of starting one. */
  resume?: ResumeState;
  /** Sync every entry to disk, not only those before steps that may change something and the run's end. Default: false. */
  syncAll?: boolean;
  /**
   * What else to leave out of outputs: the workflow's `redact:` fields and its secret values. Fields the
   * step schemas mark as personal and credential fields are always left out.
   */
  redaction?: JournalRedaction;
  /**
   * The target's state as plain JSON, kept beside the journal as `sandbox.json` so that a run against
   * the embedded emulator can be resumed in another process: `OpenTarget.snapshot` of `--target local`.
   * Written (atomically, owner-only) when the run starts, at the end of every step that may change
   * something, before that step's `step:end` entry, so the file never holds less than the journal says
   * was done (not again when the state has not changed since the last write); and when the run ends
   * failed or interrupted. Removed when the run passes. A snapshot that
   * cannot be written is removed too, and the next step fails with JOURNAL_WRITE_FAILED.
   * @default none: nothing is kept besides the journal
   */
  snapshot?: () => unknown;
}

/** The journal of one run, for `runWorkflow({ journal })`. Close it when the run is over, even after a throw. */
export interface JournalWriter extends RunJournal {
  readonly runId: string;
  /** The `journal.jsonl` file. */
  readonly path: string;
  /** Syncs what is not yet on disk, closes the file and releases the run's lock. Safe to call twice. */
  close(): void;
}

const fsyncAsync = promisify(fsync);

const isReadScope = (scope: string): boolean => /:read_/.test(scope);

/**
 * Whether a step may change something at the target: anything but a step that sends no request
 * (`assert`) or a retry-safe step whose every scope is a read scope. `http` counts as changing, which
 * costs a sync and nothing else.
 */
export const mayChange = (definition: StepDefinition): boolean =>
  definition.local !== true && !(definition.retrySafe && definition.scopes.length > 0 && definition.scopes.every(isReadScope));

/**
 * Whether a step's creates are found again by their ref_ids, so a power loss that takes its `step:start`
 * costs no duplicate: a resume runs the step again with the same ref_ids and adopts what the target
 * already has (`createWithRefId`). That holds only for stable ref_ids of a step type that creates by
 * ref_id, and only once the run itself (its id, so the derived ref_ids) is on disk.
 */
const reconcilable = (definition: StepDefinition, refIds: readonly string[], unstable: boolean): boolean =>
  refIds.length > 0 && !unstable && createsByRefId(definition);

const fsCode = (error: unknown): string => (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';

/** True when the file is not empty and its last byte is not a newline (a line cut off by a crash). */
const endsMidLine = (fd: number): boolean => {
  const { size } = fstatSync(fd);
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
};

/**
 * Creates the journal folder and checks that it can be written, so that a journal folder that cannot be
 * made stops the command (`JOURNAL_UNWRITABLE`, exit 2) before anything runs.
 */
export const prepareJournalDir = (journalDir: string): void => {
  try {
    // Only the user who runs paxflow may read what the runs did.
    makeDirectory(journalDir, 0o700);
    accessSync(journalDir, constants.W_OK);
  } catch (error) {
    throw new JournalError('JOURNAL_UNWRITABLE', `cannot create the run journal folder ${journalDir} (${fsCode(error)}); give another --journal-dir or PAXFLOW_HOME`, {
      cause: error,
    });
  }
};

/**
 * Opens the journal of a new run (`.../<run-id>/journal.jsonl`) or, with `resume`, of the run being
 * resumed, and takes the run's lock. Throws JournalError (exit 2) before anything runs when the folder
 * cannot be written or another process holds the run.
 *
 * Durability: every entry is written with one `write` before the engine moves on, so it survives the
 * process being killed. Entries are also synced to disk (fsync), surviving a power loss, before the
 * first step that may change something sends its first request, before every later such step whose
 * creates are not keyed by stable ref_ids (a deposit, `http`), and at the run's end: that step's start,
 * and every entry before it, is on disk before the request goes out. Other entries (the run's start,
 * every step's end, the start of a create keyed by a stable ref_id) are synced with the next synced
 * entry. A power loss can therefore lose the end of a step; a resume then sees the step as started and
 * not ended, which it already has to handle for a loss between the response and the sync. It can lose
 * the start of a create keyed by a stable ref_id; a resume then runs that step again with the same
 * ref_ids and adopts what the target already made. It never loses the start of a step that could
 * make something twice. The folder's entries (the new run folder, the journal file) are synced with the
 * first sync.
 */
export const openRunJournal = (options: OpenJournalOptions): JournalWriter => {
  const { journalDir, resume, syncAll = false } = options;
  const runId = resume?.runId ?? options.runId ?? randomUUID();
  const path = resume?.journalPath ?? journalPath(journalDir, runId);
  const folder = resume ? dirname(path) : runFolder(journalDir, runId);
  try {
    // Only the user who runs paxflow may read what the runs did (ids of identities, accounts, orders).
    makeDirectory(folder, 0o700);
  } catch (error) {
    throw new JournalError('JOURNAL_UNWRITABLE', `cannot create the run journal folder ${folder} (${fsCode(error)})`, { cause: error });
  }
  const release = acquireLock(folder, runId);
  let fd: number;
  try {
    if (!resume && existsSync(path)) throw new JournalError('JOURNAL_EXISTS', `run ${runId} has a journal already (${path}); a new run needs a new id`);
    fd = openSync(path, 'a+', 0o600);
    if (resume && fstatSync(fd).size !== resume.journalBytes) {
      closeSync(fd);
      throw new JournalError('JOURNAL_LOCKED', `run ${runId} was written by another process while this resume was being checked; run the command again`);
    }
    // A resume appends after a line cut off by a crash; the reader skips that line only if it stands alone.
    if (resume && endsMidLine(fd)) writeSync(fd, '\n');
  } catch (error) {
    release();
    if (error instanceof JournalError) throw error;
    throw new JournalError('JOURNAL_UNWRITABLE', `cannot open the run journal ${path} (${fsCode(error)})`, { cause: error });
  }
  // A new run's folder and file become durable with the first entry that must be (see `append`).
  let folderSynced = resume !== undefined;

  const salt = resume?.salt ?? newSalt();
  const filterOutput = createOutputFilter(options.redaction);
  const started = new Set<string>();
  let dirty = false;
  let closed = false;
  let written = false;

  const snapshotFile = join(folder, SNAPSHOT_FILE);
  let snapshotFailure: JournalError | undefined;
  /** The text of the snapshot file on disk, so a step that changed nothing (an `assert`) costs no write. */
  let snapshotOnDisk: string | undefined;
  /** Keeps the target's state now; false (and no file) when it could not be written. */
  const saveSnapshot = (): boolean => {
    if (options.snapshot === undefined || snapshotFailure !== undefined) return snapshotFailure === undefined;
    try {
      const text = JSON.stringify(options.snapshot());
      if (text === snapshotOnDisk) return true;
      snapshotOnDisk = undefined;
      writeFileAtomic(snapshotFile, text);
      snapshotOnDisk = text;
      return true;
    } catch (error) {
      // An older state beside a newer journal would bring back a target without what later steps made.
      removeFile(snapshotFile);
      snapshotFailure = new JournalError('JOURNAL_WRITE_FAILED', `cannot write the emulator snapshot ${snapshotFile} (${fsCode(error)})`, { cause: error });
      return false;
    }
  };

  const writeFailed = (error: unknown): JournalError =>
    new JournalError('JOURNAL_WRITE_FAILED', `cannot write the run journal ${path} (${fsCode(error)})`, { cause: error });

  /**
   * Puts what is written on disk. The syncs run in libuv's thread pool, so the other runs of a batch go
   * on meanwhile; the file's and its folders' syncs of a new run go together, in one wait.
   */
  const flush = async (): Promise<void> => {
    dirty = false;
    const pending = [fsyncAsync(fd)];
    if (!folderSynced) {
      folderSynced = true;
      pending.push(syncFolderAsync(folder), syncSharedFolderAsync(dirname(folder)));
    }
    try {
      await Promise.all(pending);
    } catch (error) {
      dirty = true;
      throw writeFailed(error);
    }
  };

  /** Writes the entry at once (it survives the process being killed); with `sync`, resolves once it is on disk. */
  const append = (entry: JournalEntry, sync: boolean): Promise<void> | undefined => {
    if (closed) throw new JournalError('JOURNAL_WRITE_FAILED', `the run journal ${path} is closed`);
    try {
      const bytes = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      written = true;
    } catch (error) {
      throw writeFailed(error);
    }
    if (sync || syncAll) return flush();
    dirty = true;
    return undefined;
  };
  const now = (): string => new Date().toISOString();
  const outputFields = (output: unknown): Pick<StepEndEntry, 'output' | 'dropped'> => {
    if (output === undefined) return {};
    const { value, dropped } = filterOutput(output);
    return { ...(value === undefined ? {} : { output: value }), ...(dropped.length > 0 ? { dropped } : {}) };
  };

  return {
    runId,
    path,
    runStart({ runId: engineRunId, startedAt, plan, target }) {
      if (engineRunId !== runId) throw new JournalError('JOURNAL_WRITE_FAILED', `the journal of run ${runId} was given run ${engineRunId}`);
      const steps = plan.steps.map((step) => step.id);
      const vars = hashVars(plan.vars, salt);
      if (resume) {
        const synced = append(
          {
            v: JOURNAL_VERSION,
            type: 'run:resume',
            at: now(),
            force: resume.force,
            steps,
            vars,
            accepted: resume.accepted,
            ...(resume.from === undefined ? {} : { from: resume.from }),
          },
          true,
        );
        if (!saveSnapshot()) throw snapshotFailure!;
        return synced;
      }
      append(
        {
          v: JOURNAL_VERSION,
          type: 'run:start',
          at: now(),
          run_id: runId,
          workflow: { file: plan.file, name: plan.name },
          target: { name: target.name, api_url: safeUrl(target.apiUrl) },
          started_at: startedAt,
          salt,
          steps,
          vars,
        },
        // Synced with the first step that may change something, before its first request, or the run's end.
        false,
      );
      if (!saveSnapshot()) throw snapshotFailure!;
      return undefined;
    },
    stepStart(step: PlannedStep, templates: TemplateContext) {
      // Past a snapshot that could not be written, a resume could not bring back what the next steps make.
      if (snapshotFailure) throw snapshotFailure;
      const { refIds, unstable } = plannedRefIds(step, templates, runId);
      const sync = mayChange(step.definition) && !(folderSynced && reconcilable(step.definition, refIds, unstable));
      const entry: StepStartEntry = {
        v: JOURNAL_VERSION,
        type: 'step:start',
        at: now(),
        index: step.index,
        id: step.id,
        uses: step.uses,
        hash: hashStepDefinition(step, salt),
        ref_ids: refIds,
        ...(unstable ? { ref_ids_unstable: true as const } : {}),
        synced: sync || syncAll,
      };
      const synced = append(entry, sync);
      started.add(step.id);
      return synced;
    },
    stepEnd(step: PlannedStep, result: StepResult) {
      if (!started.has(step.id)) return undefined;
      const entry: StepEndEntry = {
        v: JOURNAL_VERSION,
        type: 'step:end',
        at: now(),
        index: step.index,
        id: step.id,
        status: result.status,
        ...(result.skipReason === undefined ? {} : { skip_reason: result.skipReason }),
        ...(result.allowedFailure ? { allowed_failure: true as const } : {}),
        duration_ms: result.durationMs,
        attempts: result.attempts,
        requests: result.exchanges.length,
        ref_ids: renderedRefIds(result.input),
        ...outputFields(result.output),
        ...(result.error
          ? {
              error: {
                code: result.error.code,
                ...(result.error.status === undefined ? {} : { status: result.error.status }),
                ...(result.error.type === undefined ? {} : { type: result.error.type }),
              },
            }
          : {}),
      };
      // The snapshot is synced before this entry is written, so it never holds less than the journal
      // says was done; the entry itself is synced with the next step that may change something, or the end.
      if (mayChange(step.definition)) saveSnapshot();
      return append(entry, false);
    },
    runEnd(result: RunResult) {
      if (options.snapshot !== undefined) {
        if (result.status === 'passed') {
          removeFile(snapshotFile);
          snapshotOnDisk = undefined;
        }
        else saveSnapshot();
      }
      return append({ v: JOURNAL_VERSION, type: 'run:end', at: now(), status: result.status, duration_ms: result.durationMs }, true);
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        if (dirty) fsyncSync(fd);
      } catch {
        // Written already; only the power-loss guarantee of the last read-only entries is lost.
      }
      try {
        closeSync(fd);
        // A run that never started (refused credentials, a missing scope) leaves no journal behind.
        if (!written && !resume) {
          unlinkSync(path);
          release();
          rmdirSync(folder);
        }
      } catch {
        // Left in place: `paxflow runs` lists it as unreadable.
      } finally {
        release();
      }
    },
  };
};
