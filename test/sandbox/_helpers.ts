import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';
import { guideIdentityBody } from '../_guide.js';

export type { SandboxHandle };

/** Starts an emulator on a free loopback port. Close it with `handle.close()` in the suite's `after`. */
export function startTestSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  return startSandbox({ port: 0, host: '127.0.0.1', ...options });
}

export const TEST_CLIENT_ID = 'sandbox-client';
export const TEST_CLIENT_SECRET = 'sandbox-secret';

/**
 * Gets an access token with the default credentials through an urlencoded token request.
 * Without `scopes`, the token carries every scope the sandbox allows.
 */
export async function getToken(sandbox: SandboxHandle, scopes?: string[]): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: TEST_CLIENT_ID,
    client_secret: TEST_CLIENT_SECRET,
  });
  if (scopes) form.set('scope', scopes.join(' '));
  const response = await fetch(sandbox.oauthUrl, { method: 'POST', body: form });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    throw new Error(`token request failed with HTTP ${response.status}`);
  }
  return body.access_token;
}

export interface CallOptions {
  token?: string;
  /** Sent as JSON with `Content-Type: application/json`. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the response is not JSON. */
  body: any;
}

/** One HTTP request against the sandbox; `path` starts with `/v2/...` (or `/oauth2/...`). */
export async function call(sandbox: SandboxHandle, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(sandbox.url + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

let guideCounter = 0;
const runTag = `${process.pid.toString(36)}${Date.now().toString(36)}`;

/**
 * The person from the onboarding guide (Billy Duncan, passthrough-verified, complete details),
 * with a unique `ref_id` and a unique 9xx-xx-xxxx `cip_id` on every call.
 * `overrides` is merged one level deep into the top level, `person_details` and `customer_due_diligence`;
 * an override of `undefined` drops the field (JSON leaves it out).
 */
export function guidePerson(overrides: Record<string, any> = {}): Record<string, any> {
  guideCounter += 1;
  const serial = guideCounter;
  const area = 900 + (serial % 100);
  const group = String(Math.floor(serial / 100) % 100).padStart(2, '0');
  const tail = String(serial % 10_000).padStart(4, '0');
  const guide = guideIdentityBody();
  const base: Record<string, any> = {
    ...guide,
    ref_id: `guide-person-${runTag}-${serial}`,
    person_details: { ...guide.person_details, cip_id: `${area}-${group}-${tail}` },
  };
  const { person_details, customer_due_diligence, ...rest } = overrides;
  return {
    ...base,
    ...rest,
    person_details: { ...base.person_details, ...person_details },
    customer_due_diligence: { ...base.customer_due_diligence, ...customer_due_diligence },
  };
}

/** Polls `check` every 20 ms until it returns a value other than `undefined`, for at most `attempts` tries. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, attempts = 200): Promise<T> {
  for (let i = 0; i < attempts; i += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`condition not met after ${attempts} attempts`);
}
