import { createWithRefId } from '../paxos/create.js';
import { deriveRefId } from '../paxos/ref-id.js';
import type { PaxosClient } from '../paxos/types.js';
import { accountPath } from './_paxos.js';
import { defineStep } from './define.js';
import { accountOutput, createAccountInput, type Account } from './schemas/account.js';

export interface CreateAccountInput {
  create_profile?: boolean;
  account: {
    identity_id: string;
    ref_id?: string;
    type?: string;
    description?: string;
    metadata?: Record<string, string>;
    members?: Array<{ identity_id: string; roles: string[]; type?: string }>;
  };
}

export const createAccountStep = defineStep<CreateAccountInput, Account>({
  type: 'createAccount',
  description:
    'Creates an account for an identity (POST /identity/accounts), with a profile when create_profile is true, exactly once per account ref_id.',
  input: createAccountInput,
  output: accountOutput,
  scopes: ['identity:write_account', 'identity:read_account'],
  sandboxOnly: false,
  retrySafe: true,
  async run({ create_profile, account }, context) {
    const refId = account.ref_id ?? deriveRefId(context.runId, context.stepId);
    const body = { create_profile, account: { ...account, ref_id: refId } };
    // createWithRefId keys on a top-level ref_id, while this body nests it under `account`: it gets
    // the key at the top, and every POST it makes sends the real body.
    const paxos: PaxosClient = {
      call: (options) => context.paxos.call(options.method === 'POST' ? { ...options, json: body } : options),
      authorization: (signal) => context.paxos.authorization(signal),
    };
    const { value } = await createWithRefId<Account>(paxos, {
      path: '/identity/accounts',
      json: { ref_id: refId },
      signal: context.signal,
      onExchange: context.recordExchange,
      matches: (existing) =>
        existing.identity_id === account.identity_id && (create_profile !== true || existing.profile_id !== undefined),
      fetchExisting: (id, get) => get<Account>(accountPath(id)),
    });
    return value;
  },
});
