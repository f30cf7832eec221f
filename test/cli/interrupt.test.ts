import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestServer } from '../_server.js';

// Ctrl-C during a request that never answers: the token request (shared by every caller, so it has no
// caller's signal of its own) and an API request. The real bin gets a real SIGINT and must end with 130,
// long before the 30 s request timeout, and without a stack trace.
type Server = Awaited<ReturnType<typeof startTestServer>>;
const interrupt = suite<{ server: Server; arrived: Array<() => void> }>('cli: Ctrl-C during a request that never answers', {} as never);

/** Far below the 30 s per-request timeout (and its one retry) that the old code waited out. */
const LIMIT_MS = 15_000;

interrupt.before(async (context) => {
  context.arrived = [];
  const tell = () => context.arrived.shift()?.();
  context.server = await startTestServer({
    '/stall/oauth2/token': tell,
    '/ok/oauth2/token': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"t","expires_in":3600}');
    },
    '/ok/v2/identity/identities': tell,
  });
});
interrupt.after(({ server }) => server.close());

const interruptWhenStalled = async ({ server, arrived }: { server: Server; arrived: Array<() => void> }, base: string) => {
  const reached = new Promise<void>((resolve) => arrived.push(resolve));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/bin.ts', 'run', 'workflows/onboard-and-trade.yaml', '--api-url', `${server.url}/${base}/v2`, '--oauth-url', `${server.url}/${base}/oauth2/token`,
      '--client-id', 'id-1', '--client-secret', 'secret-1', '--rate-limit', 'off'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PAXFLOW_HOME: mkdtempSync(join(tmpdir(), 'paxflow-int-')), CI: 'true' } },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (...exit) => resolve(exit)));
  await Promise.race([reached, exited]);
  child.kill('SIGINT');
  const guard = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
  const [code, signal] = await exited;
  clearTimeout(guard);
  return { code, signal, output };
};

interrupt('a stalled token request ends with exit 130 at Ctrl-C', async (context) => {
  const { code, signal, output } = await interruptWhenStalled(context, 'stall');
  assert.equal([code, signal], [130, null], `still running ${LIMIT_MS} ms after SIGINT, or ended otherwise:\n${output}`);
  assert.not.match(output, /\n\s+at \S+ \(|secret-1/);
});

interrupt('a stalled API request ends with exit 130 at Ctrl-C', async (context) => {
  const { code, signal, output } = await interruptWhenStalled(context, 'ok');
  assert.equal([code, signal], [130, null], output);
  assert.not.match(output, /\n\s+at \S+ \(/);
});

interrupt.run();
