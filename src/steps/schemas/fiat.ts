/** JSON Schemas of fiat funding: deposit instructions, the sandbox fiat deposit and transfers. */

import type { JsonSchema } from '../define.js';
import { FIAT_AMOUNT_PATTERN, closedObject, dateTime, intervalInput, metadata, openObject, plainString, refIdInput, sensitive, stringEnum, text, uuid } from './common.js';
import { profileIdInput } from './order.js';

export const FIAT_NETWORKS = ['WIRE', 'DBS_ACT', 'CUBIX', 'SCB'] as const;
const ROUTING_NUMBER_TYPES = ['ABA', 'SWIFT'];

/** The Paxos `FiatDepositInstructions`. */
export interface FiatDepositInstructions {
  id: string;
  profile_id: string;
  memo_id: string;
  status: string;
  ref_id?: string;
  [field: string]: unknown;
}

/** The Paxos `Transfer`. */
export interface Transfer {
  id: string;
  status: string;
  amount: string;
  memo?: string;
  [field: string]: unknown;
}

export const createFiatDepositInstructionsInput: JsonSchema = closedObject('The Paxos create fiat deposit instructions body.', {
  profile_id: profileIdInput('Id of the profile the deposits credit (createAccount\'s profile_id).'),
  fiat_network: stringEnum(FIAT_NETWORKS, 'How the money will arrive, e.g. WIRE.'),
  identity_id: uuid('Identity making the deposits; needed for 3rd-party integrations. Default: the profile\'s account holder.'),
  account_id: uuid('Account of that identity; needed for 3rd-party integrations.'),
  ref_id: refIdInput('instructions'),
  routing_number_type: stringEnum(ROUTING_NUMBER_TYPES, 'For WIRE: ABA (domestic) or SWIFT (international) bank details.'),
  metadata: metadata('Your own key/value pairs (up to 6, each at most 100 characters), copied to the deposits\' transfers.'),
}, ['profile_id', 'fiat_network']);

const mailingAddress = (description: string): JsonSchema => closedObject(description, {
  country: text('Country.', 35),
  address1: sensitive(text('First address line.', 35)),
  address2: sensitive(plainString('Second address line.', { maxLength: 35 })),
  city: sensitive(text('City.', 35)),
  province: text('State or province.', 35),
  zip_code: sensitive(text('Postal code.', 35)),
}, ['country']);

const routingDetails = (description: string): JsonSchema => closedObject(description, {
  routing_number_type: stringEnum(ROUTING_NUMBER_TYPES, 'ABA or SWIFT.'),
  routing_number: plainString('Routing number or SWIFT code of the bank.'),
  bank_name: plainString('Name of the bank.'),
  bank_address: mailingAddress('Address of the bank.'),
}, ['routing_number_type', 'routing_number', 'bank_name', 'bank_address']);

const accountNumber = (description: string): JsonSchema => sensitive(plainString(description, { minLength: 1 }));

export const sandboxFiatDepositInput: JsonSchema = closedObject('The Paxos sandbox fiat deposit body.', {
  amount: {
    type: 'string',
    pattern: FIAT_AMOUNT_PATTERN,
    description: 'Amount to deposit, at most 2 decimal places, e.g. "2500.75". A decimal string: quote it in YAML.',
  },
  asset: stringEnum(['USD'], 'The asset deposited; Paxos takes USD.'),
  memo_id: plainString('The memo_id of the fiat deposit instructions (createFiatDepositInstructions\' memo_id).', { minLength: 1 }),
  fiat_network_instructions: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description: 'The sending bank account, under the key of its network (wire for WIRE instructions).',
    properties: {
      wire: closedObject('A wire from a bank account.', {
        account_number: accountNumber('The sender\'s bank account number.'),
        fiat_account_owner_address: mailingAddress('Address of the account owner.'),
        routing_details: routingDetails('The sender\'s bank.'),
        intermediary_routing_details: routingDetails('An intermediary bank, if any.'),
      }, ['account_number', 'fiat_account_owner_address', 'routing_details']),
      cbit: closedObject('A CBIT wallet.', { wallet_address: accountNumber('Wallet address of the CBIT account.') }, ['wallet_address']),
      dbs_act: closedObject('A DBS account.', { account_number: accountNumber('DBS account number.') }, ['account_number']),
      cubix: closedObject('A CUBIX account.', { account_id: plainString('CUBIX account id (a UUID).', { minLength: 1 }) }, ['account_id']),
      scb: closedObject('A Standard Chartered account.', { account_number: accountNumber('Account number.') }, ['account_number']),
    },
  },
  fiat_account_owner: closedObject('Who owns the sending account.', {
    person_details: closedObject('A person.', {
      first_name: sensitive(text('First name.', 200)),
      last_name: sensitive(text('Last name.', 200)),
    }, ['first_name', 'last_name']),
    institution_details: closedObject('An institution.', { name: sensitive(plainString('Name of the institution.')) }, ['name']),
  }),
  interval: intervalInput('250ms'),
}, ['amount', 'asset', 'memo_id', 'fiat_network_instructions']);

export const fiatDepositInstructionsOutput: JsonSchema = openObject('The Paxos fiat deposit instructions.', {
  id: plainString('Id of the instructions.'),
  profile_id: plainString('Profile the deposits credit.'),
  identity_id: plainString('Identity making the deposits.'),
  account_id: plainString('Account of that identity.'),
  ref_id: plainString('The idempotency key used.'),
  status: stringEnum(['VALID', 'DEPRECATED'], 'VALID until Paxos retires the instructions.'),
  memo_id: plainString('The memo every deposit must carry; the sandbox fiat deposit names it.'),
  fiat_network_instructions: openObject('Where to send the money: Paxos\'s bank details under the network\'s key (wire, ...).', {}),
  metadata: openObject('Your key/value pairs.', {}),
  created_at: dateTime('When the instructions were created.'),
});

export const transferOutput: JsonSchema = openObject('The Paxos transfer the deposit made.', {
  id: plainString('Id of the transfer.'),
  profile_id: plainString('Profile credited.'),
  identity_id: plainString('Identity of the deposit.'),
  amount: plainString('Amount (decimal string).'),
  total: plainString('Balance change: amount minus fee (decimal string).'),
  fee: plainString('Fee (decimal string).'),
  asset: plainString('Asset, USD.'),
  direction: stringEnum(['CREDIT', 'DEBIT'], 'CREDIT for a deposit.'),
  type: plainString('Transfer type, e.g. WIRE_DEPOSIT.'),
  status: stringEnum(['PENDING', 'COMPLETED', 'FAILED'], 'Status of the transfer.'),
  memo: plainString('The memo_id the deposit carried.'),
  created_at: dateTime('When the transfer was created.'),
  updated_at: dateTime('When it last changed.'),
});
