import { createWithRefId } from '../paxos/create.js';
import { deriveRefId } from '../paxos/ref-id.js';
import { identityPath } from './_paxos.js';
import { defineStep } from './define.js';
import { createIdentityInput, identityOutput, type Identity } from './schemas/identity.js';

/** The Paxos create-identity body; `schemas/identity.ts` documents every field. */
export interface CreateIdentityInput {
  ref_id?: string;
  person_details?: Record<string, unknown>;
  institution_details?: Record<string, unknown>;
  [field: string]: unknown;
}

export const createIdentityStep = defineStep<CreateIdentityInput, Identity>({
  type: 'createIdentity',
  description:
    'Creates a person or institution identity (POST /identity/identities) exactly once per ref_id, adopting the identity a repeated ref_id already made.',
  input: createIdentityInput,
  output: identityOutput,
  scopes: ['identity:write_identity', 'identity:read_identity'],
  sandboxOnly: false,
  retrySafe: true,
  async run(input, context) {
    const refId = input.ref_id ?? deriveRefId(context.runId, context.stepId);
    const type = input.person_details === undefined ? 'INSTITUTION' : 'PERSON';
    const { value } = await createWithRefId<Identity>(context.paxos, {
      path: '/identity/identities',
      json: { ...input, ref_id: refId },
      signal: context.signal,
      onExchange: context.recordExchange,
      matches: (existing) => existing.type === undefined || existing.type === type,
      // A 409 names only the id; read it back with details, as the create would have answered.
      fetchExisting: (id, get) => get<Identity>(identityPath(id), { include_details: true }),
    });
    return value;
  },
});
