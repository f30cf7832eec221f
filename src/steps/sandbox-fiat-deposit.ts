import { StepFailedError } from '../errors.js';
import { DEFAULT_RETRY, pause, retryDelay } from '../paxos/_http.js';
import { isPaxosApiError } from '../paxos/errors.js';
import { compareDecimals } from '../util/decimal.js';
import { callPaxos } from './_paxos.js';
import { formatWait, pollUntil, readInterval } from './_poll.js';
import { defineStep, type StepContext } from './define.js';
import { plainString, pollsOutput } from './schemas/common.js';
import { sandboxFiatDepositInput, transferOutput, type Transfer } from './schemas/fiat.js';

export interface SandboxFiatDepositInput {
  amount: string;
  asset: string;
  memo_id: string;
  fiat_network_instructions: Record<string, unknown>;
  fiat_account_owner?: Record<string, unknown>;
  interval?: string;
}

export interface SandboxFiatDepositOutput {
  memo_id: string;
  asset: string;
  amount: string;
  transfer: Transfer;
  polls: number;
}

const MAX_THROTTLED_SENDS = 4;

/** Deposits of this memo among the newest transfers (a deposit shows there as the transfer it made). */
const depositsOf = async (context: StepContext, memoId: string, signal?: AbortSignal): Promise<Transfer[]> => {
  const { items = [] } = await callPaxos<{ items?: Transfer[] }>(context, {
    method: 'GET',
    path: '/transfer/transfers',
    query: { limit: 100, order: 'DESC' },
    ...(signal ? { signal } : {}),
  });
  return items.filter((transfer) => transfer.memo === memoId);
};

/**
 * Sends the deposit once. It has no ref_id, so a send whose outcome is unknown (reset, timeout, 5xx) is
 * never repeated; only a 429, which Paxos certainly did not process, is.
 */
const depositOnce = async (context: StepContext, body: Record<string, unknown>): Promise<void> => {
  for (let send = 1; ; send += 1) {
    try {
      await callPaxos(context, { method: 'POST', path: '/sandbox/fiat-deposits', json: body });
      return;
    } catch (error) {
      if (!isPaxosApiError(error) || error.status !== 429 || send >= MAX_THROTTLED_SENDS) throw error;
      const delay = retryDelay(DEFAULT_RETRY, send, error.retryAfterMs);
      if (delay === undefined || !(await pause(delay, context.signal))) throw error;
    }
  }
};

export const sandboxFiatDepositStep = defineStep<SandboxFiatDepositInput, SandboxFiatDepositOutput>({
  type: 'sandboxFiatDeposit',
  description:
    'Sandbox only: sends a test wire (POST /sandbox/fiat-deposits) to the memo_id of fiat deposit instructions and waits until its transfer is COMPLETED.',
  input: sandboxFiatDepositInput,
  output: {
    type: 'object',
    additionalProperties: false,
    properties: {
      memo_id: plainString('The memo_id the deposit carried.'),
      asset: plainString('Asset deposited.'),
      amount: plainString('Amount deposited (decimal string, as sent).'),
      transfer: transferOutput,
      polls: pollsOutput,
    },
  },
  scopes: ['transfer:write_sandbox_fiat_deposit', 'transfer:read_transfer'],
  sandboxOnly: true,
  // No ref_id: a re-run would deposit twice.
  retrySafe: false,
  async run({ interval, ...body }, context) {
    const { memo_id, amount, asset } = body;
    const seen = new Set((await depositsOf(context, memo_id)).map((transfer) => transfer.id));
    await depositOnce(context, body);
    const isThisDeposit = (transfer: Transfer) => !seen.has(transfer.id) && compareDecimals(transfer.amount, amount) === 0;
    const { value: transfer, polls } = await pollUntil<Transfer | undefined>({
      context,
      intervalMs: readInterval(interval, 250),
      read: async (signal) => (await depositsOf(context, memo_id, signal)).find(isThisDeposit),
      statusOf: (found) => found?.status ?? 'no transfer yet',
      isDone: (found) => {
        if (found?.status === 'FAILED') {
          throw new StepFailedError('FIAT_DEPOSIT_FAILED', `the deposit of ${amount} ${asset} to memo ${memo_id} failed (transfer ${found.id})`);
        }
        return found?.status === 'COMPLETED';
      },
      timeoutError: (last, checks, waitedMs) =>
        new StepFailedError(
          'FIAT_DEPOSIT_TIMEOUT',
          `the deposit of ${amount} ${asset} to memo ${memo_id} did not complete within ${formatWait(waitedMs)} (${checks} checks): ${last ? `transfer ${last.id} is ${last.status}` : 'no transfer showed'}. It was not resent.`,
        ),
    });
    return { memo_id, asset, amount, transfer: transfer!, polls };
  },
});
