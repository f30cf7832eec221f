import { StepFailedError } from '../errors.js';
import { DEFAULT_RETRY, pause, retryDelay } from '../paxos/_http.js';
import { isPaxosApiError } from '../paxos/errors.js';
import { compareDecimals, isDecimalString } from '../util/decimal.js';
import { callPaxos, segment } from './_paxos.js';
import { formatWait, pollUntil, readInterval } from './_poll.js';
import { defineStep, type StepContext } from './define.js';
import { readBalances } from './get-balances.js';
import { assetInput } from './schemas/balance.js';
import { closedObject, decimalString, intervalInput, plainString, pollsOutput, stringEnum } from './schemas/common.js';
import { profileIdInput } from './schemas/order.js';

export interface FundProfileInput {
  profile_id: string;
  asset: string;
  amount: string;
  crypto_network?: string;
  crypto_address?: string;
  interval?: string;
}

export interface FundProfileOutput {
  activity_id: string;
  asset: string;
  amount: string;
  available: string;
  polls: number;
}

const MAX_THROTTLED_SENDS = 4;

/**
 * Sends the deposit. Deposits have no ref_id, so a send whose outcome is unknown (reset, timeout, 5xx)
 * is never repeated; a 429 is, because a throttled request was certainly not processed.
 */
const depositOnce = async (context: StepContext, profileId: string, body: Record<string, unknown>) => {
  for (let send = 1; ; send += 1) {
    try {
      return await callPaxos<{ activity_id: string }>(context, {
        method: 'POST',
        path: `/sandbox/profiles/${segment(profileId)}/deposit`,
        json: body,
      });
    } catch (error) {
      if (!isPaxosApiError(error) || error.status !== 429 || send >= MAX_THROTTLED_SENDS) throw error;
      const delay = retryDelay(DEFAULT_RETRY, send, error.retryAfterMs);
      if (delay === undefined || !(await pause(delay, context.signal))) throw error;
    }
  }
};

const CRYPTO_NETWORKS = ['BITCOIN', 'ETHEREUM', 'BITCOIN_CASH', 'LITECOIN', 'SOLANA', 'POLYGON_POS', 'BASE', 'ARBITRUM_ONE', 'INK', 'XLAYER'];

/** a + b, exactly, for non-negative decimal strings. */
export const addDecimals = (a: string, b: string): string => {
  const [aWhole = '', aFraction = ''] = a.split('.');
  const [bWhole = '', bFraction = ''] = b.split('.');
  const scale = Math.max(aFraction.length, bFraction.length);
  const units = (whole: string, fraction: string) => BigInt((whole || '0') + fraction.padEnd(scale, '0'));
  const digits = (units(aWhole, aFraction) + units(bWhole, bFraction)).toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
};

const availableOf = async (context: StepContext, profileId: string, asset: string, signal?: AbortSignal): Promise<string> => {
  const balance = (await readBalances(context, profileId, [asset], signal)).find((item) => item.asset === asset);
  return balance && isDecimalString(balance.available) ? balance.available : '0';
};

export const fundProfileStep = defineStep<FundProfileInput, FundProfileOutput>({
  type: 'fundProfile',
  description:
    'Sandbox only: deposits test funds into a profile (POST /sandbox/profiles/{profile_id}/deposit) and waits until the available balance shows them.',
  input: closedObject('profile_id plus the Paxos sandbox deposit body.', {
    profile_id: profileIdInput('Id of the profile to fund (createAccount\'s profile_id).'),
    asset: assetInput('Asset to deposit, e.g. USD or ETH.'),
    amount: decimalString('Amount to deposit, e.g. "10000".'),
    crypto_network: stringEnum(CRYPTO_NETWORKS, 'Network of a crypto deposit; leave out for fiat.'),
    crypto_address: plainString('Deposit address of a crypto deposit; Paxos picks one when left out.'),
    interval: intervalInput('250ms'),
  }, ['profile_id', 'asset', 'amount']),
  output: {
    type: 'object',
    additionalProperties: false,
    properties: {
      activity_id: plainString('Id of the deposit activity.'),
      asset: plainString('Asset deposited.'),
      amount: plainString('Amount deposited (decimal string).'),
      available: plainString('Available balance of the asset once the deposit showed (decimal string).'),
      polls: pollsOutput,
    },
  },
  scopes: ['funding:read_profile'],
  sandboxOnly: true,
  // Deposits carry no ref_id: a re-run would deposit twice.
  retrySafe: false,
  async run({ profile_id, asset, amount, crypto_network, crypto_address, interval }, context) {
    const before = await availableOf(context, profile_id, asset);
    const { activity_id } = await depositOnce(context, profile_id, { asset, amount, crypto_network, crypto_address });
    const expected = addDecimals(before, amount);
    const { value: available, polls } = await pollUntil<string>({
      context,
      intervalMs: readInterval(interval, 250),
      read: (signal) => availableOf(context, profile_id, asset, signal),
      statusOf: (seen) => `available ${seen}`,
      isDone: (seen) => compareDecimals(seen, expected) >= 0,
      timeoutError: (last, checks, waitedMs) =>
        new StepFailedError(
          'DEPOSIT_TIMEOUT',
          `deposit ${activity_id} did not show within ${formatWait(waitedMs)} (${checks} checks): available ${asset} was ${last ?? 'unread'}, expected at least ${expected}. It was not resent.`,
        ),
    });
    return { activity_id, asset, amount, available, polls };
  },
});
