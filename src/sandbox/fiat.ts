import { randomBytes } from 'node:crypto';
import { Decimal, parseAmount } from './decimal.js';
import { Problem, badRequest, type Route } from './http-types.js';
import { listParam } from './orders.js';
import { paginate, readLimit, readOrder, timeFilter } from './pagination.js';
import { resolveProfile } from './profiles.js';
import type { SandboxState } from './state.js';
import { timestamp } from './time.js';
import { EMULATOR_CUSTOMER_ID, transfersOf, type TransferRecord } from './transfers.js';
import { Issues, checkBody, isPlainObject, objectOf, oneOf, str, stringMap, text, type Check } from './validate.js';

type Json = Record<string, unknown>;

/** `FiatDepositInstructions` as the emulator keeps them. */
export interface InstructionsRecord {
  id: string;
  profile_id: string;
  identity_id?: string;
  account_id?: string;
  ref_id?: string;
  status: 'VALID' | 'DEPRECATED';
  memo_id: string;
  fiat_network: string;
  fiat_network_instructions: Json;
  metadata?: Record<string, string>;
  created_at: string;
}

const NETWORKS = ['WIRE', 'DBS_ACT', 'CUBIX', 'SCB'] as const;
/** The key of `fiat_network_instructions` each network uses, and the transfer type its deposits get. */
const NETWORK_KEYS: Record<string, { key: string; transferType: string }> = {
  WIRE: { key: 'wire', transferType: 'WIRE_DEPOSIT' },
  DBS_ACT: { key: 'dbs_act', transferType: 'BANK_DEPOSIT' },
  CUBIX: { key: 'cubix', transferType: 'CUBIX_DEPOSIT' },
  SCB: { key: 'scb', transferType: 'BANK_DEPOSIT' },
};
const INSTRUCTION_KEYS = ['wire', 'cbit', 'dbs_act', 'cubix', 'scb'];

const stores = new WeakMap<SandboxState, InstructionsRecord[]>();

/** Every fiat deposit instructions record of one emulator, oldest first. */
export function instructionsOf(state: SandboxState): InstructionsRecord[] {
  let list = stores.get(state);
  if (!list) stores.set(state, (list = []));
  return list;
}

const metadata: Check = (value, path, issues) => {
  stringMap(value, path, issues);
  if (!isPlainObject(value)) return;
  const entries = Object.entries(value);
  if (entries.length > 6) issues.add(path, 'at most 6 key/value pairs');
  if (entries.some(([key, entry]) => key.length > 100 || (typeof entry === 'string' && entry.length > 100))) {
    issues.add(path, 'keys and values must be at most 100 characters');
  }
};

/** The rules of the create fiat deposit instructions body. */
export const createInstructionsBody = objectOf({
  fields: {
    ref_id: str({ maxLength: 200 }), profile_id: str(), identity_id: str(), account_id: str(),
    fiat_network: oneOf(NETWORKS), routing_number_type: oneOf(['ABA', 'SWIFT']), metadata,
  },
  required: ['fiat_network', 'profile_id'],
});

const address = objectOf({
  fields: { country: text(35), address1: text(35), address2: str({ maxLength: 35 }), city: text(35), province: text(35), zip_code: text(35) },
  required: ['country'],
});
const routing = objectOf({
  fields: { routing_number_type: oneOf(['ABA', 'SWIFT']), routing_number: str(), bank_name: str(), bank_address: address },
  required: ['bank_address', 'bank_name', 'routing_number', 'routing_number_type'],
});
const networkInstructions = objectOf({
  fields: {
    wire: objectOf({
      fields: { account_number: str(), fiat_account_owner_address: address, routing_details: routing, intermediary_routing_details: routing },
      required: ['account_number', 'fiat_account_owner_address', 'routing_details'],
    }),
    cbit: objectOf({ fields: { wallet_address: str() }, required: ['wallet_address'] }),
    dbs_act: objectOf({ fields: { account_number: str() }, required: ['account_number'] }),
    cubix: objectOf({ fields: { account_id: str() }, required: ['account_id'] }),
    scb: objectOf({ fields: { account_number: str() }, required: ['account_number'] }),
  },
});
const accountOwner = objectOf({
  fields: {
    person_details: objectOf({ fields: { first_name: str(), last_name: str() }, required: ['first_name', 'last_name'] }),
    institution_details: objectOf({ fields: { name: str() }, required: ['name'] }),
  },
});
/** The rules of the sandbox fiat deposit body. */
export const fiatDepositBody = objectOf({
  fields: { amount: str(), asset: str(), memo_id: str(), fiat_network_instructions: networkInstructions, fiat_account_owner: accountOwner },
  required: ['amount', 'asset', 'memo_id'],
});

