import { accountPath, callPaxos } from './_paxos.js';
import { defineStep } from './define.js';
import { accountOutput, type Account } from './schemas/account.js';
import { closedObject, uuid } from './schemas/common.js';

export interface GetAccountInput {
  account_id: string;
}

export const getAccountStep = defineStep<GetAccountInput, Account>({
  type: 'getAccount',
  description: 'Reads one account (GET /identity/accounts/{id}), including its profile_id.',
  input: closedObject('The account to read.', { account_id: uuid('Id of the account (createAccount\'s id).') }, ['account_id']),
  output: accountOutput,
  scopes: ['identity:read_account'],
  sandboxOnly: false,
  retrySafe: true,
  run: ({ account_id }, context) => callPaxos<Account>(context, { method: 'GET', path: accountPath(account_id) }),
});
