/**
 * The run journal's file format: one JSON object per line in `journal.jsonl`, appended as the run goes.
 * Every entry carries `v` (the format version) and `type`; keys are snake_case like the Paxos payloads.
 * The journal holds what a resume needs and nothing personal: no rendered inputs but `ref_id`s, no
 * values of `vars`, outputs without personal, credential or secret fields, error codes without messages.
 */

import type { RunStatus, SkipReason, StepStatus } from '../engine/results.js';

export const JOURNAL_VERSION = 1;
export const JOURNAL_FILE = 'journal.jsonl';

/** Salted hashes of each variable's value, by name: a resume sees which changed without storing them. */
export type VarHashes = Record<string, string>;

/** The first line of every journal. */
export interface RunStartEntry {
  v: 1;
  type: 'run:start';
  at: string;
  run_id: string;
  workflow: { file: string; name: string };
  /** The target's name and API URL (without credentials or query). */
  target: { name: string; api_url: string };
  /** `run.started_at` as templates saw it; a resume renders with the same value. */
  started_at: string;
  /** Random per run; keys every hash in this journal, so equal values in two runs hash differently. */
  salt: string;
  /** The step ids of the workflow, in order. */
  steps: string[];
  vars: VarHashes;
}

/** Appended when `--resume` continues the run in a new process. */
export interface RunResumeEntry {
  v: 1;
  type: 'run:resume';
  at: string;
  /** Whether `--force` accepted changes to completed steps or variables. */
  force: boolean;
  steps: string[];
  vars: VarHashes;
  /** New definition hashes of completed steps that `--force` accepted, by step id. */
  accepted: Record<string, string>;
  /** The step the resumed run starts at, or none when every step had completed. */
  from?: string;
}

/** Written, and for a step that may change something synced to disk, before the step's first request. */
export interface StepStartEntry {
  v: 1;
  type: 'step:start';
  at: string;
  index: number;
  id: string;
  uses: string;
  /** Salted hash of the step's definition: uses, with, if, timeout, retry, continue_on_error. */
  hash: string;
  /** The ref_ids the step's creates will use (given in `with` or derived from run id and step id). */
  ref_ids: string[];
  /** A ref_id is made with a helper that changes on every render (`uuid`, `now`, `test_ssn`). */
  ref_ids_unstable?: true;
  /** Whether the entry was synced to disk before the step ran (steps that may change something). */
  synced: boolean;
}

export interface StepEndEntry {
  v: 1;
  type: 'step:end';
  at: string;
  index: number;
  id: string;
  status: StepStatus;
  skip_reason?: SkipReason;
  allowed_failure?: true;
  duration_ms: number;
  attempts: number;
  /** HTTP exchanges the step completed; 0 with 0 attempts means it sent nothing. */
  requests: number;
  /** The ref_ids of the rendered input, exactly as sent. */
  ref_ids: string[];
  /** The output without personal data, credentials or secrets. */
  output?: unknown;
  /** Paths of the output fields left out (`person_details.email`): a resume refuses a step that reads one. */
  dropped?: string[];
  /** The error's code and HTTP details; never its message. */
  error?: { code: string; status?: number; type?: string };
}

export interface RunEndEntry {
  v: 1;
  type: 'run:end';
  at: string;
  status: RunStatus;
  duration_ms: number;
}

export type JournalEntry = RunStartEntry | RunResumeEntry | StepStartEntry | StepEndEntry | RunEndEntry;
export type JournalEntryType = JournalEntry['type'];

export const ENTRY_TYPES: ReadonlySet<string> = new Set<JournalEntryType>(['run:start', 'run:resume', 'step:start', 'step:end', 'run:end']);
