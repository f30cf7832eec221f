/**
 * Emulator throughput: the standalone emulator (`paxflow sandbox`, its own process) under load from
 * load.ts (another process), for GET /v2/profiles/{id}/orders/{id} and for order creation.
 */

import { join } from 'node:path';
import type { LoadResult, LoadSpec } from './load.js';
import { runTimed, startStandaloneSandbox, type StandaloneSandbox } from './_process.js';
import { round } from './_stats.js';
import { notMeasured, type BenchContext, type Budget, type Figure, type Row } from './_types.js';

const FIGURE = 'Emulator';
const CONNECTIONS = 32;

const api = async <T>(sandbox: StandaloneSandbox, token: string, method: string, path: string, body?: unknown): Promise<T> => {
  const response = await fetch(sandbox.apiUrl + path, {
    method,
    headers: { authorization: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`emulator set-up: ${method} ${path} answered ${response.status}`);
  return (await response.json()) as T;
};

/** An approved identity with a funded profile and one filled order, to read and to trade from. */
const prepare = async (sandbox: StandaloneSandbox) => {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret' });
  const tokenResponse = await fetch(sandbox.oauthUrl, { method: 'POST', body: form });
  const token = `Bearer ${((await tokenResponse.json()) as { access_token: string }).access_token}`;
  const identity = await api<{ id: string }>(sandbox, token, 'POST', '/identity/identities', {
    ref_id: 'bench-load-identity',
    person_details: {
      verifier_type: 'PASSTHROUGH', passthrough_verifier_type: 'JUMIO', passthrough_verified_at: '2021-06-16T09:28:14Z',
      passthrough_verification_id: 'bench-load', passthrough_verification_status: 'APPROVED',
      passthrough_verification_fields: ['FULL_LEGAL_NAME', 'DATE_OF_BIRTH'], first_name: 'Load', last_name: 'Test',
      date_of_birth: '1960-01-01', address: { address1: '1 Main St', city: 'New York', province: 'NY', country: 'USA', zip_code: '10001' },
      nationality: 'USA', cip_id: '000000001', cip_id_type: 'SSN', cip_id_country: 'USA',
      phone_number: '+1 555 678 1234', email: 'load@example.org',
    },
    customer_due_diligence: {
      estimated_yearly_income: 'INCOME_50K_TO_100K', expected_transfer_value: 'TRANSFER_VALUE_25K_TO_50K',
      source_of_wealth: 'EMPLOYMENT_INCOME', employment_status: 'FULL_TIME', employment_industry_sector: 'ARTS_ENTERTAINMENT_RECREATION',
    },
  });
  for (let tries = 0; ; tries += 1) {
    const seen = await api<{ summary_status: string }>(sandbox, token, 'GET', `/identity/identities/${identity.id}`);
    if (seen.summary_status === 'APPROVED') break;
    if (tries > 50) throw new Error(`emulator set-up: the identity stayed ${seen.summary_status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const account = await api<{ id: string; profile_id: string }>(sandbox, token, 'POST', '/identity/accounts', {
    create_profile: true,
    account: { identity_id: identity.id, ref_id: 'bench-load-account', type: 'BROKERAGE' },
  });
  await api(sandbox, token, 'POST', `/sandbox/profiles/${account.profile_id}/deposit`, { asset: 'USD', amount: '100000000' });
  const order = {
    side: 'BUY', market: 'ETHUSD', type: 'LIMIT', price: '1814.8', base_amount: '0.001',
    identity_id: identity.id, identity_account_id: account.id,
  };
  const first = await api<{ id: string }>(sandbox, token, 'POST', `/profiles/${account.profile_id}/orders`, { ...order, ref_id: 'bench-load-first' });
  return { token, profileId: account.profile_id, orderId: first.id, order };
};

const load = async (context: BenchContext, spec: LoadSpec): Promise<LoadResult> => {
  const run = await runTimed(process.execPath, ['--import', 'tsx', join(context.root, 'bench/load.ts'), JSON.stringify(spec)], {
    cwd: context.root,
    timeoutMs: spec.warmupMs + spec.durationMs + 30_000,
  });
  if (run.code !== 0) throw new Error(`load.ts exited ${run.code}: ${run.stderr.slice(0, 300)}`);
  return JSON.parse(run.stdout) as LoadResult;
};

const describe = (result: LoadResult): string =>
  `${result.requests} requests in ${result.durationMs / 1000} s, ${CONNECTIONS} connections, p50 ${round(result.p50Ms)} ms, p95 ${round(result.p95Ms)} ms`;

const measure = async (context: BenchContext): Promise<Row[]> => {
  const durationMs = context.quick ? 2_000 : 5_000;
  const warmupMs = context.quick ? 500 : 1_000;
  const sandbox = await startStandaloneSandbox(context.cliPath, context.root);
  try {
    const { token, profileId, orderId, order } = await prepare(sandbox);
    const common = { connections: CONNECTIONS, warmupMs, durationMs };
    context.log('emulator: GET order under load');
    const get = await load(context, {
      ...common,
      url: `${sandbox.apiUrl}/profiles/${profileId}/orders/${orderId}`,
      method: 'GET',
      headers: { authorization: token, accept: 'application/json' },
    });
    context.log('emulator: order creation under load');
    const create = await load(context, {
      ...common,
      url: `${sandbox.apiUrl}/profiles/${profileId}/orders`,
      method: 'POST',
      headers: { authorization: token, accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ ...order, ref_id: 'bench-load-{{n}}' }),
    });
    const peak = sandbox.peakRss();
    // A rate that includes failed answers measures the failure path, not the endpoint: no number then.
    const row = (name: string, result: LoadResult, budget?: Budget): Row =>
      result.errors > 0
        ? notMeasured(FIGURE, name, 'req/s', `${result.errors} of ${result.requests} answers were not 2xx (${JSON.stringify(result.statuses)})`, budget)
        : { figure: FIGURE, name, value: round(result.perSecond), unit: 'req/s', ...(budget ? { budget } : {}), note: describe(result) };
    const rows = [
      row('GET /v2/profiles/{id}/orders/{id}', get, { op: '>=', limit: 5_000 }),
      row('POST /v2/profiles/{id}/orders (create; it fills 5 ms later)', create),
    ];
    rows[0]!.details = { get, create, ...(peak === undefined ? {} : { emulatorPeakRssMiB: round(peak / 2 ** 20) }) };
    return rows;
  } finally {
    await sandbox.stop();
  }
};

export const emulatorFigure: Figure = { id: 'emulator', title: FIGURE, measure };
