import { callPaxos, identityPath } from './_paxos.js';
import { defineStep } from './define.js';
import { boolean, closedObject, uuid } from './schemas/common.js';
import { identityOutput, type Identity } from './schemas/identity.js';

export interface GetIdentityInput {
  identity_id: string;
  include_details?: boolean;
}

export const getIdentityStep = defineStep<GetIdentityInput, Identity>({
  type: 'getIdentity',
  description: 'Reads one identity (GET /identity/identities/{id}), with its personal details when include_details is true.',
  input: closedObject('The identity to read.', {
    identity_id: uuid('Id of the identity (createIdentity\'s id).'),
    include_details: boolean('Also return person_details / institution_details, which Paxos leaves out by default.'),
  }, ['identity_id']),
  output: identityOutput,
  scopes: ['identity:read_identity'],
  sandboxOnly: false,
  retrySafe: true,
  run: ({ identity_id, include_details }, context) =>
    callPaxos<Identity>(context, { method: 'GET', path: identityPath(identity_id), query: { include_details } }),
});
