import { createHmac, randomBytes } from 'node:crypto';
import type { PlannedStep } from '../engine/plan.js';
import type { VarHashes } from './entries.js';

/** JSON with object keys sorted at every level, so equal values always give the same text. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/** A fresh random salt for one run's journal. */
export const newSalt = (): string => randomBytes(16).toString('base64url');

/** 132 bits of an HMAC-SHA-256 of `text` keyed by the run's salt, base64url. */
const hmac = (salt: string, text: string): string => createHmac('sha256', salt).update(text).digest('base64url').slice(0, 22);

/** {@link hmac} of the value's canonical JSON. */
export const saltedHash = (salt: string, value: unknown): string => hmac(salt, canonicalJson(value));

/** The canonical text of each planned step's definition: a plan run many times (a batch) works it out once. */
const definitionTexts = new WeakMap<PlannedStep, string>();

const definitionOf = (step: PlannedStep) => ({
  uses: step.uses,
  with: step.with,
  if: step.if,
  timeout_ms: step.timeoutMs,
  retry: step.retry,
  continue_on_error: step.continueOnError,
  // `expect:` decides whether the step passed, so it is part of what the step is.
  expect: (step as { expect?: unknown }).expect,
  // Inside a playbook, what the calls around it give (their with: and if:) is part of it too.
  enclosing: step.enclosing,
});

/**
 * The hash of what a step is: its type, its unrendered `with`, `if`, timeout, retry, continue_on_error
 * and `expect`, and the playbook calls around it, with defaults resolved (so `timeout: 60s` and `timeout: 1m` are the same step).
 * Its name and position in the file are not part of it.
 */
export const hashStepDefinition = (step: PlannedStep, salt: string): string => {
  let text = definitionTexts.get(step);
  if (text === undefined) definitionTexts.set(step, (text = canonicalJson(definitionOf(step))));
  return hmac(salt, text);
};

/**
 * Salted hashes of each variable's value. Vars may hold secrets, so the journal keeps only these; the
 * salt, unique per run, keeps a hash from being looked up in a table of hashes of common values.
 */
export const hashVars = (vars: Record<string, unknown>, salt: string): VarHashes =>
  Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, saltedHash(salt, { name, value })]));
