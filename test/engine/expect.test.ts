import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { judgeOutcome } from '../../src/engine/expect.js';
import { planWorkflow } from '../../src/engine/plan.js';
import { runWorkflow } from '../../src/engine/run.js';
import type { RunResult, StepErrorInfo, StepResult } from '../../src/engine/results.js';
import { PaxosApiError } from '../../src/paxos/errors.js';
import type { PaxosCallOptions, PaxosClient } from '../../src/paxos/types.js';
import { loadWorkflow, validateWorkflow } from '../../src/workflow/index.js';
import { json, startTestServer } from '../_server.js';
import { workflowFrom } from '../_workflow.js';

const PROFILE = '0b9d1f1e-8a0e-4f52-a9d3-0d3cfa9a6f10';
const ORDER = '7d8f9a60-2b7c-4f1e-bf12-51f0d2c3e4a5';

const insufficientFunds: StepErrorInfo = {
  code: 'PAXOS_INSUFFICIENT_FUNDS',
  message: 'HTTP 403 Insufficient Funds: POST /v2/profiles/x/orders',
  status: 403,
  type: 'insufficient-funds',
};

// ---------------------------------------------------------------------------------------------------
const judge = suite('engine: judgeOutcome (expect: applied to an outcome)');

judge('without an expectation, an output passes and an error fails as it is', () => {
  assert.equal(judgeOutcome(undefined, { ok: true, output: { a: 1 } }), { status: 'passed', output: { a: 1 } });
  assert.equal(judgeOutcome(undefined, { ok: false, error: insufficientFunds }), { status: 'failed', error: insufficientFunds });
});

judge('output fields: plain values mean equals, decimals compare exactly, dotted paths reach nested fields and items', () => {
  const output = { status: 'FILLED', amount_filled: '1.00000000', by_asset: { USD: { available: '9990.44' } }, members: [{ id: 'm1' }] };
  const verdict = judgeOutcome(
    { status: 'FILLED', amount_filled: '1', 'by_asset.USD.available': { gte: '9990.44' }, 'members.0.id': 'm1', 'members[0].id': { matches: '^m' } },
    { ok: true, output },
  );
  assert.is(verdict.status, 'passed');
  assert.equal(verdict.expectation, { kind: 'output', met: true, mismatches: [] });
  assert.equal((verdict as { output: unknown }).output, output);
});

judge('output fields: every failing field is listed with expected vs actual, and the output is kept', () => {
  const output = { status: 'OPEN', amount_filled: '0', price: '1700' };
  const verdict = judgeOutcome(
    { status: { in: ['FILLED', 'CANCELLED'] }, amount_filled: { gt: '0' }, price: '1700.00', missing: { exists: true }, ref_id: 'abc' },
    { ok: true, output },
  );
  assert.is(verdict.status, 'failed');
  if (verdict.status !== 'failed') return;
  assert.is(verdict.error.code, 'EXPECTATION_FAILED');
  assert.equal(verdict.expectation?.mismatches, [
    { field: 'status', expected: 'one of ["FILLED","CANCELLED"]', actual: '"OPEN"' },
    { field: 'amount_filled', expected: 'gt "0"', actual: '"0"' },
    { field: 'missing', expected: 'a value', actual: 'nothing' },
    { field: 'ref_id', expected: '"abc"', actual: 'nothing' },
  ]);
  assert.ok(verdict.error.message.includes('status: expected one of ["FILLED","CANCELLED"], got "OPEN"'));
  assert.ok(verdict.error.message.includes('amount_filled: expected gt "0", got "0"'));
  assert.equal(verdict.output, output);
});

judge('output fields: a failure of the step itself is not judged against output fields', () => {
  assert.equal(judgeOutcome({ status: 'FILLED' }, { ok: false, error: insufficientFunds }), { status: 'failed', error: insufficientFunds });
});

judge('output fields: malformed operands never hold and never throw', () => {
  const verdict = judgeOutcome({ a: { gt: 'abc' }, b: { matches: '(' }, c: { in: 'not a list' } }, { ok: true, output: { a: '1', b: 'x', c: 'y' } });
  assert.is(verdict.status, 'failed');
  assert.equal(verdict.expectation?.mismatches.map((m) => m.field), ['a', 'b', 'c']);
});

