import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planWorkflow } from '../../src/engine/plan.js';
import { runWorkflow } from '../../src/engine/run.js';
import type { RunEvent, RunResult } from '../../src/engine/results.js';
import { json, startTestServer } from '../_server.js';
import { stepStatuses, workflowFrom } from '../_workflow.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const engine = suite<{ server: Server }>('engine: runWorkflow');

engine.before(async (context) => {
  let flaky = 0;
  context.server = await startTestServer({
    '/ok': json(200, { value: 42, items: [1, 2], name: 'paxflow' }),
    '/fail': json(500, { title: 'Internal Server Error' }),
    '/flaky': (_request, response) => {
      flaky += 1;
      const status = flaky % 3 === 0 ? 200 : 503;
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ attempt: flaky }));
    },
    '/reset-flaky': (_request, response) => {
      flaky = 0;
      response.writeHead(204).end();
    },
    // Never answers: the step must end by its own timeout or by interruption.
    '/hang': () => undefined,
  });
});
engine.after(async ({ server }) => server.close());

const run = async (yaml: string, options: { signal?: AbortSignal; vars?: Record<string, unknown>; events?: RunEvent[] } = {}) => {
  const plan = planWorkflow(workflowFrom(yaml), { vars: options.vars ?? {} });
  return runWorkflow(plan, {
    target: { name: 'custom', apiUrl: 'http://127.0.0.1:1/v2' },
    ...(options.signal ? { signal: options.signal } : {}),
    onEvent: (event) => options.events?.push(event),
  });
};

const statuses = (result: RunResult) => stepStatuses(result.steps);

engine('passes outputs to later steps with their JSON types', async ({ server }) => {
  const result = await run(`
version: 1
name: flow
vars: { base: "${server.url}" }
steps:
  - id: first
    uses: http
    with: { url: "{{vars.base}}/ok" }
  - id: second
    uses: http
    with:
      url: "{{vars.base}}/ok"
      method: POST
      json: { count: "{{steps.first.body.value}}", list: "{{steps.first.body.items}}", text: "n={{steps.first.body.value}}" }
  - id: check
    uses: assert
    with:
      checks:
        - actual: "{{steps.second.status}}"
          equals: 200
`);
  assert.equal(result.status, 'passed');
  assert.equal(statuses(result), ['first:passed', 'second:passed', 'check:passed']);
  assert.equal((result.steps[1]!.input as { json: unknown }).json, { count: 42, list: [1, 2], text: 'n=42' });
  assert.equal((result.steps[0]!.output as { body: unknown }).body, { value: 42, items: [1, 2], name: 'paxflow' });
  assert.is(result.steps[0]!.exchanges.length, 1);
  assert.is(result.steps[0]!.exchanges[0]!.status, 200);
});

engine('a failed step fails the run and skips the rest', async ({ server }) => {
  const result = await run(`
version: 1
name: failing
steps:
  - id: one
    uses: http
    with: { url: "${server.url}/ok" }
  - id: two
    uses: http
    with: { url: "${server.url}/fail" }
  - id: three
    uses: http
    with: { url: "${server.url}/ok" }
`);
  assert.equal(result.status, 'failed');
  assert.equal(statuses(result), ['one:passed', 'two:failed', 'three:skipped']);
  assert.is(result.steps[1]!.error!.code, 'HTTP_UNEXPECTED_STATUS');
  assert.is(result.steps[1]!.error!.status, 500);
  assert.is(result.steps[2]!.skipReason, 'previous_failure');
  assert.is(result.steps[1]!.line, 8);
  assert.is(result.steps[1]!.col, 5);
});

engine('continue_on_error lets the run go on and pass', async ({ server }) => {
  const result = await run(`
version: 1
name: tolerant
steps:
  - id: two
    uses: http
    continue_on_error: true
    with: { url: "${server.url}/fail" }
  - id: three
    uses: http
    with: { url: "${server.url}/ok" }
`);
  assert.equal(result.status, 'passed');
  assert.equal(statuses(result), ['two:failed', 'three:passed']);
  assert.is(result.steps[0]!.allowedFailure, true);
});

engine('if: skips a step whose condition is false, in template and bare form', async ({ server }) => {
  const result = await run(`
version: 1
name: conditional
vars: { kind: person }
steps:
  - id: skipped_template
    uses: http
    if: "{{eq vars.kind 'institution'}}"
    with: { url: "${server.url}/ok" }
  - id: ran_bare
    uses: http
    if: eq vars.kind "person"
    with: { url: "${server.url}/ok" }
`);
  assert.equal(statuses(result), ['skipped_template:skipped', 'ran_bare:passed']);
  assert.is(result.steps[0]!.skipReason, 'condition');
  assert.is(result.status, 'passed');
});

