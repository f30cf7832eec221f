import { parseAmount } from './decimal.js';
import { badRequest, notFound, type Route } from './http-types.js';
import { SUPPORTED_ASSETS, assetPrecision, isFiatAsset, isSupportedAsset, type Ledger } from './ledger.js';
import { expireDueOrders } from './order-lifecycle.js';
import { listParam } from './orders.js';
import { resolveProfile } from './profiles.js';

const READ_PROFILE = ['funding:read_profile'];

/** Networks a sandbox crypto deposit may name. */
const CRYPTO_NETWORKS = new Set([
  'BITCOIN', 'ETHEREUM', 'BITCOIN_CASH', 'LITECOIN', 'SOLANA', 'POLYGON_POS', 'BASE', 'ARBITRUM_ONE', 'INK', 'XLAYER',
]);
/** The fields of a sandbox deposit body (exported for the property test that sends each one malformed). */
export const DEPOSIT_FIELDS: ReadonlySet<string> = new Set(['asset', 'amount', 'crypto_network', 'crypto_address']);

/** The Paxos `ProfileBalance`: amounts as plain decimals, zero as `"0"`. */
function balanceView(ledger: Ledger, profileId: string, asset: string) {
  const { available, trading } = ledger.get(profileId, asset);
  return { asset, available: available.toString(), trading: trading.toString() };
}

const printable = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 32);

function readDeposit(body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('request body must be a JSON object');
  const raw = body as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!DEPOSIT_FIELDS.has(key)) throw badRequest(`unknown field "${printable(key)}"`);
  for (const key of DEPOSIT_FIELDS) {
    if (raw[key] !== undefined && raw[key] !== null && typeof raw[key] !== 'string') throw badRequest(`${key} invalid: must be a string`);
  }
  const { asset, amount, crypto_network: network, crypto_address: address } = raw as Record<string, string | undefined | null>;
  if (!asset) throw badRequest('asset is required');
  if (!isSupportedAsset(asset)) throw badRequest(`asset invalid: unsupported asset '${printable(asset)}'`);
  if (!amount) throw badRequest('amount is required');
  const parsed = parseAmount(amount, assetPrecision(asset));
  if (!parsed.ok) throw badRequest(`amount invalid: invalid amount '${printable(amount)}': ${parsed.fault}`);
  if (network) {
    if (!CRYPTO_NETWORKS.has(network)) throw badRequest(`crypto_network invalid: unknown network '${printable(network)}'`);
    if (isFiatAsset(asset)) throw badRequest(`crypto_network must not be set for the fiat asset ${asset}`);
  }
  if (address && isFiatAsset(asset)) throw badRequest(`crypto_address must not be set for the fiat asset ${asset}`);
  return { asset, amount: parsed.value };
}

/** Profile balances and the sandbox deposit that funds them. */
export const balanceRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v2/profiles/:profile_id/balances',
    scopes: READ_PROFILE,
    handle({ params, query }, state) {
      expireDueOrders(state);
      const profile = resolveProfile(state, params.profile_id ?? '');
      const wanted = listParam(query, 'assets');
      for (const asset of wanted) {
        if (!isSupportedAsset(asset)) throw badRequest(`assets invalid: unsupported asset '${printable(asset)}'`);
      }
      const assets = wanted.length === 0 ? SUPPORTED_ASSETS : SUPPORTED_ASSETS.filter((asset) => wanted.includes(asset));
      return { body: { items: assets.map((asset) => balanceView(state.ledger, profile.id, asset)) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/profiles/:profile_id/balances/:asset',
    scopes: READ_PROFILE,
    handle({ params }, state) {
      expireDueOrders(state);
      const profile = resolveProfile(state, params.profile_id ?? '');
      const asset = params.asset ?? '';
      if (!isSupportedAsset(asset)) throw notFound(`asset not found: ${printable(asset)}`);
      return { body: balanceView(state.ledger, profile.id, asset) };
    },
  },
  {
    method: 'POST',
    path: '/v2/sandbox/profiles/:profile_id/deposit',
    scopes: READ_PROFILE,
    handle({ params, body }, state) {
      const profile = resolveProfile(state, params.profile_id ?? '');
      const { asset, amount } = readDeposit(body);
      state.ledger.credit(profile.id, asset, amount);
      return { body: { activity_id: state.newId() } };
    },
  },
];
