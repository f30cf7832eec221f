import type { DocumentFileFacts } from '../util/document-file.js';
/** The workflow file, version 1, after validation. Keys are snake_case like the Paxos payloads. */
export interface WorkflowSpec {
  version: 1;
  name: string;
  description?: string;
  /** Defaults for `vars.*`; `--var name=value` and `--vars-file` override them. */
  vars?: Record<string, unknown>;
  /** Names of variables whose values are secrets, masked in every output. */
  secrets?: string[];
  /** More fields to mask in every output: field names or dotted paths (`person_details.nationality`). */
  redact?: string[];
  steps: StepSpec[];
  /** Rows to run the workflow for, each read as `row.*`: a list of rows, or columns with lists of values (every combination). `--data` replaces it. */
  matrix?: Record<string, unknown>[] | Record<string, unknown[]>;
  /** Cleanup steps, run after `steps` whatever happened; they read `steps.<id>` of the steps that passed. */
  finally?: StepSpec[];
  /** Declares the file a reusable playbook: the inputs a caller gives under `with:`, read as `inputs.*`. */
  inputs?: Record<string, InputSpec>;
  /** What a caller reads as `steps.<call id>.<name>`: templates over the playbook's steps and inputs. */
  outputs?: Record<string, string>;
}

/** One input of a playbook. */
export interface InputSpec {
  /** The JSON type of the value. */
  type: 'string' | 'number' | 'boolean' | 'object' | 'array';
  /** Whether every caller must give it. Default: true without a `default`, false with one. */
  required?: boolean;
  /** The value when the caller gives none. Used as it is (not rendered). */
  default?: unknown;
  description?: string;
  /** Personal data or a secret: the value is masked in every output. Default false. */
  sensitive?: boolean;
}

export interface RetrySpec {
  /** Total attempts including the first. */
  max_attempts: number;
  /** Wait before the second attempt, e.g. `500ms`. Default `1s`. */
  delay?: string;
  /** Multiplier applied to the delay after each attempt. Default 2. */
  factor?: number;
}

export interface StepSpec {
  id: string;
  name?: string;
  /** A step type, or a playbook file relative to this one (`./playbooks/onboard-person.yaml`). */
  uses: string;
  with?: Record<string, unknown>;
  /** A template; the step runs only when it renders truthy. Bare expressions get `{{ }}` added. */
  if?: string;
  /** Duration string such as `30s`. */
  timeout?: string;
  retry?: RetrySpec;
  continue_on_error?: boolean;
  /** Checks on the step's outcome, judged after its handler ends. */
  expect?: ExpectSpec;
}

/**
 * `expect.error`: the step must fail this way, and then passes. Every field given must match. Values may
 * be templates, so they are `unknown` until rendered.
 */
export interface ErrorExpectation {
  /** HTTP status of the error answer, e.g. 403. */
  status?: unknown;
  /** Problem type: the slug (`insufficient-funds`), the full URI, or `about:blank`. */
  type?: unknown;
  /** paxflow error code, e.g. `PAXOS_INSUFFICIENT_FUNDS` or `IDENTITY_DENIED`. */
  code?: unknown;
}

/**
 * `expect:` on a step: either `error` (how the step must fail), or output field paths (`status`,
 * `by_asset.USD.available`, `members.0.id`) mapped to a value (compared as `equals`) or to a mapping with
 * exactly one `assert` operator (`{ gt: "0" }`).
 */
export interface ExpectSpec {
  error?: ErrorExpectation;
  [field: string]: unknown;
}

/** A source position, 1-based. */
export interface Position {
  line: number;
  col: number;
}

/** A path into the workflow document, as JSON keys and array indexes. */
export type DocPath = ReadonlyArray<string | number>;

/** A validated workflow and the means to point back into its file. */
export interface Workflow {
  /** The file as the user named it. */
  file: string;
  spec: WorkflowSpec;
  /** Position of the key (or, for array items and the root, the value) at `path`; undefined if absent. */
  locate(path: DocPath): Position | undefined;
  /** The playbooks its steps call, validated, by `uses:` as written (set by readWorkflowFile). */
  playbooks?: ReadonlyMap<string, Workflow>;
  /**
   * The absolute folder of the file (set by readWorkflowFile): relative paths in step inputs, such as
   * uploadDocument's `file`, are resolved against it. @default the process's working directory
   */
  dir?: string;
  /** What each file that a step uploads is, by the path as written (set by readWorkflowFile, which checks them). */
  uploadFiles?: ReadonlyMap<string, DocumentFileFacts>;
}
