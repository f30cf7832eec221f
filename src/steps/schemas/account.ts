/** JSON Schemas of the Paxos Accounts API: the create-account body and the (flat) Account. */

import type { JsonSchema } from '../define.js';
import { boolean, closedObject, metadata, openObject, plainString, refIdInput, sensitive, stringEnum, uuid } from './common.js';
import { IDENTITY_STATUSES } from './identity.js';

/** The Paxos Account; see {@link accountOutput} for the documented fields. */
export interface Account {
  id: string;
  identity_id: string;
  ref_id?: string;
  /** Present when the account was created with `create_profile: true`. */
  profile_id?: string;
  [field: string]: unknown;
}

const ACCOUNT_TYPES = ['BROKERAGE', 'TRADITIONAL_IRA', 'ROTH_IRA', 'SEP_IRA', 'FINANCIAL_ADVISOR'];
const MEMBER_ROLES = ['BENEFICIAL_OWNER', 'AUTHORIZED_USER', 'FINANCIAL_ADVISOR'];

const memberInput = closedObject('Another identity related to the account.', {
  identity_id: uuid('Id of the member\'s identity, created beforehand.'),
  roles: { type: 'array', minItems: 1, items: stringEnum(MEMBER_ROLES, 'A role.'), description: 'The member\'s roles, e.g. BENEFICIAL_OWNER for a joint owner.' },
  type: stringEnum(MEMBER_ROLES, 'Older single-role field; prefer roles.'),
}, ['identity_id', 'roles']);

/** The Paxos create-account body. */
export const createAccountInput: JsonSchema = closedObject('The Paxos create-account request body.', {
  create_profile: boolean('Also create a profile (subledger) for the account; it cannot be added later. Default false.'),
  account: closedObject('The account to create.', {
    identity_id: uuid('Id of the account holder\'s identity.'),
    ref_id: refIdInput('account'),
    type: stringEnum(ACCOUNT_TYPES, 'Kind of account, e.g. BROKERAGE.'),
    description: sensitive(plainString('Free text, often naming the holder.', { maxLength: 500 })),
    metadata: metadata(),
    members: { type: 'array', items: memberInput, description: 'Other identities on the account (joint owners, advisers).' },
  }, ['identity_id']),
}, ['account']);

/** The Paxos Account, as create and get return it (flat, with profile_id when it has a profile). */
export const accountOutput: JsonSchema = openObject('The Paxos Account.', {
  id: plainString('Account id (UUID).'),
  identity_id: plainString('Id of the account holder\'s identity.'),
  type: stringEnum(ACCOUNT_TYPES, 'Kind of account.'),
  description: sensitive(plainString('Free text.')),
  ref_id: plainString('The idempotency key the account was created with.'),
  metadata: metadata(),
  members: {
    type: 'array',
    items: openObject('A member.', {
      id: plainString('Member id.'),
      identity_id: plainString('Member identity id.'),
      roles: { type: 'array', items: { type: 'string' }, description: 'Roles.' },
    }),
    description: 'Other identities on the account.',
  },
  profile_id: plainString('Id of the account\'s profile; present when it was created with create_profile: true.'),
  summary_status: stringEnum(IDENTITY_STATUSES, 'Status, following the holder\'s identity.'),
  admin_disabled: boolean('Disabled by Paxos.'),
  user_disabled: boolean('Disabled by the API user.'),
  created_at: plainString('Creation time, RFC 3339.'),
  updated_at: plainString('Last update time, RFC 3339.'),
});