/** Where the emulator's pretend bank tells customers to send money; fixed, and obviously not a real bank. */
function paxosBankDetails(network: string, routingType: string, memoId: string): Json {
  const bankAddress = { country: 'USA', address1: '1 Emulator Way', city: 'Nowhere', province: 'NY', zip_code: '00000' };
  switch (network) {
    case 'WIRE':
      return {
        wire: {
          account_number: '000000000000',
          fiat_account_owner_address: { country: 'USA', address1: '1 Emulator Way', city: 'Nowhere', province: 'NY', zip_code: '00000' },
          routing_details: {
            routing_number_type: routingType,
            routing_number: routingType === 'SWIFT' ? 'EMULUS00XXX' : '000000000',
            bank_name: 'paxflow Emulated Bank',
            bank_address: bankAddress,
          },
        },
      };
    case 'CUBIX':
      return { cubix: { account_id: '00000000-0000-4000-8000-0000000c0b1c' } };
    default:
      return { [NETWORK_KEYS[network]!.key]: { account_number: memoId.slice(0, 10) } };
  }
}

const MEMO_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A 16-character memo id like Paxos's (`9CFXQSCMSPLFHXLZ`), unique in this emulator. */
function newMemoId(state: SandboxState): string {
  for (;;) {
    const memo = [...randomBytes(16)].map((byte) => MEMO_ALPHABET[byte % MEMO_ALPHABET.length]).join('');
    if (!instructionsOf(state).some((record) => record.memo_id === memo)) return memo;
  }
}

const instructionsView = (record: InstructionsRecord): Json => {
  const { fiat_network: _network, ...fields } = record;
  return structuredClone(fields);
};

/** The identity (and account) behind a profile, when the request does not name them. */
function ownerOf(state: SandboxState, profileId: string): { identity_id?: string; account_id?: string } {
  const profile = state.profiles.get(profileId);
  const account = profile?.account_id === undefined ? undefined : state.accounts.get(profile.account_id);
  return account ? { identity_id: account.identity_id, account_id: account.id } : {};
}

function createInstructions(body: Json, state: SandboxState): Json {
  checkBody(createInstructionsBody, body);
  const fields = body as { ref_id?: string; profile_id: string; identity_id?: string; account_id?: string; fiat_network: string; routing_number_type?: string; metadata?: Record<string, string> };
  if (fields.ref_id !== undefined) {
    const existing = instructionsOf(state).find((record) => record.ref_id === fields.ref_id);
    if (existing) {
      throw new Problem(409, 'Already Exists', `fiat deposit instructions with ref_id ${fields.ref_id} already exist`, {
        slug: 'already-exists',
        meta: { existing: instructionsView(existing) },
      });
    }
  }
  const profile = resolveProfile(state, fields.profile_id);
  const owner = fields.identity_id === undefined ? ownerOf(state, profile.id) : { identity_id: fields.identity_id, account_id: fields.account_id };
  if (owner.identity_id !== undefined) {
    const identity = state.identities.get(owner.identity_id);
    if (!identity) throw new Problem(404, 'Not Found', `identity not found for customer ${owner.identity_id}`);
    if (identity.summary_status !== 'APPROVED') throw badRequest(`identity not enabled for customer ${owner.identity_id}`);
  }
  if (owner.account_id !== undefined) {
    const account = state.accounts.get(owner.account_id);
    if (!account || account.identity_id !== owner.identity_id) throw badRequest(`account ${owner.account_id} does not belong to identity ${owner.identity_id ?? ''}`);
  }
  if (fields.routing_number_type !== undefined && fields.fiat_network !== 'WIRE') throw badRequest('routing_number_type applies to WIRE only');
  const memo_id = newMemoId(state);
  const record: InstructionsRecord = {
    id: state.newId(),
    profile_id: profile.id,
    ...(owner.identity_id === undefined ? {} : { identity_id: owner.identity_id }),
    ...(owner.account_id === undefined ? {} : { account_id: owner.account_id }),
    ...(fields.ref_id === undefined ? {} : { ref_id: fields.ref_id }),
    status: 'VALID',
    memo_id,
    fiat_network: fields.fiat_network,
    fiat_network_instructions: paxosBankDetails(fields.fiat_network, fields.routing_number_type ?? 'ABA', memo_id),
    ...(fields.metadata === undefined ? {} : { metadata: { ...fields.metadata } }),
    created_at: timestamp(state),
  };
  instructionsOf(state).push(record);
  return instructionsView(record);
}

/** The spec's amount pattern: digits with at most two decimal places. */
const FIAT_AMOUNT = /^[0-9]*\.?[0-9]{1,2}$/;

