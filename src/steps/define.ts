/**
 * The shape every step type has. A step type is one object; the registry lists them and one wrapper in
 * the engine runs them all, so a step file holds only what is specific to its step type.
 */

import type { PaxosClient } from '../paxos/types.js';

/** A JSON Schema (draft 2020-12 subset that ajv compiles). */
export type JsonSchema = Record<string, unknown>;

/** One HTTP request/response seen by a step, kept for reports. Never holds bodies or headers. */
export interface HttpExchange {
  method: string;
  /** Path and query, without the host. */
  path: string;
  status?: number;
  durationMs: number;
  /** Paxos request id, where the response carries one. */
  requestId?: string;
}

/** One check made by a polling step (awaitApproval, awaitOrder). */
export interface PollAttempt {
  at: string;
  /** The status seen, when the check got an answer. */
  status?: string;
  /** Why the check got no status (a transient error code). */
  error?: string;
}

/** Where the run sends its requests. */
export interface TargetInfo {
  /** `local`, `sandbox`, `production` or `custom`. */
  name: string;
  /** Base URL of the API, ending in `/v2`. */
  apiUrl: string;
  /** OAuth token URL, when the target needs one. */
  oauthUrl?: string;
}

/** What the engine hands to a step's `run`. */
export interface StepContext {
  /** Aborted when the step's timeout passes or the run is interrupted. Pass it to every request. */
  signal: AbortSignal;
  /** Milliseconds since the epoch when the step's timeout passes, if it has one. */
  deadline: number | undefined;
  runId: string;
  stepId: string;
  /** The folder that relative paths in the step's input are resolved against: that of the file the step is written in. */
  baseDir: string;
  target: TargetInfo;
  /** The authenticated target API. Runs without a configured API get one that refuses every call. */
  paxos: PaxosClient;
  /** Record an HTTP exchange for reports. */
  recordExchange(exchange: HttpExchange): void;
  /** Record one poll of a waiting step. */
  recordPoll(attempt: PollAttempt): void;
}

export interface StepDefinition<Input = any, Output = any> {
  /** The name used in `uses:`, camelCase. */
  type: string;
  /** One sentence for `paxflow steps`, the schema's hover text and docs. */
  description: string;
  /** JSON Schema of `with:`, closed, every property described. `x-sensitive: true` marks personal data. */
  input: JsonSchema;
  /** JSON Schema of the output; `validate` checks `steps.<id>.<field>` references against it. */
  output: JsonSchema;
  /** OAuth scopes the step needs from the target. */
  scopes: readonly string[];
  /**
   * Input fields that hold the path of a local file the step uploads, relative to the workflow file. Each
   * must be a literal path: validate checks the file (readable, a PDF, JPG or PNG by content, less than
   * 100 MB) before anything runs, and plan shows it. @default none
   */
  uploads?: readonly string[];
  /** Refused against production: the endpoint exists only in the sandbox. */
  sandboxOnly: boolean;
  /** The step may be re-run after a failure without side effects being repeated (`retry:` honours it). */
  retrySafe: boolean;
  /**
   * The step sends no request at all (it only reads the run's own data, as `assert` does), so it cannot
   * change anything at the target and its journal entries need no sync to disk. @default false
   */
  local?: boolean;
  run(input: Input, context: StepContext): Promise<Output>;
}

/** Returns its argument; it exists so TypeScript infers a step's input and output types. */
export const defineStep = <Input, Output>(definition: StepDefinition<Input, Output>): StepDefinition<Input, Output> =>
  definition;
