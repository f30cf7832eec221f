import type { StepFailureCode } from '../step-codes.js';
import { StepFailedError } from '../errors.js';
import { callPaxos, identityPath } from './_paxos.js';
import { formatWait, pollUntil, readInterval } from './_poll.js';
import { defineStep } from './define.js';
import { closedObject, intervalInput, pollsOutput, stringEnum, uuid } from './schemas/common.js';
import { IDENTITY_STATUSES, identityOutput, type Identity, type IdentityStatus } from './schemas/identity.js';

export interface AwaitApprovalInput {
  identity_id: string;
  until?: IdentityStatus;
  interval?: string;
}

/** Statuses an identity does not leave by itself: reaching one that is not awaited fails the step at once. */
const SETTLED: Partial<Record<IdentityStatus, StepFailureCode>> = {
  DENIED: 'IDENTITY_DENIED',
  DISABLED: 'IDENTITY_DISABLED',
  ERROR: 'IDENTITY_ERROR',
};

export const awaitApprovalStep = defineStep<AwaitApprovalInput, Identity & { polls: number }>({
  type: 'awaitApproval',
  description:
    'Polls an identity until its summary_status is `until` (APPROVED by default), failing at once on DENIED, DISABLED or ERROR when that is not the awaited status.',
  input: closedObject('The identity to watch and how.', {
    identity_id: uuid('Id of the identity (createIdentity\'s id).'),
    until: stringEnum(IDENTITY_STATUSES, 'The summary_status to wait for. Default APPROVED; DENIED suits a denial scenario.'),
    interval: intervalInput('250ms'),
  }, ['identity_id']),
  output: { ...identityOutput, properties: { ...(identityOutput.properties as object), polls: pollsOutput } },
  scopes: ['identity:read_identity'],
  sandboxOnly: false,
  retrySafe: true,
  async run({ identity_id, until = 'APPROVED', interval }, context) {
    const { value, polls } = await pollUntil<Identity>({
      context,
      intervalMs: readInterval(interval, 250),
      read: (signal) => callPaxos<Identity>(context, { method: 'GET', path: identityPath(identity_id), signal }),
      statusOf: (identity) => identity.summary_status,
      isDone(identity) {
        const status = identity.summary_status;
        if (status === until) return true;
        const code = SETTLED[status];
        if (code) throw new StepFailedError(code, `identity ${identity_id} is ${status}, so it will not become ${until}`);
        return false;
      },
      timeoutError: (last, checks, waitedMs) =>
        new StepFailedError(
          'APPROVAL_TIMEOUT',
          `identity ${identity_id} was still ${last?.summary_status ?? 'unread (no check got an answer)'} after ${formatWait(waitedMs)} and ${checks} checks; waited for ${until}`,
        ),
    });
    return { ...value, polls };
  },
});
