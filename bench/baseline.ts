/**
 * The baseline of the runner-overhead figure: `workflows/onboard-and-trade.yaml` written by hand with
 * plain `fetch` (undici's keep-alive pool), the same requests in the same order, the same bodies, the same
 * poll schedule as paxflow's default (`pollGap` of 250 ms: at once, then 20 ms growing 3x) unless told to
 * poll at a fixed gap, and the same final checks. Nothing else:
 * no validation, templates, retries, reports or journal. overhead.ts checks that it still sends what
 * paxflow sends before it times either.
 */

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { pollGap } from '../src/steps/_poll.js';
import { guideIdentityBody } from '../test/_guide.js';

export interface BaselineTarget {
  apiUrl: string;
  /** `Bearer …`, fetched once per process, like paxflow's token cache does. */
  authorization: string;
  /** Milliseconds between the checks of a poll; absent: paxflow's default schedule. */
  pollEveryMs?: number;
  /** Where the run's test SSNs start (a process that runs once gives each process its own). @default 0 */
  cipSeed?: number;
}

/** The gap after the `checks`-th check of a poll: paxflow's default schedule (src/steps/_poll.ts), so both sides wait alike. */
export const POLL_INTERVAL_MS = 250;
export const baselineGap = (checks: number): number => pollGap(POLL_INTERVAL_MS, checks);

let cipCounter = 0;

const call = async <T>(target: BaselineTarget, method: string, path: string, body?: unknown): Promise<T> => {
  const response = await fetch(target.apiUrl + path, {
    method,
    headers: {
      accept: 'application/json',
      authorization: target.authorization,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`baseline: ${method} ${path} answered ${response.status}`);
  return JSON.parse(text) as T;
};

const poll = async <T>(read: () => Promise<T>, done: (value: T) => boolean, everyMs: number | undefined): Promise<T> => {
  for (let checks = 0; ; checks += 1) {
    if (checks > 0) await sleep(everyMs ?? baselineGap(checks));
    const value = await read();
    if (done(value)) return value;
    if (checks > 1_000) throw new Error('baseline: poll gave up');
  }
};

interface Balance {
  asset: string;
  available: string;
  trading: string;
}

const available = (items: readonly Balance[], asset: string): string => items.find((item) => item.asset === asset)?.available ?? '0';

/** One run of the onboarding guide; throws if any check fails. */
export const runBaseline = async (target: BaselineTarget): Promise<void> => {
  const runId = randomUUID();
  cipCounter += 1;
  const guide = guideIdentityBody();
  const identity = await call<{ id: string }>(target, 'POST', '/identity/identities', {
    ...guide,
    ref_id: `${runId}-identity`,
    person_details: {
      ...guide.person_details,
      passthrough_verification_id: randomUUID(),
      // Area 000 is never issued, and paxflow's test_ssn never uses it, so the two never collide.
      cip_id: `000${String((target.cipSeed ?? 0) + cipCounter).padStart(6, '0')}`,
    },
  });
  await poll(
    () => call<{ summary_status: string }>(target, 'GET', `/identity/identities/${identity.id}`),
    (seen) => seen.summary_status === 'APPROVED',
    target.pollEveryMs,
  );
  const account = await call<{ id: string; profile_id: string }>(target, 'POST', '/identity/accounts', {
    create_profile: true,
    account: { identity_id: identity.id, ref_id: `${runId}-account`, type: 'BROKERAGE', description: 'Brokerage account for Billy Duncan' },
  });
  const balancesPath = `/profiles/${account.profile_id}/balances`;
  const before = await call<{ items: Balance[] }>(target, 'GET', `${balancesPath}?assets=USD`);
  await call(target, 'POST', `/sandbox/profiles/${account.profile_id}/deposit`, { asset: 'USD', amount: '10000' });
  const expected = Number(available(before.items, 'USD')) + 10_000;
  await poll(
    () => call<{ items: Balance[] }>(target, 'GET', `${balancesPath}?assets=USD`),
    (seen) => Number(available(seen.items, 'USD')) >= expected,
    target.pollEveryMs,
  );

  const trade = async (side: 'BUY' | 'SELL', price: string) => {
    const order = await call<{ id: string }>(target, 'POST', `/profiles/${account.profile_id}/orders`, {
      ref_id: `${runId}-${side.toLowerCase()}`,
      side,
      market: 'ETHUSD',
      type: 'LIMIT',
      price,
      base_amount: '1',
      identity_id: identity.id,
      identity_account_id: account.id,
    });
    return poll(
      () => call<{ status: string; amount_filled: string }>(target, 'GET', `/profiles/${account.profile_id}/orders/${order.id}`),
      (seen) => seen.status === 'FILLED',
      target.pollEveryMs,
    );
  };
  const bought = await trade('BUY', '1814.8');
  const sold = await trade('SELL', '1804.2');
  const after = await call<{ items: Balance[] }>(target, 'GET', `${balancesPath}?assets=USD&assets=ETH`);
  const usd = after.items.find((item) => item.asset === 'USD');
  // Amounts are decimal strings ("1.00000000"); the workflow compares them as numbers, and so does this.
  const amounts = [bought.amount_filled, sold.amount_filled, available(after.items, 'ETH'), usd?.trading, usd?.available].map(Number);
  if (amounts.join() !== [1, 1, 0, 0, 9990.44].join()) {
    throw new Error('baseline: the final balances are not the expected ones');
  }
};