engine('retry re-runs a failing step until it passes, counting attempts', async ({ server }) => {
  await fetch(`${server.url}/reset-flaky`);
  const passing = await run(`
version: 1
name: retried
steps:
  - id: flaky
    uses: http
    retry: { max_attempts: 3, delay: 10ms }
    with: { url: "${server.url}/flaky" }
`);
  assert.is(passing.steps[0]!.status, 'passed');
  assert.is(passing.steps[0]!.attempts, 3);

  await fetch(`${server.url}/reset-flaky`);
  const failing = await run(`
version: 1
name: retried too little
steps:
  - id: flaky
    uses: http
    retry: { max_attempts: 2, delay: 10ms }
    with: { url: "${server.url}/flaky" }
`);
  assert.is(failing.steps[0]!.status, 'failed');
  assert.is(failing.steps[0]!.attempts, 2);
  assert.is(failing.status, 'failed');
});

engine('timeout fails a step that does not finish in time', async ({ server }) => {
  const result = await run(`
version: 1
name: slow
steps:
  - id: hang
    uses: http
    timeout: 150ms
    with: { url: "${server.url}/hang" }
  - id: after
    uses: http
    with: { url: "${server.url}/ok" }
`);
  assert.equal(statuses(result), ['hang:failed', 'after:skipped']);
  assert.is(result.steps[0]!.error!.code, 'STEP_TIMEOUT');
});

engine('an interrupt marks the running step interrupted and skips the rest', async ({ server }) => {
  const controller = new AbortController();
  const events: RunEvent[] = [];
  setTimeout(() => controller.abort(), 100);
  const result = await run(
    `
version: 1
name: interrupted
steps:
  - id: hang
    uses: http
    with: { url: "${server.url}/hang" }
  - id: after
    uses: http
    with: { url: "${server.url}/ok" }
`,
    { signal: controller.signal, events },
  );
  assert.is(result.status, 'interrupted');
  assert.equal(statuses(result), ['hang:interrupted', 'after:skipped']);
  assert.is(result.steps[1]!.skipReason, 'interrupted');
  assert.equal(
    events.map((event) => event.type),
    ['workflow:start', 'step:start', 'step:end', 'step:end', 'workflow:end'],
  );
});

engine('a missing template value fails the step with a coded error', async ({ server }) => {
  const result = await run(`
version: 1
name: missing
steps:
  - id: one
    uses: http
    with: { url: "${server.url}/ok" }
  - id: two
    uses: http
    with: { url: "${server.url}/ok?x={{steps.one.body.nope}}" }
`);
  assert.is(result.steps[1]!.status, 'failed');
  assert.is(result.steps[1]!.error!.code, 'TEMPLATE_MISSING_VALUE');
  assert.ok(result.steps[1]!.error!.message.includes('steps.one.body.nope'));
  // The failure points at the field holding the template (line 10, `url`), not only at the step.
  assert.is(result.steps[1]!.line, 8);
  assert.equal([result.steps[1]!.error!.line, result.steps[1]!.error!.col], [10, 13]);
});

engine('a rendered input that breaks the step schema fails before the handler runs', async ({ server }) => {
  const before = server.hits['/ok'] ?? 0;
  const result = await run(
    `
version: 1
name: bad input
vars: { method: GET }
steps:
  - id: one
    uses: http
    with: { url: "${server.url}/ok", method: "{{vars.method}}" }
`,
    { vars: { method: 'FETCH' } },
  );
  assert.is(result.steps[0]!.status, 'failed');
  assert.is(result.steps[0]!.error!.code, 'INVALID_STEP_INPUT');
  assert.is(result.steps[0]!.attempts, 0);
  assert.is(server.hits['/ok'] ?? 0, before);
});

engine('assert compares decimals exactly and reports expected vs actual', async () => {
  const result = await run(`
version: 1
name: decimals
vars: { amount: "10.50", big: "12345678901234567890.000000001" }
steps:
  - id: holds
    uses: assert
    with:
      checks:
        - { actual: "{{vars.amount}}", equals: "10.5" }
        - { actual: "{{vars.amount}}", gt: "9.99" }
        - { actual: "{{vars.big}}", gt: "12345678901234567890" }
        - { actual: "{{vars.amount}}", in: ["1", "10.500"] }
        - { actual: "{{vars.amount}}", matches: "^10\\\\.5" }
  - id: fails
    uses: assert
    with:
      checks:
        - { label: too small, actual: "{{vars.amount}}", lt: "10.5" }
`);
  assert.is(result.steps[0]!.status, 'passed');
  assert.equal(result.steps[0]!.output, { passed: 5 });
  assert.is(result.steps[1]!.status, 'failed');
  assert.is(result.steps[1]!.error!.code, 'ASSERTION_FAILED');
  assert.ok(result.steps[1]!.error!.message.includes('too small'));
  assert.ok(result.steps[1]!.error!.message.includes('"10.50"'));
});

engine.run();
