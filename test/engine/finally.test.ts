import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planWorkflow } from '../../src/engine/plan.js';
import type { RunEvent, RunResult } from '../../src/engine/results.js';
import { runWorkflow } from '../../src/engine/run.js';
import { json, startTestServer } from '../_server.js';
import { stepStatuses, workflowFrom } from '../_workflow.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const cleanup = suite<{ server: Server }>('engine: finally steps and cleanup conditions');

cleanup.before(async (context) => {
  context.server = await startTestServer({
    '/ok': json(200, { value: 7, status: 'OPEN' }),
    '/fail': json(500, { title: 'Internal Server Error' }),
    '/cancel': json(200, { cancelled: true }),
    // Never answers: the step ends only by its timeout or an interrupt.
    '/hang': () => undefined,
  });
});
cleanup.after(async ({ server }) => server.close());

interface RunOptions {
  /** Interrupts the run when this step starts. */
  interruptAt?: string;
  cleanupGraceMs?: number;
}

const run = async (yaml: string, options: RunOptions = {}): Promise<RunResult> => {
  const controller = new AbortController();
  return runWorkflow(planWorkflow(workflowFrom(yaml)), {
    target: { name: 'custom', apiUrl: 'http://127.0.0.1:1/v2' },
    signal: controller.signal,
    ...(options.cleanupGraceMs === undefined ? {} : { cleanupGraceMs: options.cleanupGraceMs }),
    onEvent: (event: RunEvent) => {
      if (event.type === 'step:start' && event.id === options.interruptAt) controller.abort();
    },
  });
};

const statuses = (result: RunResult) => stepStatuses(result.steps);

cleanup('finally steps run after passing steps, marked as cleanup, reading their outputs', async ({ server }) => {
  const result = await run(`
version: 1
name: passing
steps:
  - id: order
    uses: http
    with: { url: "${server.url}/ok" }
finally:
  - id: cancel
    if: eq steps.order.body.status "OPEN"
    uses: http
    with: { url: "${server.url}/cancel", query: { value: "{{steps.order.body.value}}" } }
  - id: on_failure
    if: eq run.status "failed"
    uses: http
    with: { url: "${server.url}/ok" }
`);
  assert.is(result.status, 'passed');
  assert.equal(statuses(result), ['order:passed', 'cancel:passed', 'on_failure:skipped']);
  assert.equal(result.steps.map((step) => step.cleanup ?? false), [false, true, true]);
  assert.is(result.steps[2]!.skipReason, 'condition');
});

cleanup('after a failure, finally steps still run; conditions see run.status and which steps passed', async ({ server }) => {
  const result = await run(`
version: 1
name: failing
steps:
  - id: order
    uses: http
    with: { url: "${server.url}/ok" }
  - id: broken
    uses: http
    with: { url: "${server.url}/fail" }
  - id: later
    uses: http
    with: { url: "${server.url}/ok" }
finally:
  - id: cancel_if_placed
    if: "{{default steps.order false}}"
    uses: http
    with: { url: "${server.url}/cancel" }
  - id: only_if_later_passed
    if: "{{default steps.later false}}"
    uses: http
    with: { url: "${server.url}/cancel" }
  - id: report_failure
    if: eq run.status "failed"
    uses: http
    with: { url: "${server.url}/ok", query: { order: "{{steps.order.status}}" } }
  - id: broken_output_is_not_there
    if: eq (default steps.broken.status "none") "none"
    uses: http
    with: { url: "${server.url}/ok" }
`);
  assert.is(result.status, 'failed');
  assert.equal(statuses(result), [
    'order:passed',
    'broken:failed',
    'later:skipped',
    'cancel_if_placed:passed',
    'only_if_later_passed:skipped',
    'report_failure:passed',
    'broken_output_is_not_there:passed',
  ]);
  assert.is(result.steps[2]!.skipReason, 'previous_failure');
  assert.is(result.steps[4]!.skipReason, 'condition');
});

cleanup('a failing finally step fails a passing run, unless it has continue_on_error', async ({ server }) => {
  const failing = await run(`
version: 1
name: cleanup fails
steps:
  - id: one
    uses: http
    with: { url: "${server.url}/ok" }
finally:
  - id: tidy
    uses: http
    with: { url: "${server.url}/fail" }
  - id: after_tidy
    uses: http
    with: { url: "${server.url}/ok" }
`);
  assert.is(failing.status, 'failed');
  assert.equal(statuses(failing), ['one:passed', 'tidy:failed', 'after_tidy:passed']);

  const allowed = await run(`
version: 1
name: cleanup may fail
steps:
  - id: one
    uses: http
    with: { url: "${server.url}/ok" }
finally:
  - id: tidy
    uses: http
    continue_on_error: true
    with: { url: "${server.url}/fail" }
`);
  assert.is(allowed.status, 'passed');
  assert.ok(allowed.steps[1]!.allowedFailure);
});

cleanup('an interrupt ends the running step and skips the rest, and finally steps still run', async ({ server }) => {
  const before = server.hits['/cancel'] ?? 0;
  const result = await run(
    `
version: 1
name: interrupted
steps:
  - id: order
    uses: http
    with: { url: "${server.url}/ok" }
  - id: hang
    uses: http
    with: { url: "${server.url}/hang" }
  - id: later
    uses: http
    with: { url: "${server.url}/ok" }
finally:
  - id: cancel
    if: eq run.status "interrupted"
    uses: http
    with: { url: "${server.url}/cancel" }
`,
    { interruptAt: 'hang' },
  );
  assert.is(result.status, 'interrupted');
  assert.equal(statuses(result), ['order:passed', 'hang:interrupted', 'later:skipped', 'cancel:passed']);
  assert.is(result.steps[2]!.skipReason, 'interrupted');
  assert.is(server.hits['/cancel'], before + 1);
});

cleanup('after an interrupt, cleanup gets a grace period; a cleanup step past it ends interrupted', async ({ server }) => {
  const result = await run(
    `
version: 1
name: slow cleanup
steps:
  - id: hang
    uses: http
    with: { url: "${server.url}/hang" }
finally:
  - id: slow
    uses: http
    with: { url: "${server.url}/hang" }
`,
    { interruptAt: 'hang', cleanupGraceMs: 50 },
  );
  assert.is(result.status, 'interrupted');
  assert.equal(statuses(result), ['hang:interrupted', 'slow:interrupted']);
});

cleanup('continue_on_error in the steps lets the run pass; finally steps run after them as usual', async ({ server }) => {
  const result = await run(`
version: 1
name: allowed failure
steps:
  - id: broken
    uses: http
    continue_on_error: true
    with: { url: "${server.url}/fail" }
  - id: after
    uses: http
    with: { url: "${server.url}/ok" }
finally:
  - id: tidy
    if: eq run.status "passed"
    uses: http
    with: { url: "${server.url}/cancel" }
`);
  assert.is(result.status, 'passed');
  assert.equal(statuses(result), ['broken:failed', 'after:passed', 'tidy:passed']);
  assert.ok(result.steps[0]!.allowedFailure);
});

cleanup.run();
