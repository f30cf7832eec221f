/**
 * Child process of hostile-io.test.ts: a seeded fast-check property over hostile command lines and
 * server answers, each case a call of the CLI function. Prints one JSON line per case, then
 * `{"done":true}`, or `{"failure":...}` and exits 1. A case that never ends (a synchronous loop, a wait
 * that ignores Ctrl-C) leaves the child running, and the parent kills it. Arguments: a temporary folder,
 * the seed, the number of cases. Runs only with PAXFLOW_TEST_CHILD=1, so that a test runner importing
 * every file under test/ does nothing with it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { cli } from '../../src/cli.js';
import { clearTokenCache } from '../../src/paxos/index.js';
import { HOSTILE_MODES, startHostileServer, type HostileMode } from '../_hostile-server.js';
import { startTestServer } from '../_server.js';

const SECRET = 'S3cret-client-7d1c9e';
const TOKEN = 'tok-canary-5f2a8b';
/** Personal data written in the workflows below: none of it may be printed or written to a report. */
const PII = ['Canaryfirst', 'Canarylast', '1951-02-03', '77 Canary Lane'];
/** A case that takes longer is a hang (a stalled wait ignores Ctrl-C, a retry loop never ends). */
const LIMIT_MS = 8000;
/** Ctrl-C this soon after a case starts, when it meets a server that never answers. */
const STALL_INTERRUPT_MS = 150;
/** A frame of a JavaScript stack trace (`at fn (/x/y.js:1:2)`, `at node:internal/...`), not `at FILE.yaml:5:5`. */
const STACK = /\bat [^\n]*(?:\.[cm]?[jt]sx?|node:[a-z_/]+):\d+:\d+/;
const CODE_LINE = /(^|\n)(\S+ )?error [A-Z][A-Z0-9]*(_[A-Z0-9]+)* /;
const ANY_CODE = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/;

const print = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

