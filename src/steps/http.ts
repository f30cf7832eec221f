import { StepFailedError, UsageError } from '../errors.js';
import { byteSize, readBodyCapped, type BodyRead } from '../util/read-body.js';
import { defineStep } from './define.js';

/** The most read of an answer's body; a larger one fails the step. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface HttpInput {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path?: string;
  url?: string;
  query?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  headers?: Record<string, string>;
  json?: unknown;
  expect_status?: number | number[];
}

interface HttpOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const queryValue = { type: ['string', 'number', 'boolean'] };

/** Joins the target's API base (which ends in /v2) and a path such as `/markets` without doubling slashes. */
const joinUrl = (base: string, path: string): string => base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');

const toSearchParams = (query: NonNullable<HttpInput['query']>): URLSearchParams => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  return params;
};

const statusMatches = (status: number, expected: HttpInput['expect_status']): boolean => {
  if (expected === undefined) return status >= 200 && status < 300;
  return Array.isArray(expected) ? expected.includes(status) : status === expected;
};

export const httpStep = defineStep<HttpInput, HttpOutput>({
  type: 'http',
  description:
    'Sends one HTTP request, to a path of the target Paxos API (authenticated like every other step) or to any URL, and fails on an unexpected status. A redirect is never followed (HTTP_REDIRECT unless its status is listed in expect_status); an answer over 16 MiB fails with HTTP_RESPONSE_TOO_LARGE.',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      method: {
        description: 'HTTP method. Default GET.',
        enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      },
      path: {
        description: 'Path below the target API base, e.g. `/markets` for `<api>/v2/markets`. Sent with the run\'s credentials.',
        type: 'string',
        pattern: '^/',
      },
      url: {
        description: 'A full http(s) URL, sent without credentials (a URL holding user:password@ is refused). Use `path` for the Paxos API.',
        type: 'string',
        pattern: '^https?://',
      },
      query: {
        description: 'Query parameters; an array value repeats the key (`assets=BTC&assets=USD`).',
        type: 'object',
        additionalProperties: { anyOf: [queryValue, { type: 'array', items: queryValue }] },
      },
      headers: {
        description: 'Extra request headers.',
        type: 'object',
        additionalProperties: { type: 'string' },
      },
      json: { description: 'Request body, sent as JSON.' },
      expect_status: {
        description: 'Status (or list of statuses) that counts as success. Default: any 2xx.',
        anyOf: [
          { type: 'integer', minimum: 100, maximum: 599 },
          { type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 }, minItems: 1 },
        ],
      },
    },
    oneOf: [{ required: ['path'] }, { required: ['url'] }],
  },
  output: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { type: 'integer', description: 'HTTP status of the response.' },
      headers: {
        type: 'object',
        description: 'Response headers, lower-case names.',
        additionalProperties: { type: 'string' },
      },
      body: { description: 'Response body: parsed JSON when the response is JSON, otherwise text.' },
    },
  },
  scopes: [],
  sandboxOnly: false,
  // The author wrote this request and asked for `retry:` explicitly; creates through typed steps are
  // protected by ref_id, which a raw request cannot be.
  retrySafe: true,
  async run(input, context) {
    const method = input.method ?? 'GET';
    const target = input.path === undefined ? input.url! : joinUrl(context.target.apiUrl, input.path);
    const url = new URL(target);
    if (input.query) for (const [key, value] of toSearchParams(input.query)) url.searchParams.append(key, value);

    const headers: Record<string, string> = { ...input.headers };
    if (input.path !== undefined) {
      const authorization = await context.paxos.authorization(context.signal);
      if (authorization) headers.authorization = authorization;
    }
    if (input.url !== undefined && !/^https?:$/.test(url.protocol)) {
      throw new UsageError('HTTP_BAD_URL', 'url must use http or https');
    }
    // Never echoed: the password is the point. Credentials go in headers:, where they are masked.
    if (url.username !== '' || url.password !== '') {
      throw new UsageError('HTTP_BAD_URL', 'url holds a user name or password (user:password@host), which paxflow does not send; put credentials in headers: (e.g. authorization)');
    }

    // ky is loaded by the first request, not with the step registry: its module feature-detects request
    // streams with `new Request()`, which makes Node load its fetch implementation, and `validate` sends nothing.
    const { default: ky } = await import('ky');
    const started = performance.now();
    let response: Response;
    try {
      response = await ky(url, {
        method,
        headers,
        json: input.json,
        throwHttpErrors: false,
        // Never followed: a 307 re-sends the body, and any redirect takes the request somewhere the author did not write.
        redirect: 'manual',
        retry: 0,
        timeout: false,
        signal: context.signal,
      });
    } catch (error) {
      if (context.signal.aborted) throw error;
      // ky's errors carry the request; keep only the kind of failure.
      const kind = error instanceof Error ? error.name : 'Error';
      throw new StepFailedError('HTTP_NETWORK_ERROR', `request failed (${kind}): ${method} ${url.pathname}`, { cause: error });
    }
    const redirect = REDIRECTS.has(response.status) && !statusMatches(response.status, input.expect_status);
    let read: BodyRead = { text: '' };
    try {
      if (redirect) await response.body?.cancel();
      else read = await readBodyCapped(response, MAX_BODY_BYTES);
    } catch (error) {
      if (context.signal.aborted) throw error;
      throw new StepFailedError('HTTP_NETWORK_ERROR', `the answer broke off: ${method} ${url.pathname}`, { cause: error });
    }
    context.recordExchange({
      method,
      path: url.pathname + url.search,
      status: response.status,
      durationMs: performance.now() - started,
      ...(response.headers.get('x-request-id') ? { requestId: response.headers.get('x-request-id')! } : {}),
    });

    if (redirect) {
      throw new StepFailedError(
        'HTTP_REDIRECT',
        `${url.host} answered ${response.status}, a redirect, which paxflow does not follow (credentials and bodies go only where they were sent): request the address it redirects to, or list ${response.status} under expect_status: ${method} ${url.pathname}`,
        { status: response.status },
      );
    }
    if (read.tooLarge) {
      throw new StepFailedError('HTTP_RESPONSE_TOO_LARGE', `${url.host} answered with a body larger than ${byteSize(MAX_BODY_BYTES)}: ${method} ${url.pathname}`, {
        status: response.status,
      });
    }
    const { text } = read;
    const contentType = response.headers.get('content-type') ?? '';
    let body: unknown = text;
    if (/json/i.test(contentType) && text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new StepFailedError('HTTP_BAD_JSON', `response is not valid JSON: ${method} ${url.pathname}`);
      }
    }
    if (!statusMatches(response.status, input.expect_status)) {
      throw new StepFailedError('HTTP_UNEXPECTED_STATUS', `unexpected status ${response.status}: ${method} ${url.pathname}`, {
        status: response.status,
      });
    }
    return { status: response.status, headers: Object.fromEntries(response.headers), body };
  },
});
