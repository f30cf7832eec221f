import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planWorkflow } from '../../src/engine/plan.js';
import type { RunResult } from '../../src/engine/results.js';
import { runWorkflow } from '../../src/engine/run.js';
import { createRedactor } from '../../src/report/redact.js';
import { redactRun } from '../../src/report/redact-result.js';
import { readWorkflowFile } from '../../src/workflow/read.js';
import { json, startTestServer } from '../_server.js';
import { stepStatuses } from '../_workflow.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const playbooks = suite<{ server: Server }>('engine: playbook calls');

playbooks.before(async (context) => {
  context.server = await startTestServer({
    // Answers with the query it got, so a test sees what an input became.
    '/echo': (request, response) => {
      const query = Object.fromEntries(new URL(request.url ?? '/', 'http://x').searchParams);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ query }));
    },
    '/ok': json(200, { value: 7 }),
    '/fail': json(500, { title: 'Internal Server Error' }),
  });
});
playbooks.after(async ({ server }) => server.close());

/** Writes the files into a fresh folder; returns the path of the first. */
const files = (texts: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-playbooks-'));
  for (const [name, text] of Object.entries(texts)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return join(dir, Object.keys(texts)[0]!);
};

const run = async (main: string, options: { onSecret?: (value: unknown) => void; interruptAt?: string } = {}): Promise<RunResult> => {
  const { workflow, diagnostics } = await readWorkflowFile(main);
  assert.ok(workflow, diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`).join('\n'));
  const controller = new AbortController();
  return runWorkflow(planWorkflow(workflow), {
    target: { name: 'custom', apiUrl: 'http://127.0.0.1:1/v2' },
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'step:start' && event.id === options.interruptAt) controller.abort();
    },
    ...(options.onSecret ? { onSecret: options.onSecret } : {}),
  });
};

const statuses = (result: RunResult) => stepStatuses(result.steps);

/** A playbook that echoes its inputs and outputs what came back. */
const greet = (base: string) => `
version: 1
name: Greet
inputs:
  first_name: { type: string, sensitive: true }
  count: { type: number, default: 1 }
  tag: { type: string, required: false }
vars:
  greeting: hello
outputs:
  said: "{{steps.say.body.query.name}}"
  times: "{{steps.say.body.query.count}}"
  word: "{{vars.greeting}}"
steps:
  - id: say
    uses: http
    with:
      url: "${base}/echo?name={{inputs.first_name}}&count={{inputs.count}}&tag={{default inputs.tag 'none'}}"
  - id: again
    uses: http
    with: { url: "${base}/echo?previous={{steps.say.status}}" }
`;

playbooks('a call runs the playbook steps as <call>.<id>, and its outputs flow to the caller', async ({ server }) => {
  const main = files({
    'main.yaml': `
version: 1
name: main
vars:
  greeting: not the playbook's
steps:
  - id: first
    uses: ./playbooks/greet.yaml
    with: { first_name: Ada }
  - id: second
    uses: ./playbooks/greet.yaml
    with: { first_name: "{{steps.first.said}}-too", count: 3 }
  - id: check
    uses: assert
    with:
      checks:
        - { actual: "{{steps.first.said}}", equals: Ada }
        - { actual: "{{steps.second.said}}", equals: Ada-too }
        - { actual: "{{steps.first.times}}", equals: "1" }
        - { actual: "{{steps.second.times}}", equals: "3" }
        - { actual: "{{steps.first.word}}", equals: hello }
`,
    'playbooks/greet.yaml': greet(server.url),
  });
  const result = await run(main);
  assert.is(result.status, 'passed', JSON.stringify(result.steps.map((s) => s.error)));
  assert.equal(statuses(result), [
    'first.say:passed',
    'first.again:passed',
    'first:passed',
    'second.say:passed',
    'second.again:passed',
    'second:passed',
    'check:passed',
  ]);
  const first = result.steps[2]!;
  assert.is(first.uses, './playbooks/greet.yaml');
  assert.equal(first.output, { said: 'Ada', times: '1', word: 'hello' });
  // Nested steps are written in the playbook: results say so, with positions in it.
  const nested = result.steps[0]!;
  assert.ok(nested.file?.endsWith(join('playbooks', 'greet.yaml')));
  assert.is(nested.line, 15);
  assert.is(first.file, undefined);
  // Each call reads its own steps: `again` saw its own call's `say`.
  assert.equal((result.steps[4]!.output as { body: unknown }).body, { query: { previous: '200' } });
});

playbooks('sensitive inputs are handed to onSecret before any step of the call runs', async ({ server }) => {
  const main = files({
    'main.yaml': 'version: 1\nname: main\nsteps:\n  - id: hi\n    uses: ./greet.yaml\n    with: { first_name: Marguerite }\n',
    'greet.yaml': greet(server.url),
  });
  const secrets: unknown[] = [];
  const before = server.hits['/echo'] ?? 0;
  let hitsAtSecret = -1;
  const result = await run(main, {
    onSecret: (value) => {
      secrets.push(value);
      hitsAtSecret = server.hits['/echo'] ?? 0;
    },
  });
  assert.is(result.status, 'passed');
  assert.equal(secrets, ['Marguerite']);
  assert.is(hitsAtSecret, before);
});

playbooks('with onSecret wired to the redactor, a sensitive input is masked wherever it went', async ({ server }) => {
  const main = files({
    'main.yaml': 'version: 1\nname: main\nsteps:\n  - id: hi\n    uses: ./greet.yaml\n    with: { first_name: Marguerite }\n',
    'greet.yaml': greet(server.url),
  });
  const redactor = createRedactor();
  const result = await run(main, { onSecret: (value) => redactor.addSecret(value) });
  const text = JSON.stringify(redactRun(result, redactor));
  assert.ok(JSON.stringify(result).includes('Marguerite'), 'the query and the output held it');
  assert.not.ok(text.includes('Marguerite'));
  assert.ok(text.includes('[REDACTED]'));
});

playbooks('a failed playbook step fails the call and the run; continue_on_error on the call lets the run go on', async ({ server }) => {
  const failing = `
version: 1
name: Failing
outputs:
  value: "{{steps.broken.status}}"
steps:
  - id: fine
    uses: http
    with: { url: "${server.url}/ok" }
  - id: broken
    uses: http
    with: { url: "${server.url}/fail" }
  - id: never
    uses: http
    with: { url: "${server.url}/ok" }
`;
  const stops = await run(
    files({
      'main.yaml': `version: 1\nname: main\nsteps:\n  - id: call\n    uses: ./failing.yaml\n  - id: after\n    uses: http\n    with: { url: "${server.url}/ok" }\n`,
      'failing.yaml': failing,
    }),
  );
  assert.is(stops.status, 'failed');
  assert.equal(statuses(stops), ['call.fine:passed', 'call.broken:failed', 'call.never:skipped', 'call:failed', 'after:skipped']);
  assert.is(stops.steps[3]!.error!.code, 'PLAYBOOK_FAILED');
  assert.match(stops.steps[3]!.error!.message, /call\.broken/);
  assert.not.ok(stops.steps[1]!.allowedFailure);

  const goesOn = await run(
    files({
      'main.yaml': `version: 1\nname: main\nsteps:\n  - id: call\n    uses: ./failing.yaml\n    continue_on_error: true\n  - id: after\n    uses: http\n    with: { url: "${server.url}/ok" }\n`,
      'failing.yaml': failing,
    }),
  );
  assert.is(goesOn.status, 'passed');
  assert.equal(statuses(goesOn), ['call.fine:passed', 'call.broken:failed', 'call.never:skipped', 'call:failed', 'after:passed']);
  assert.ok(goesOn.steps[1]!.allowedFailure, 'the failure inside is a warning: the call around it lets it pass');
  assert.ok(goesOn.steps[3]!.allowedFailure);
});

playbooks('a call whose if: is false skips its steps; inputs of the wrong type once rendered fail it at with:', async ({ server }) => {
  const main = files({
    'main.yaml': `
version: 1
name: main
vars:
  skip: false
  number: 5
steps:
  - id: skipped
    if: "{{vars.skip}}"
    uses: ./greet.yaml
    with: { first_name: Ada }
  - id: typed
    uses: ./greet.yaml
    continue_on_error: true
    with:
      first_name: "{{vars.number}}"
  - id: missing
    uses: ./greet.yaml
    with: { first_name: "{{steps.typed.said}}" }
`,
    'greet.yaml': greet(server.url),
  });
  const result = await run(main);
  assert.equal(statuses(result), [
    'skipped.say:skipped',
    'skipped.again:skipped',
    'skipped:skipped',
    'typed.say:skipped',
    'typed.again:skipped',
    'typed:failed',
    'missing.say:skipped',
    'missing.again:skipped',
    'missing:failed',
  ]);
  assert.is(result.steps[0]!.skipReason, 'condition');
  assert.is(result.steps[2]!.skipReason, 'condition');
  const typed = result.steps[5]!;
  assert.is(typed.error!.code, 'PLAYBOOK_INPUT_TYPE');
  assert.equal([typed.error!.line, typed.error!.col], [16, 7]);
  assert.ok(typed.allowedFailure);
  // The input reads an output of a call that failed: a missing value, at the with: key that holds it.
  const missing = result.steps[8]!;
  assert.is(missing.error!.code, 'TEMPLATE_MISSING_VALUE');
  assert.equal([missing.error!.line, missing.error!.col], [19, 13]);
  assert.is(result.status, 'failed');
  assert.is(server.hits['/never'], undefined);
});

playbooks('playbooks nest: ids carry every call, each level reads its own inputs and outputs', async ({ server }) => {
  const main = files({
    'main.yaml': `
version: 1
name: main
steps:
  - id: outer
    uses: ./playbooks/outer.yaml
    with: { who: Ada }
  - id: check
    uses: assert
    with:
      checks:
        - { actual: "{{steps.outer.deep}}", equals: Ada-inner }
`,
    'playbooks/outer.yaml': `
version: 1
name: Outer
inputs:
  who: { type: string }
outputs:
  deep: "{{steps.inner.said}}"
steps:
  - id: inner
    uses: ./greet.yaml
    with: { first_name: "{{inputs.who}}-inner" }
`,
    'playbooks/greet.yaml': greet(server.url),
  });
  const result = await run(main);
  assert.is(result.status, 'passed');
  assert.equal(statuses(result), ['outer.inner.say:passed', 'outer.inner.again:passed', 'outer.inner:passed', 'outer:passed', 'check:passed']);
});

playbooks('an output that cannot be rendered fails the call and points into the playbook', async ({ server }) => {
  const main = files({
    'main.yaml': 'version: 1\nname: main\nsteps:\n  - id: call\n    uses: ./lib/out.yaml\n',
    'lib/out.yaml': `
version: 1
name: Out
outputs:
  body: "{{steps.get.body.missing}}"
steps:
  - id: get
    uses: http
    with: { url: "${server.url}/ok" }
`,
  });
  const result = await run(main);
  assert.equal(statuses(result), ['call.get:passed', 'call:failed']);
  const error = result.steps[1]!.error!;
  assert.is(error.code, 'TEMPLATE_MISSING_VALUE');
  assert.ok(error.file?.endsWith(join('lib', 'out.yaml')));
  assert.equal([error.line, error.col], [5, 3]);
});

playbooks('the plan lists a call after its steps, with ids, dependencies and scopes of every level', async ({ server }) => {
  const main = files({
    'main.yaml': `
version: 1
name: main
steps:
  - id: first
    uses: ./greet.yaml
    with: { first_name: Ada }
  - id: account
    uses: getAccount
    with: { account_id: "{{steps.first.said}}" }
finally:
  - id: cleanup
    uses: ./greet.yaml
    with: { first_name: "{{default steps.first.said 'x'}}" }
`,
    'greet.yaml': greet(server.url),
  });
  const { workflow } = await readWorkflowFile(main);
  const plan = planWorkflow(workflow!);
  assert.equal(
    plan.steps.map((step) => [step.index, step.id, step.frame, step.cleanup]),
    [
      [0, 'first.say', 'first', false],
      [1, 'first.again', 'first', false],
      [2, 'first', '', false],
      [3, 'account', '', false],
      [4, 'cleanup.say', 'cleanup', false],
      [5, 'cleanup.again', 'cleanup', false],
      [6, 'cleanup', '', true],
    ],
  );
  assert.equal(plan.steps[1]!.dependsOn, ['first.say']);
  assert.equal(plan.steps[3]!.dependsOn, ['first']);
  assert.equal(plan.scopes, ['identity:read_account']);
  assert.ok(plan.steps[0]!.enclosing?.[0]?.uses === './greet.yaml');
});

playbooks('a playbook\'s finally steps run inside its call; a call in finally: runs after a failure', async ({ server }) => {
  const main = files({
    'main.yaml': `
version: 1
name: main
steps:
  - id: trade
    uses: ./trade.yaml
    with: { ref: t1 }
  - id: later
    uses: http
    with: { url: "${server.url}/ok" }
finally:
  - id: tidy
    uses: ./tidy.yaml
    with: { reason: "{{run.status}}" }
`,
    'trade.yaml': `
version: 1
name: Trade
inputs:
  ref: { type: string }
steps:
  - id: order
    uses: http
    with: { url: "${server.url}/ok" }
  - id: broken
    uses: http
    with: { url: "${server.url}/fail" }
finally:
  - id: cancel
    if: eq run.status "failed"
    uses: http
    with: { url: "${server.url}/echo?ref={{inputs.ref}}&order={{steps.order.status}}" }
`,
    'tidy.yaml': `
version: 1
name: Tidy
inputs:
  reason: { type: string }
outputs:
  reason: "{{steps.note.body.query.reason}}"
steps:
  - id: note
    uses: http
    with: { url: "${server.url}/echo?reason={{inputs.reason}}" }
`,
  });
  const result = await run(main);
  assert.is(result.status, 'failed');
  assert.equal(statuses(result), ['trade.order:passed', 'trade.broken:failed', 'trade.cancel:passed', 'trade:failed', 'later:skipped', 'tidy.note:passed', 'tidy:passed']);
  assert.equal((result.steps[2]!.output as { body: unknown }).body, { query: { ref: 't1', order: '200' } });
  assert.ok(result.steps[2]!.cleanup);
  assert.ok(result.steps[6]!.cleanup);
  assert.not.ok(result.steps[5]!.cleanup, 'the steps of a cleanup playbook are its own steps: list');
  assert.equal(result.steps[6]!.output, { reason: 'failed' });
});

playbooks('after an interrupt inside a playbook, its finally steps and a cleanup playbook still run', async ({ server }) => {
  const main = files({
    'main.yaml': `
version: 1
name: main
steps:
  - id: trade
    uses: ./trade.yaml
  - id: later
    uses: http
    with: { url: "${server.url}/ok" }
finally:
  - id: tidy
    uses: ./tidy.yaml
`,
    'trade.yaml': `
version: 1
name: Trade
steps:
  - id: order
    uses: http
    with: { url: "${server.url}/ok" }
  - id: waiting
    uses: http
    with: { url: "${server.url}/ok?slow" }
  - id: never
    uses: http
    with: { url: "${server.url}/ok" }
finally:
  - id: cancel
    uses: http
    with: { url: "${server.url}/echo?cancel={{steps.order.status}}" }
`,
    'tidy.yaml': `
version: 1
name: Tidy
steps:
  - id: first
    uses: http
    with: { url: "${server.url}/ok" }
  - id: second
    uses: http
    with: { url: "${server.url}/echo?status={{run.status}}" }
`,
  });
  const result = await run(main, { interruptAt: 'trade.waiting' });
  assert.is(result.status, 'interrupted');
  assert.equal(statuses(result), [
    'trade.order:passed', 'trade.waiting:interrupted', 'trade.never:skipped', 'trade.cancel:passed', 'trade:interrupted',
    'later:skipped', 'tidy.first:passed', 'tidy.second:passed', 'tidy:passed',
  ]);
  assert.is(result.steps[5]!.skipReason, 'interrupted');
  assert.equal((result.steps[3]!.output as { body: unknown }).body, { query: { cancel: '200' } });
  // The cleanup playbook runs its own steps: its status is its own, passed so far.
  assert.equal((result.steps[7]!.output as { body: unknown }).body, { query: { status: 'passed' } });
});

playbooks.run();