const main = async ([dir, seedText, runsText]: string[]): Promise<void> => {
  const seed = Number(seedText);
  const numRuns = Number(runsText);
  const thief = await startTestServer({});
  const hostile = await startHostileServer(thief.url, TOKEN);

  const flow = join(dir!, 'person.yaml');
  writeFileSync(
    flow,
    readFileSync('workflows/onboard-and-trade.yaml', 'utf8')
      .replace('first_name: Billy', `first_name: ${PII[0]}`)
      .replace('last_name: Duncan', `last_name: ${PII[1]}`)
      .replace('date_of_birth: "1960-01-01"', `date_of_birth: "${PII[2]}"`)
      .replace('address1: 123 Main St', `address1: ${PII[3]}`),
  );
  const httpFlow = join(dir!, 'http.yaml');
  writeFileSync(
    httpFlow,
    [
      'version: 1',
      'name: hostile http',
      'vars: { url: "http://127.0.0.1:1/" }',
      'steps:',
      '  - id: send',
      '    uses: http',
      `    with: { method: POST, url: "{{vars.url}}", json: { first_name: ${PII[0]}, last_name: ${PII[1]} } }`,
      '  - id: check',
      '    uses: assert',
      '    with: { checks: [ { actual: "{{steps.send.status}}", equals: 200 } ] }',
      '',
    ].join('\n'),
  );
  const aFile = join(dir!, 'a-file');
  writeFileSync(aFile, 'not a folder');
  const out = join(dir!, 'out');
  mkdirSync(out);
  const proc = existsSync('/proc/self');

  const NOISE: string[][] = [
    ['--reporter', proc ? 'junit=/proc/nope/x.xml' : `junit=${aFile}/x.xml`],
    ['--journal-dir', proc ? '/proc/nope/j' : `${aFile}/j`],
    ['--journal-dir', `${aFile}/j`],
    ['--var', '__proto__=x'],
    ['--var', 'toString=x'],
    ['--var', 'constructor=1'],
    ['--env-file', 'nope.env'],
    ['--credentials-file', existsSync('/dev/zero') ? '/dev/zero' : dir!],
    ['--vars-file', existsSync('/dev/zero') ? '/dev/zero' : dir!],
    ['--resume', 'abc'],
    ['--grep', '('],
    ['--concurrency', '0'],
    ['--target', 'sandbox'],
    ['--api-url', `http://user:${SECRET}@127.0.0.1:1/v2`],
    ['--no-redact-pii'],
    ['--rate-limit', 'bogus'],
    ['--dry-run'],
    ['--verbose'],
  ];
  const OFFLINE: string[][] = [['schema'], ['steps', '--json'], ['validate', flow], ['plan', flow], ['runs']];
  const REPORTERS: string[][] = [[], [], ['--reporter', 'json'], ['--reporter', `junit=${join(out, 'r.xml')}`], ['--reporter', `json=${join(out, 'r.json')}`, '--verbose']];

  const hostileCase = fc.record({
    kind: fc.constantFrom('custom', 'custom', 'custom', 'local-http', 'local-http', 'offline'),
    token: fc.constantFrom<HostileMode>(...HOSTILE_MODES),
    api: fc.constantFrom<HostileMode>(...HOSTILE_MODES.filter((mode) => mode !== 'ok')),
    http: fc.constantFrom<HostileMode>(...HOSTILE_MODES),
    offline: fc.constantFrom(...OFFLINE),
    noise: fc.option(fc.constantFrom(...NOISE), { freq: 2 }),
    reporter: fc.constantFrom(...REPORTERS),
    closeAfter: fc.option(fc.nat(6), { freq: 3 }),
    interruptMs: fc.option(fc.integer({ min: 0, max: 400 }), { freq: 5 }),
  });

  let index = 0;
  await fc.assert(
    fc.asyncProperty(hostileCase, async (c) => {
      index += 1;
      clearTokenCache();
      hostile.reset();
      const argv =
        c.kind === 'custom'
          ? ['run', flow, '--api-url', `${hostile.url}/a-${c.api}/v2`, '--oauth-url', `${hostile.url}/t-${c.token}/oauth2/token`,
              '--client-id', 'client-1', '--client-secret', SECRET, '--rate-limit', 'off', ...c.reporter, ...(c.noise ?? [])]
          : c.kind === 'local-http'
            ? ['run', httpFlow, '--var', `url=${hostile.url}/h-${c.http}/x`, ...c.reporter, ...(c.noise ?? [])]
            : [...c.offline, ...(c.noise ?? [])];
      const stalls = (c.kind === 'custom' && (c.token === 'stall' || (c.token === 'ok' && c.api === 'stall'))) || (c.kind === 'local-http' && c.http === 'stall');
      const interruptMs = c.interruptMs ?? (stalls ? STALL_INTERRUPT_MS : undefined);
      const controller = new AbortController();
      const timer = interruptMs === undefined ? undefined : setTimeout(() => controller.abort(), interruptMs);

      let stdout = '';
      let stderr = '';
      let writes = 0;
      const closed = c.closeAfter ?? Infinity;
      const stdoutWriter = {
        write: (text: string) => {
          writes += 1;
          if (writes > closed) throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
          stdout += text;
        },
      };
      const started = performance.now();
      let limit: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        cli(argv, { stdout: stdoutWriter, stderr: { write: (text: string) => void (stderr += text) }, env: { CI: 'true', PAXFLOW_HOME: join(dir!, 'home') }, cwd: process.cwd(), signal: controller.signal }),
        new Promise<'hung'>((resolve) => (limit = setTimeout(() => resolve('hung'), LIMIT_MS))),
      ]);
      clearTimeout(limit);
      clearTimeout(timer);
      const ms = Math.round(performance.now() - started);
      const shown = argv.map((arg) => arg.replace(hostile.url, 'HOST').replace(dir!, 'TMP').replace(SECRET, 'SECRET'));
      const fail = (why: string): never => {
        throw new Error(`${why}\nargv: ${shown.join(' ')}\ninterrupt: ${interruptMs}\nexit: ${code} after ${ms} ms\nstdout: ${stdout.slice(0, 1500)}\nstderr: ${stderr.slice(0, 1500)}`);
      };
      if (code === 'hung') fail(`no answer within ${LIMIT_MS} ms`);
      if (![0, 1, 2, 130].includes(code as number)) fail(`exit code ${code}`);
      if (controller.signal.aborted && code === 1 && !ANY_CODE.test(stdout + stderr)) fail('interrupted with exit 1 and no code');

      const reports = readdirSync(out).map((name) => readFileSync(join(out, name), 'utf8'));
      for (const text of [stdout, stderr, ...reports]) {
        if (STACK.test(text)) fail('a stack trace was printed');
        for (const secret of [SECRET, TOKEN, ...PII]) if (text.includes(secret)) fail(`'${secret}' was printed`);
      }
      if (code === 2 && !CODE_LINE.test(stderr)) fail('exit 2 without a coded error line');
      if (code === 1 && !ANY_CODE.test(stdout + stderr) && writes <= closed) fail('exit 1 without a code');
      if (Object.keys(thief.hits).length > 0) fail(`a request reached the address a redirect named: ${Object.keys(thief.hits).join(', ')}`);
      // Bounded memory: no answer was read past its limit; the client hung up on every huge one.
      for (const stream of hostile.streamed) {
        await Promise.race([stream.over, new Promise((resolve) => setTimeout(resolve, 2000))]);
        if (!stream.cutOff) fail(`a huge answer was read to its end (${stream.bytes} bytes)`);
      }
      const rss = process.memoryUsage().rss;
      if (rss > 1024 * 1024 * 1024) fail(`the process holds ${Math.round(rss / 1048576)} MB`);
      for (const name of readdirSync(out)) writeFileSync(join(out, name), '');
      print({ case: index, kind: c.kind, code, ms, argv: shown.slice(1).join(' ') });
    }),
    { seed, numRuns, endOnFailure: true },
  ).catch((error: unknown) => {
    // fast-check keeps the case's own error as the cause.
    const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
    print({ failure: error instanceof Error ? `${error.message}${cause}` : String(error) });
    process.exitCode = 1;
  });
  hostile.reset();
  await hostile.close();
  await thief.close();
  if (process.exitCode !== 1) print({ done: true });
};

if (process.env.PAXFLOW_TEST_CHILD === '1') await main(process.argv.slice(2));
