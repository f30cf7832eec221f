import { Problem, badRequest, type Route } from './http-types.js';
import { listParam } from './orders.js';
import { paginate, readLimit, readOrder, timeFilter } from './pagination.js';
import type { SandboxState } from './state.js';

/** The Paxos `Transfer` as the emulator keeps it; only deposits exist so far (sandbox fiat deposits). */
export interface TransferRecord {
  id: string;
  customer_id: string;
  profile_id: string;
  identity_id?: string;
  account_id?: string;
  ref_id?: string;
  amount: string;
  total: string;
  fee: string;
  asset: string;
  balance_asset: string;
  direction: 'CREDIT' | 'DEBIT';
  type: string;
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  created_at: string;
  updated_at: string;
  metadata?: Record<string, string>;
  memo?: string;
}

const TRANSFER_TYPES = [
  'INTERNAL_TRANSFER_DEBIT', 'INTERNAL_TRANSFER_CREDIT', 'CRYPTO_DEPOSIT', 'CRYPTO_WITHDRAWAL', 'WIRE_DEPOSIT',
  'WIRE_WITHDRAWAL', 'SEN_DEPOSIT', 'SEN_WITHDRAWAL', 'BANK_DEPOSIT', 'BANK_WITHDRAWAL', 'PAXOS_TRANSFER_DEBIT',
  'PAXOS_TRANSFER_CREDIT', 'SIGNET_DEPOSIT', 'SIGNET_WITHDRAWAL', 'CBIT_WITHDRAWAL', 'CBIT_DEPOSIT', 'CUBIX_DEPOSIT',
  'CUBIX_WITHDRAWAL',
];
const STATUSES = ['PENDING', 'COMPLETED', 'FAILED'];
const SECONDARY_STATUSES = ['TRAVEL_RULE_INFO_REQUESTED', 'TRAVEL_RULE_REJECTED', 'CUSTOMER_REJECTED', 'PENDING_CUSTOMER_APPROVAL'];

/** The id Paxos gives the API user's own customer; every transfer of the emulator belongs to it. */
export const EMULATOR_CUSTOMER_ID = '00000000-0000-4000-8000-00000000c0de';

const stores = new WeakMap<SandboxState, TransferRecord[]>();

/** Every transfer of one emulator, oldest first. */
export function transfersOf(state: SandboxState): TransferRecord[] {
  let list = stores.get(state);
  if (!list) stores.set(state, (list = []));
  return list;
}

const view = (transfer: TransferRecord) => structuredClone(transfer);

/** A list filter: its values (at most 100), each checked against `allowed` when given. */
function filterOf(query: URLSearchParams, name: string, allowed?: readonly string[]): Set<string> | undefined {
  const values = listParam(query, name);
  if (values.length === 0) return undefined;
  if (values.length > 100) throw badRequest(`${name}: at most 100 values`);
  for (const value of values) {
    if (allowed && !allowed.includes(value)) throw badRequest(`${name}: must be one of ${allowed.join(', ')}`);
  }
  return new Set(values);
}

const hasAny = (query: URLSearchParams, field: string) =>
  ['lt', 'lte', 'eq', 'gte', 'gt'].some((operator) => query.get(`${field}.${operator}`) !== null);

function listTransfers(query: URLSearchParams, state: SandboxState) {
  const orderBy = query.get('order_by') || 'CREATED_AT';
  if (orderBy !== 'CREATED_AT' && orderBy !== 'UPDATED_AT') throw badRequest('order_by: must be CREATED_AT or UPDATED_AT');
  const other = orderBy === 'CREATED_AT' ? 'updated_at' : 'created_at';
  if (query.get('order_by') && hasAny(query, other)) {
    throw badRequest(`order_by must match the timestamp filter: ${other}.* filters go with order_by=${other.toUpperCase()}`);
  }
  const filters: Array<[keyof TransferRecord, Set<string> | undefined]> = [
    ['profile_id', filterOf(query, 'profile_ids')],
    ['identity_id', filterOf(query, 'identity_ids')],
    ['ref_id', filterOf(query, 'ref_ids')],
    ['account_id', filterOf(query, 'account_ids')],
    ['id', filterOf(query, 'ids')],
    ['type', filterOf(query, 'type', TRANSFER_TYPES)],
    ['status', filterOf(query, 'statuses', STATUSES)],
  ];
  // Emulated deposits have no group, crypto hash or secondary status: such a filter matches none of them.
  const matchesNone = [filterOf(query, 'group_ids'), filterOf(query, 'crypto_tx_hashes'), filterOf(query, 'secondary_statuses', SECONDARY_STATUSES)]
    .some((filter) => filter !== undefined);
  const limit = readLimit(query, 100, 1000);
  const order = readOrder(query, orderBy === 'UPDATED_AT' ? 'ASC' : 'DESC');
  const created = timeFilter<TransferRecord>(query, 'created_at', (transfer) => transfer.created_at);
  const updated = timeFilter<TransferRecord>(query, 'updated_at', (transfer) => transfer.updated_at);
  const all = transfersOf(state);
  const ordered = orderBy === 'UPDATED_AT' ? [...all].sort((a, b) => (a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : 0)) : all;
  const page = paginate(ordered, {
    query,
    order,
    limit,
    keep: (transfer) =>
      !matchesNone &&
      filters.every(([field, wanted]) => wanted === undefined || wanted.has(String(transfer[field] ?? ''))) &&
      created(transfer) &&
      updated(transfer),
  });
  return { ...page, items: page.items.map(view) };
}

export const transferRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v2/transfer/transfers',
    scopes: ['transfer:read_transfer'],
    handle: ({ query }, state) => ({ body: listTransfers(query, state) }),
  },
  {
    method: 'GET',
    path: '/v2/transfer/transfers/:id',
    scopes: ['transfer:read_transfer'],
    handle({ params }, state) {
      const id = params.id ?? '';
      const transfer = transfersOf(state).find((candidate) => candidate.id === id);
      if (!transfer) throw new Problem(404, 'Not Found', `transfer not found: ${id}`);
      return { body: view(transfer) };
    },
  },
];