function sandboxDeposit(body: unknown, state: SandboxState): void {
  if (isPlainObject(body) && body.fiat_network_instructions === undefined) throw badRequest('fiat network instructions required');
  checkBody(fiatDepositBody, body);
  const { amount, asset, memo_id, fiat_network_instructions: sent } = body as { amount: string; asset: string; memo_id: string; fiat_network_instructions: Json };
  const issues = new Issues();
  if (asset !== 'USD') issues.add('asset', 'must be USD, the only asset of a fiat deposit');
  const parsed = FIAT_AMOUNT.test(amount) ? parseAmount(amount, 2) : undefined;
  if (!parsed?.ok) issues.add('amount', 'must be a positive amount with at most 2 decimal places, e.g. "1000.50"');
  const given = INSTRUCTION_KEYS.filter((key) => sent[key] !== undefined);
  if (given.length !== 1) issues.add('fiat_network_instructions', 'must hold exactly one of wire, cbit, dbs_act, cubix, scb');
  issues.throwIfAny();
  const instructions = instructionsOf(state).find((record) => record.memo_id === memo_id);
  if (!instructions) throw badRequest(`memo_id: no fiat deposit instructions have memo_id ${memo_id.replace(/[^\x21-\x7e]/g, '?').slice(0, 64)}`);
  if (instructions.status !== 'VALID') throw badRequest(`memo_id: the fiat deposit instructions of memo_id ${memo_id} are ${instructions.status}`);
  const network = NETWORK_KEYS[instructions.fiat_network]!;
  if (given[0] !== network.key) {
    throw badRequest(`fiat_network_instructions: memo_id ${memo_id} is for ${instructions.fiat_network} deposits, so send ${network.key}`);
  }
  const value = (parsed as { ok: true; value: Decimal }).value;
  const now = timestamp(state);
  const transfer: TransferRecord = {
    id: state.newId(),
    customer_id: EMULATOR_CUSTOMER_ID,
    profile_id: instructions.profile_id,
    ...(instructions.identity_id === undefined ? {} : { identity_id: instructions.identity_id }),
    ...(instructions.account_id === undefined ? {} : { account_id: instructions.account_id }),
    amount: value.toString(),
    total: value.toString(),
    fee: '0',
    asset: 'USD',
    balance_asset: 'USD',
    direction: 'CREDIT',
    type: network.transferType,
    // The emulated bank settles at once: the credit and the COMPLETED transfer come with the answer.
    status: 'COMPLETED',
    created_at: now,
    updated_at: now,
    ...(instructions.metadata === undefined ? {} : { metadata: { ...instructions.metadata } }),
    memo: memo_id,
  };
  state.ledger.credit(instructions.profile_id, 'USD', value);
  transfersOf(state).push(transfer);
}

function listInstructions(query: URLSearchParams, state: SandboxState) {
  const ids = listParam(query, 'ids');
  const refIds = listParam(query, 'ref_ids');
  if (ids.length > 100 || refIds.length > 100) throw badRequest('ids and ref_ids take at most 100 values each');
  const created = timeFilter<InstructionsRecord>(query, 'created_at', (record) => record.created_at);
  const page = paginate(instructionsOf(state), {
    query,
    order: readOrder(query, 'DESC'),
    limit: readLimit(query, 100, 1000),
    keep: (record) =>
      (ids.length === 0 || ids.includes(record.id)) &&
      (refIds.length === 0 || (record.ref_id !== undefined && refIds.includes(record.ref_id))) &&
      created(record),
  });
  return { ...page, items: page.items.map(instructionsView) };
}

/** Fiat deposit instructions and the sandbox deposit that pays into them. */
export const fiatRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/transfer/fiat-deposit-instructions',
    scopes: ['transfer:write_fiat_deposit_instructions'],
    handle: ({ body }, state) => ({ body: createInstructions(body as Json, state) }),
  },
  {
    method: 'GET',
    path: '/v2/transfer/fiat-deposit-instructions',
    scopes: ['transfer:read_fiat_deposit_instructions'],
    handle: ({ query }, state) => ({ body: listInstructions(query, state) }),
  },
  {
    method: 'GET',
    path: '/v2/transfer/fiat-deposit-instructions/:id',
    scopes: ['transfer:read_fiat_deposit_instructions'],
    handle({ params }, state) {
      const id = params.id ?? '';
      const record = instructionsOf(state).find((candidate) => candidate.id === id);
      if (!record) throw new Problem(404, 'Not Found', `fiat deposit instructions with id ${id} not found`);
      return { body: instructionsView(record) };
    },
  },
  {
    method: 'POST',
    path: '/v2/sandbox/fiat-deposits',
    scopes: ['transfer:write_sandbox_fiat_deposit'],
    handle({ body }, state) {
      sandboxDeposit(body, state);
      return { body: {} };
    },
  },
];
