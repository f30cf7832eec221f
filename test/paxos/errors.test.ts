import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isStepFailedError } from '../../src/errors.js';
import { PaxosApiError, codeForProblem, deriveRefId, isPaxosApiError, parseProblem, problemSlug } from '../../src/paxos/index.js';
import { parseRetryAfter } from '../../src/paxos/_http.js';

const Errors = suite('PaxosApiError');

Errors('codes: typed problems by slug, the rest by status', () => {
  const base = 'https://developer.paxos.com/docs/v2/problems/';
  assert.is(codeForProblem(403, `${base}insufficient-funds`), 'PAXOS_INSUFFICIENT_FUNDS');
  assert.is(codeForProblem(409, `${base}already-exists`), 'PAXOS_ALREADY_EXISTS');
  const byStatus: Array<[number, string]> = [
    [400, 'PAXOS_BAD_REQUEST'], [401, 'PAXOS_UNAUTHORIZED'], [403, 'PAXOS_FORBIDDEN'], [404, 'PAXOS_NOT_FOUND'],
    [409, 'PAXOS_CONFLICT'], [429, 'PAXOS_RATE_LIMITED'], [500, 'PAXOS_SERVER_ERROR'], [504, 'PAXOS_SERVER_ERROR'], [418, 'PAXOS_HTTP_ERROR'],
  ];
  for (const [status, code] of byStatus) assert.is(codeForProblem(status, 'about:blank'), code);
  assert.is(problemSlug('about:blank'), undefined);
  assert.is(problemSlug(`${base}Weird Slug!`), undefined);
});

Errors('parseProblem falls back to the status for missing fields and bodies that are not JSON', () => {
  assert.equal(parseProblem(404, '{"status":404,"title":"Not Found","type":"about:blank"}'), {
    type: 'about:blank', title: 'Not Found', status: 404, detail: undefined, meta: undefined,
  });
  assert.equal(parseProblem(503, '<html>down</html>'), { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: undefined, meta: undefined });
  assert.equal(parseProblem(500, ''), { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: undefined, meta: undefined });
  assert.is(parseProblem(400, '{"detail":"line\\u0000break","meta":[1]}').detail, 'line break');
  assert.is(parseProblem(400, '{"meta":[1]}').meta, undefined);
});

Errors('is a StepFailedError with METHOD and path in its message', () => {
  const error = new PaxosApiError({ problem: parseProblem(404, ''), request: { method: 'GET', path: '/v2/x' } });
  assert.ok(isPaxosApiError(error));
  assert.ok(isStepFailedError(error));
  assert.is(error.name, 'PaxosApiError');
  assert.is(error.message, 'HTTP 404 Not Found: GET /v2/x');
});

Errors('parseRetryAfter reads seconds and HTTP dates', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.is(parseRetryAfter('7', now), 7000);
  assert.is(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now), 3000);
  assert.is(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  assert.is(parseRetryAfter('soon', now), undefined);
  assert.is(parseRetryAfter(null, now), undefined);
});

Errors.run();

const RefId = suite('deriveRefId');

RefId('is stable per run and step, differs otherwise, short and URL-safe', () => {
  const refId = deriveRefId('run-1', 'buy');
  assert.is(deriveRefId('run-1', 'buy'), refId);
  assert.match(refId, /^pf-[A-Za-z0-9_-]{22}$/);
  assert.is.not(deriveRefId('run-2', 'buy'), refId);
  assert.is.not(deriveRefId('run-1', 'sell'), refId);
  assert.is.not(deriveRefId('run-1', 'buy', 1), refId);
  assert.is.not(deriveRefId('run-1b', 'uy'), deriveRefId('run-1', 'buy'));
  assert.is(encodeURIComponent(refId), refId);
});

RefId.run();
