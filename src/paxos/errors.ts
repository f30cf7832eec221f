import { StepFailedError } from '../errors.js';
import { problemCode, type StepFailureCode } from '../step-codes.js';

/** The RFC 7807 "Problem" body Paxos sends with every error status. */
export interface PaxosProblem {
  /** `about:blank` or `https://developer.paxos.com/docs/v2/problems/<slug>`. */
  type: string;
  title: string;
  status: number | undefined;
  detail: string | undefined;
  meta: Record<string, unknown> | undefined;
}

/** Where a failed request went. Never holds a body, a query string or a header. */
export interface PaxosRequestInfo {
  method: string;
  /** URL path without the query string, e.g. `/v2/identity/identities`. */
  path: string;
}

const STATUS_CODES: Record<number, StepFailureCode> = {
  400: 'PAXOS_BAD_REQUEST',
  401: 'PAXOS_UNAUTHORIZED',
  403: 'PAXOS_FORBIDDEN',
  404: 'PAXOS_NOT_FOUND',
  409: 'PAXOS_CONFLICT',
  429: 'PAXOS_RATE_LIMITED',
};

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Server text goes into messages, so keep it printable and short. */
const clean = (text: string, max = 300): string => {
  const printable = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
};

/** `insufficient-funds` for a typed Paxos problem, `undefined` for `about:blank` or an odd type. */
export const problemSlug = (type: string): string | undefined => {
  if (type === 'about:blank' || type === '') return undefined;
  const last = type.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() ?? '';
  return /^[a-z0-9][a-z0-9-]{0,79}$/i.test(last) ? last.toLowerCase() : undefined;
};

/** The error code for an HTTP error answer: the problem slug in upper snake case, else one per status. */
export const codeForProblem = (status: number | undefined, type: string): StepFailureCode => {
  const slug = problemSlug(type);
  if (slug) return problemCode(slug);
  if (status === undefined) return 'PAXOS_HTTP_ERROR';
  if (status >= 500) return 'PAXOS_SERVER_ERROR';
  return STATUS_CODES[status] ?? 'PAXOS_HTTP_ERROR';
};

export const statusTitle = (status: number): string => STATUS_TITLES[status] ?? `HTTP ${status}`;

/**
 * Reads a Problem from an error response body of any content type (`application/problem+json`,
 * `application/json`, HTML from a proxy, nothing). Missing fields fall back to the HTTP status.
 */
export const parseProblem = (status: number, text: string): PaxosProblem => {
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const meta = fields.meta;
  return {
    type: typeof fields.type === 'string' && fields.type !== '' ? fields.type : 'about:blank',
    title: typeof fields.title === 'string' && fields.title !== '' ? clean(fields.title, 100) : statusTitle(status),
    status,
    detail: typeof fields.detail === 'string' && fields.detail !== '' ? clean(fields.detail) : undefined,
    meta: typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : undefined,
  };
};

export interface PaxosApiErrorOptions {
  code?: StepFailureCode;
  problem: PaxosProblem;
  request: PaxosRequestInfo;
  requestId?: string;
  /** Milliseconds the server asked us to wait (`Retry-After`), when it said. */
  retryAfterMs?: number;
  /** Replaces the default message text before `: METHOD path`. */
  summary?: string;
}

/**
 * A Paxos API call failed: an error status (with the parsed Problem), a network failure
 * (`PAXOS_NETWORK_ERROR`, no status) or a timeout (`PAXOS_TIMEOUT`). The message reads
 * "<what happened>: METHOD /path" and holds no request body, query string or header, so the error
 * is safe to print and to `util.inspect`.
 *
 * `code` is `PAXOS_<SLUG>` for typed problems (`PAXOS_INSUFFICIENT_FUNDS`), otherwise one per status:
 * `PAXOS_BAD_REQUEST`, `PAXOS_UNAUTHORIZED`, `PAXOS_FORBIDDEN`, `PAXOS_NOT_FOUND`, `PAXOS_CONFLICT`,
 * `PAXOS_RATE_LIMITED`, `PAXOS_SERVER_ERROR`, `PAXOS_HTTP_ERROR`; plus `PAXOS_NETWORK_ERROR`,
 * `PAXOS_TIMEOUT`, `PAXOS_ABORTED`, `PAXOS_BAD_RESPONSE`, `PAXOS_OUTCOME_UNKNOWN` and `REF_ID_CONFLICT`.
 */
export class PaxosApiError extends StepFailedError {
  override name = 'PaxosApiError';
  /** HTTP status; `undefined` when no response arrived. */
  override readonly status: number | undefined;
  /** Problem type: `about:blank` or the Paxos problem URL. */
  readonly type: string;
  /** The problem slug, e.g. `insufficient-funds`; `undefined` for `about:blank`. */
  readonly slug: string | undefined;
  readonly title: string;
  readonly detail: string | undefined;
  readonly meta: Record<string, unknown> | undefined;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(options: PaxosApiErrorOptions) {
    const { problem, request } = options;
    const status = problem.status === undefined ? '' : `HTTP ${problem.status} `;
    const what = options.summary ?? `${status}${problem.title}${problem.detail ? ` (${problem.detail})` : ''}`;
    super(options.code ?? codeForProblem(problem.status, problem.type), `${what}: ${request.method} ${request.path}`);
    this.status = problem.status;
    this.type = problem.type;
    this.slug = problemSlug(problem.type);
    this.title = problem.title;
    this.detail = problem.detail;
    this.meta = problem.meta;
    this.method = request.method;
    this.path = request.path;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export const isPaxosApiError = (error: unknown): error is PaxosApiError => error instanceof PaxosApiError;

/** No response arrived, or the request timed out: the API may or may not have processed it. */
export const networkError = (
  request: PaxosRequestInfo,
  kind: 'PAXOS_NETWORK_ERROR' | 'PAXOS_TIMEOUT' | 'PAXOS_ABORTED',
  summary: string,
): PaxosApiError =>
  new PaxosApiError({
    code: kind,
    problem: { type: 'about:blank', title: summary, status: undefined, detail: undefined, meta: undefined },
    request,
    summary,
  });