judge('output fields: values under a sensitive field are never shown', () => {
  const verdict = judgeOutcome(
    { 'person_details.cip_id': '900-00-0001', 'person_details.first_name': { exists: false }, summary_status: 'APPROVED' },
    { ok: true, output: { summary_status: 'PENDING', person_details: { cip_id: '912-34-5678', first_name: 'Billy' } } },
    { sensitive: new Set(['cip_id', 'first_name']) },
  );
  assert.is(verdict.status, 'failed');
  if (verdict.status !== 'failed') return;
  assert.equal(verdict.expectation?.mismatches, [
    { field: 'person_details.cip_id', expected: '[redacted]', actual: '[redacted]' },
    { field: 'person_details.first_name', expected: 'nothing', actual: '[redacted]' },
    { field: 'summary_status', expected: '"APPROVED"', actual: '"PENDING"' },
  ]);
  for (const secret of ['900-00-0001', '912-34-5678', 'Billy']) assert.not.ok(verdict.error.message.includes(secret), secret);
});

judge('error: a failure that matches passes, and the output holds the error without its file position', () => {
  const verdict = judgeOutcome({ error: { status: 403, type: 'insufficient-funds' } }, { ok: false, error: { ...insufficientFunds, line: 3, col: 5 } });
  assert.is(verdict.status, 'passed');
  assert.equal((verdict as { output: unknown }).output, { error: insufficientFunds });
  assert.is(verdict.expectation?.met, true);
  assert.is(verdict.expectation?.kind, 'error');
});

judge('error: type matches the slug, the full Problem URI and any case; status matches as text too; code exactly', () => {
  const failed = { ok: false as const, error: insufficientFunds };
  for (const type of ['insufficient-funds', 'https://developer.paxos.com/docs/v2/problems/insufficient-funds', 'Insufficient-Funds']) {
    assert.is(judgeOutcome({ error: { type } }, failed).status, 'passed', type);
  }
  assert.is(judgeOutcome({ error: { status: '403' } }, failed).status, 'passed');
  assert.is(judgeOutcome({ error: { code: 'PAXOS_INSUFFICIENT_FUNDS' } }, failed).status, 'passed');
  assert.is(judgeOutcome({ error: { code: 'paxos_insufficient_funds' } }, failed).status, 'failed');
  const blank = { ok: false as const, error: { code: 'PAXOS_FORBIDDEN', message: 'HTTP 403 Forbidden', status: 403, type: 'about:blank' } };
  assert.is(judgeOutcome({ error: { type: 'about:blank', status: 403 } }, blank).status, 'passed');
  const denied = { ok: false as const, error: { code: 'IDENTITY_DENIED', message: 'identity x is DENIED' } };
  assert.is(judgeOutcome({ error: { code: 'IDENTITY_DENIED' } }, denied).status, 'passed');
});

judge('error: another failure is EXPECTATION_FAILED with expected vs actual per field and the actual error', () => {
  const verdict = judgeOutcome({ error: { status: 403, type: 'already-exists' } }, { ok: false, error: insufficientFunds });
  assert.is(verdict.status, 'failed');
  if (verdict.status !== 'failed') return;
  assert.is(verdict.error.code, 'EXPECTATION_FAILED');
  assert.equal(verdict.expectation?.mismatches, [{ field: 'error.type', expected: '"already-exists"', actual: '"insufficient-funds"' }]);
  assert.equal(verdict.expectation?.actualError, insufficientFunds);
  assert.ok(verdict.error.message.includes('error.type: expected "already-exists", got "insufficient-funds"'));
  assert.ok(verdict.error.message.includes('PAXOS_INSUFFICIENT_FUNDS'), 'names how it failed');

  const untyped = judgeOutcome({ error: { type: 'insufficient-funds' } }, { ok: false, error: { code: 'STEP_TIMEOUT', message: 'too slow' } });
  assert.equal(untyped.expectation?.mismatches, [{ field: 'error.type', expected: '"insufficient-funds"', actual: 'nothing' }]);
});

judge('error: a success is UNEXPECTED_SUCCESS, keeping the output', () => {
  const verdict = judgeOutcome({ error: { status: 403 } }, { ok: true, output: { id: 'x' } });
  assert.is(verdict.status, 'failed');
  if (verdict.status !== 'failed') return;
  assert.is(verdict.error.code, 'UNEXPECTED_SUCCESS');
  assert.match(verdict.error.message, /expected the step to fail with status 403, but it succeeded/);
  assert.equal(verdict.output, { id: 'x' });
  assert.is(verdict.expectation?.met, false);
});

judge.run();

// ---------------------------------------------------------------------------------------------------
type Server = Awaited<ReturnType<typeof startTestServer>>;
const engine = suite<{ server: Server }>('engine: expect: on steps, through the one step wrapper');

