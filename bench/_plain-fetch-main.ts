/**
 * The plain-fetch side of the whole-process figure (process.ts), bundled by it into one .mjs file so that
 * it starts like any small node script: fetches a token, runs the guide once with bench/baseline.ts,
 * polling every `--poll-every` ms, and exits 0 (or 1 with the reason on stderr).
 *
 *   node plain-fetch.mjs API_URL OAUTH_URL --poll-every 20 --cip-seed N
 */

import { parseArgs } from 'node:util';
import { runBaseline } from './baseline.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'poll-every': { type: 'string', default: '20' }, 'cip-seed': { type: 'string', default: '0' } },
});
const [apiUrl, oauthUrl] = positionals;
const scopes = process.env.PAXFLOW_BENCH_SCOPES ?? '';
try {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret', scope: scopes });
  const response = await fetch(oauthUrl!, { method: 'POST', body });
  if (!response.ok) throw new Error(`token request answered ${response.status}`);
  const { access_token: token } = (await response.json()) as { access_token: string };
  await runBaseline({ apiUrl: apiUrl!, authorization: `Bearer ${token}`, pollEveryMs: Number(values['poll-every']), cipSeed: Number(values['cip-seed']) });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
