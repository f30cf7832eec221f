import { callPaxos, identityPath } from './_paxos.js';
import { defineStep } from './define.js';
import { closedObject, uuid } from './schemas/common.js';
import { identityOutput, sandboxStatusProperties, type Identity } from './schemas/identity.js';

type Status = 'PENDING' | 'ERROR' | 'APPROVED' | 'DENIED';

export interface SetIdentityStatusInput {
  identity_id: string;
  id_verification_status?: Status;
  sanctions_verification_status?: Status;
  document_verification_status?: Status;
  additional_screening_status?: Status;
  user_disabled?: { disabled: boolean };
  admin_disabled?: { disabled: boolean };
}

export const setIdentityStatusStep = defineStep<SetIdentityStatusInput, Identity>({
  type: 'setIdentityStatus',
  description:
    'Sandbox only: forces an identity\'s verification sub-statuses or disabled flags (PUT /identity/identities/{id}/sandbox-status), then reads the identity back.',
  input: {
    ...closedObject('identity_id plus the Paxos sandbox-status body.', {
      identity_id: uuid('Id of the identity (createIdentity\'s id).'),
      ...sandboxStatusProperties,
    }, ['identity_id']),
    minProperties: 2,
  },
  output: identityOutput,
  scopes: ['identity:write_identity', 'identity:read_identity'],
  sandboxOnly: true,
  retrySafe: true,
  async run({ identity_id, ...body }, context) {
    const path = identityPath(identity_id);
    await callPaxos(context, { method: 'PUT', path: `${path}/sandbox-status`, json: body });
    return callPaxos<Identity>(context, { method: 'GET', path });
  },
});