engine.before(async (context) => {
  let flaky = 0;
  context.server = await startTestServer({
    '/order': json(200, { status: 'OPEN', amount_filled: '0', items: [{ id: 'a' }] }),
    '/unavailable': json(503, { title: 'Service Unavailable' }),
    // Succeeds with a growing counter: attempt n answers {count: n}.
    '/count': (_request, response) => {
      flaky += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: flaky }));
    },
  });
});
engine.after(async ({ server }) => server.close());

/** A Paxos client whose every call fails with one Problem, counting the calls. */
const failingPaxos = (type: string, status: number, title: string) => {
  const calls: PaxosCallOptions[] = [];
  const client: PaxosClient = {
    call: async (options) => {
      calls.push(options);
      throw new PaxosApiError({ problem: { type, title, status, detail: undefined, meta: undefined }, request: { method: options.method, path: `/v2${options.path}` } });
    },
    authorization: async () => undefined,
  };
  return { client, calls };
};

const run = async (yaml: string, options: { paxos?: PaxosClient; vars?: Record<string, unknown> } = {}): Promise<RunResult> =>
  runWorkflow(planWorkflow(workflowFrom(yaml), { vars: options.vars ?? {} }), {
    target: { name: 'custom', apiUrl: 'http://127.0.0.1:1/v2' },
    ...(options.paxos ? { paxos: options.paxos } : {}),
  });

const step = (result: RunResult, id: string): StepResult => result.steps.find((s) => s.id === id)!;

engine('output expectations pass, and fail with expected vs actual pointing at expect:', async ({ server }) => {
  const result = await run(`
version: 1
name: output
vars: { base: "${server.url}" }
steps:
  - id: good
    uses: http
    with: { url: "{{vars.base}}/order" }
    expect:
      status: 200
      body.status: OPEN
      body.items.0.id: { equals: a }
  - id: bad
    uses: http
    with: { url: "{{vars.base}}/order" }
    expect:
      body.status: FILLED
      body.amount_filled: { gt: "0" }
`);
  assert.equal(result.steps.map((s) => s.status), ['passed', 'failed']);
  assert.equal(step(result, 'good').expectation, { kind: 'output', met: true, mismatches: [] });
  const bad = step(result, 'bad');
  assert.is(bad.error?.code, 'EXPECTATION_FAILED');
  assert.match(bad.error!.message, /body\.status: expected "FILLED", got "OPEN"; body\.amount_filled: expected gt "0", got "0"/);
  assert.equal([bad.error?.line, bad.error?.col], [16, 5]);
  assert.equal(bad.expectation?.mismatches.length, 2);
});

engine('templates in expectation values are rendered with the same context as with:', async ({ server }) => {
  const result = await run(`
version: 1
name: templates
vars: { base: "${server.url}", wanted: OPEN, zero: "0" }
steps:
  - id: first
    uses: http
    with: { url: "{{vars.base}}/order" }
  - id: second
    uses: http
    with: { url: "{{vars.base}}/order" }
    expect:
      body.status: "{{vars.wanted}}"
      body.amount_filled: { lte: "{{vars.zero}}" }
      body.items: "{{steps.first.body.items}}"
`);
  assert.is(result.status, 'passed');
});

engine('a template in expect: that cannot render fails the step at that value', async ({ server }) => {
  const result = await run(`
version: 1
name: broken template
vars: { base: "${server.url}", nothing: null }
steps:
  - id: only
    uses: http
    with: { url: "{{vars.base}}/order" }
    expect:
      body.status: "{{vars.nothing.deeper}}"
`);
  const only = step(result, 'only');
  assert.is(only.status, 'failed');
  assert.is(only.error?.code, 'TEMPLATE_MISSING_VALUE');
  assert.equal([only.error?.line, only.error?.col], [10, 7]);
});

engine('expect.error: a Paxos failure of that type passes at once, without retries, and later steps read the error', async () => {
  const { client, calls } = failingPaxos('https://developer.paxos.com/docs/v2/problems/insufficient-funds', 403, 'Insufficient Funds');
  const result = await run(
    `
version: 1
name: expected failure
steps:
  - id: order
    uses: getOrder
    retry: { max_attempts: 3, delay: 10ms }
    with: { profile_id: ${PROFILE}, order_id: ${ORDER} }
    expect:
      error: { status: 403, type: insufficient-funds, code: PAXOS_INSUFFICIENT_FUNDS }
  - id: check
    uses: assert
    with:
      checks:
        - actual: "{{steps.order.error.type}}"
          equals: insufficient-funds
        - actual: "{{steps.order.error.status}}"
          equals: 403
        - actual: "{{steps.order.error.code}}"
          equals: PAXOS_INSUFFICIENT_FUNDS
        - actual: "{{steps.order.error.message}}"
          matches: Insufficient Funds
`,
    { paxos: client },
  );
  assert.is(result.status, 'passed', JSON.stringify(result.steps.map((s) => s.error)));
  const order = step(result, 'order');
  assert.is(order.attempts, 1);
  assert.is(calls.length, 1);
  assert.is(order.error, undefined);
  assert.equal((order.output as { error: StepErrorInfo }).error.type, 'insufficient-funds');
  assert.is(order.expectation?.actualError?.code, 'PAXOS_INSUFFICIENT_FUNDS');
});

