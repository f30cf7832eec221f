import { randomUUID } from 'node:crypto';
import { createPaxosClient, type PaxosClientOptions } from '../../src/paxos/client.js';
import type { PaxosClient } from '../../src/paxos/types.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';
import type { HttpExchange, PollAttempt, StepContext, TargetInfo } from '../../src/steps/define.js';
import { awaitApprovalStep } from '../../src/steps/await-approval.js';
import { createAccountStep } from '../../src/steps/create-account.js';
import { createIdentityStep } from '../../src/steps/create-identity.js';
import { stepRegistry } from '../../src/steps/registry.js';
import { guideIdentityBody } from '../_guide.js';

/** Every scope the registered step types declare. */
export const ALL_STEP_SCOPES = [...new Set(stepRegistry.flatMap((step) => step.scopes))];

/** A StepContext that keeps what the step recorded. */
export interface TestContext extends StepContext {
  exchanges: HttpExchange[];
  polls: PollAttempt[];
}

export interface ContextOptions {
  /** The step's timeout: aborts `signal` and sets `deadline`. @default 10000 */
  timeoutMs?: number;
  runId?: string;
  stepId?: string;
  paxos?: PaxosClient;
  /** Folder that relative paths in the input are resolved against. @default process.cwd() */
  baseDir?: string;
}

/** One emulator on a free loopback port and a real client for it. */
export interface Harness {
  sandbox: SandboxHandle;
  target: TargetInfo;
  paxos: PaxosClient;
  /** A client whose token carries only `scopes`, optionally with its own target (a fault proxy) and retry policy. */
  clientWith(scopes: readonly string[], options?: Partial<Pick<PaxosClientOptions, 'target' | 'retry'>>): PaxosClient;
  context(options?: ContextOptions): TestContext;
  close(): Promise<void>;
}

export const startHarness = async (options: SandboxOptions = {}): Promise<Harness> => {
  const sandbox = await startSandbox({ port: 0, approvalDelayMs: 0, ...options });
  const target: TargetInfo = { name: 'local', apiUrl: sandbox.apiUrl, oauthUrl: sandbox.oauthUrl };
  const clientWith: Harness['clientWith'] = (scopes, options = {}) =>
    createPaxosClient({
      target,
      credentials: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
      scopes,
      tokenMinIntervalMs: 0,
      ...options,
    });
  const paxos = clientWith(ALL_STEP_SCOPES);
  const context = ({ timeoutMs = 10_000, runId = randomUUID(), stepId = 'step', ...rest }: ContextOptions = {}): TestContext => {
    const exchanges: HttpExchange[] = [];
    const polls: PollAttempt[] = [];
    return {
      signal: AbortSignal.timeout(timeoutMs),
      deadline: Date.now() + timeoutMs,
      runId,
      stepId,
      baseDir: rest.baseDir ?? process.cwd(),
      target,
      paxos: rest.paxos ?? paxos,
      recordExchange: (exchange) => exchanges.push(exchange),
      recordPoll: (poll) => polls.push(poll),
      exchanges,
      polls,
    };
  };
  return { sandbox, target, paxos, clientWith, context, close: () => sandbox.close() };
};

/** The rejection of `promise`; fails when it resolves. */
export const rejectionOf = async (promise: Promise<unknown>): Promise<any> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the step to fail, but it succeeded');
};

export { guideIdentityBody };

let serial = 0;

/**
 * The guide's person with a never-issued 9xx-xx-xxxx cip_id unique in this process and no ref_id (the
 * step derives one). `person` is merged into person_details.
 */
export const testPerson = (person: Record<string, unknown> = {}): Record<string, any> => {
  serial += 1;
  const { ref_id: _ignored, ...body } = guideIdentityBody();
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  const cip = `${900 + (serial % 100)}-${pad(Math.floor(serial / 100) % 100, 2)}-${pad(process.pid % 10_000, 4)}`;
  return { ...body, person_details: { ...body.person_details, cip_id: cip, ...person } };
};

/** An approved person with a brokerage account and profile, made through the steps themselves. */
export const onboard = async (harness: Harness): Promise<{ identityId: string; accountId: string; profileId: string }> => {
  const identity = await createIdentityStep.run(testPerson(), harness.context());
  await awaitApprovalStep.run({ identity_id: identity.id, interval: '10ms' }, harness.context());
  const account = await createAccountStep.run(
    { create_profile: true, account: { identity_id: identity.id, type: 'BROKERAGE' } },
    harness.context(),
  );
  return { identityId: identity.id, accountId: account.id, profileId: account.profile_id! };
};