engine('expect.error: another failure fails with expected vs actual, after the retries it is allowed', async () => {
  const { client, calls } = failingPaxos('https://developer.paxos.com/docs/v2/problems/already-exists', 409, 'Already Exists');
  const result = await run(
    `
version: 1
name: wrong failure
steps:
  - id: order
    uses: getOrder
    retry: { max_attempts: 2, delay: 10ms }
    with: { profile_id: ${PROFILE}, order_id: ${ORDER} }
    expect:
      error: { status: 403, type: insufficient-funds }
  - id: later
    uses: assert
    with: { checks: [{ actual: 1, equals: 1 }] }
`,
    { paxos: client },
  );
  assert.equal(result.steps.map((s) => s.status), ['failed', 'skipped']);
  const order = step(result, 'order');
  assert.is(order.error?.code, 'EXPECTATION_FAILED');
  assert.match(order.error!.message, /error\.status: expected 403, got 409; error\.type: expected "insufficient-funds", got "already-exists"/);
  assert.match(order.error!.message, /PAXOS_ALREADY_EXISTS/);
  assert.is(order.attempts, 2);
  assert.is(calls.length, 2);
});

engine('expect.error: a success fails with UNEXPECTED_SUCCESS; continue_on_error still lets the run go on', async ({ server }) => {
  const result = await run(`
version: 1
name: unexpected success
vars: { base: "${server.url}" }
steps:
  - id: call
    uses: http
    continue_on_error: true
    with: { url: "{{vars.base}}/order" }
    expect:
      error: { code: HTTP_UNEXPECTED_STATUS }
  - id: next
    uses: http
    with: { url: "{{vars.base}}/order" }
`);
  assert.is(result.status, 'passed');
  const call = step(result, 'call');
  assert.is(call.status, 'failed');
  assert.is(call.allowedFailure, true);
  assert.is(call.error?.code, 'UNEXPECTED_SUCCESS');
  assert.equal((call.output as { status: number }).status, 200);
});

engine('expect.error matches paxflow error codes of any step (an http status the step refuses)', async ({ server }) => {
  const result = await run(`
version: 1
name: paxflow code
vars: { base: "${server.url}" }
steps:
  - id: call
    uses: http
    with: { url: "{{vars.base}}/unavailable" }
    expect:
      error: { code: HTTP_UNEXPECTED_STATUS }
  - id: check
    uses: assert
    with: { checks: [{ actual: "{{steps.call.error.message}}", matches: "unexpected status 503" }] }
`);
  assert.is(result.status, 'passed');
});

engine('expect.error also matches paxflow refusing the rendered input (INVALID_STEP_INPUT)', async () => {
  const result = await run(`
version: 1
name: bad input
vars: { order: not-a-uuid }
steps:
  - id: order
    uses: getOrder
    with: { profile_id: ${PROFILE}, order_id: "{{vars.order}}" }
    expect:
      error: { code: INVALID_STEP_INPUT }
`);
  assert.is(result.status, 'passed');
  assert.is(step(result, 'order').attempts, 0);
});

engine('retry: re-runs a step whose output does not meet its expectation yet', async ({ server }) => {
  await fetch(`${server.url}/count`);
  const result = await run(`
version: 1
name: retry until
vars: { base: "${server.url}" }
steps:
  - id: call
    uses: http
    retry: { max_attempts: 5, delay: 10ms, factor: 1 }
    with: { url: "{{vars.base}}/count" }
    expect:
      body.count: { gte: 4 }
`);
  assert.is(result.status, 'passed');
  assert.is(step(result, 'call').attempts, 3);
});

engine('a step skipped by if: has no expectation judged', async ({ server }) => {
  const result = await run(`
version: 1
name: skipped
vars: { base: "${server.url}" }
steps:
  - id: call
    uses: http
    if: eq 1 2
    with: { url: "{{vars.base}}/order" }
    expect:
      body.status: FILLED
`);
  assert.is(result.status, 'passed');
  assert.is(step(result, 'call').status, 'skipped');
  assert.is(step(result, 'call').expectation, undefined);
});

engine.run();

// ---------------------------------------------------------------------------------------------------
const statics = suite('validate: expect: is checked before anything runs');

const problems = (yaml: string): string[] =>
  validateWorkflow(loadWorkflow(yaml, 'x.yaml'), 'x.yaml').diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`);

const messages = (yaml: string): string[] => validateWorkflow(loadWorkflow(yaml, 'x.yaml'), 'x.yaml').diagnostics.map((d) => d.message);

statics('field paths must exist in the step type output: typos, nested parts, list items and maps', () => {
  const yaml = `
version: 1
name: paths
steps:
  - id: order
    uses: getOrder
    with: { profile_id: ${PROFILE}, order_id: ${ORDER} }
    expect:
      stauts: FILLED
      amount_filled: "1"
  - id: balances
    uses: getBalances
    with: { profile_id: ${PROFILE} }
    expect:
      by_asset.USD.available: "1"
      by_asset.USD.avail: "1"
      items.0.asset: USD
      items[0].nope: USD
      items..asset: USD
`;
  assert.equal(problems(yaml), ['EXPECT_UNKNOWN_FIELD 9:7', 'EXPECT_UNKNOWN_FIELD 16:7', 'EXPECT_UNKNOWN_FIELD 18:7', 'EXPECT_UNKNOWN_FIELD 19:7']);
  const [typo] = messages(yaml);
  assert.match(typo!, /Did you mean `status`\?/);
});

statics('operators are the assert operators, one per field; error takes status, type and code only', () => {
  const yaml = `
version: 1
name: operators
steps:
  - id: order
    uses: getOrder
    with: { profile_id: ${PROFILE}, order_id: ${ORDER} }
    expect:
      status: { equal: FILLED }
      amount_filled: { gt: "0", lt: "2" }
      price: { gt: one }
  - id: again
    uses: getOrder
    with: { profile_id: ${PROFILE}, order_id: ${ORDER} }
    expect:
      error: { status: 4030, kind: x }
`;
  assert.equal(problems(yaml), ['UNKNOWN_KEY 9:17', 'BAD_VALUE 10:22', 'BAD_VALUE 11:20', 'BAD_VALUE 16:24', 'UNKNOWN_KEY 16:30']);
  assert.match(messages(yaml)[0]!, /Did you mean `equals`\?/);
});

statics('error and output fields exclude each other; templates in values are analysed like with:', () => {
  assert.equal(
    problems(`
version: 1
name: both
vars: { want: FILLED }
steps:
  - id: order
    uses: getOrder
    with: { profile_id: ${PROFILE}, order_id: ${ORDER} }
    expect:
      error: { status: 403 }
      status: "{{vars.wnat}}"
      amount_filled: { gt: "{{vars.want}}" }
`),
    ['CONFLICTING_KEYS 10:7', 'REF_UNKNOWN_VAR 11:18'],
  );
});

statics('steps.X.error.* is readable only when X has expect.error, and then only the error', () => {
  const yaml = (expectation: string) => `
version: 1
name: refs
steps:
  - id: order
    uses: getOrder
    with: { profile_id: ${PROFILE}, order_id: ${ORDER} }
${expectation}
  - id: check
    uses: assert
    with:
      checks:
        - actual: "{{steps.order.error.type}}"
          equals: insufficient-funds
        - actual: "{{steps.order.error.status}}"
          equals: 403
        - actual: "{{steps.order.status}}"
          equals: OPEN
`;
  assert.equal(problems(yaml('    expect:\n      error: { type: insufficient-funds }')), ['REF_UNKNOWN_FIELD 18:22']);
  assert.equal(problems(yaml('    expect:\n      status: OPEN')), ['REF_UNKNOWN_FIELD 14:22', 'REF_UNKNOWN_FIELD 16:22']);
});

statics('the plan counts steps read by expect: templates as dependencies', () => {
  const plan = planWorkflow(
    workflowFrom(`
version: 1
name: deps
steps:
  - id: first
    uses: getOrder
    with: { profile_id: ${PROFILE}, order_id: ${ORDER} }
  - id: second
    uses: getOrder
    with: { profile_id: ${PROFILE}, order_id: ${ORDER} }
    expect:
      id: "{{steps.first.id}}"
`),
  );
  assert.equal(plan.steps[1]!.dependsOn, ['first']);
  assert.equal(plan.steps[1]!.expect, { id: '{{steps.first.id}}' });
});

statics.run();
