import { balancesPath, callPaxos } from './_paxos.js';
import { defineStep, type StepContext } from './define.js';
import { assetAmountsOutput, assetInput, balanceOutput, type Balance } from './schemas/balance.js';
import { closedObject } from './schemas/common.js';
import { profileIdInput } from './schemas/order.js';

export interface GetBalancesInput {
  profile_id: string;
  assets?: string[];
}

export interface BalancesOutput {
  items: Balance[];
  by_asset: Record<string, { available: string; trading: string }>;
}

/** The profile's balances (all assets, or only `assets`). */
export const readBalances = async (
  context: StepContext,
  profileId: string,
  assets: readonly string[] | undefined,
  signal: AbortSignal = context.signal,
): Promise<Balance[]> => {
  const { items } = await callPaxos<{ items: Balance[] }>(context, {
    method: 'GET',
    path: balancesPath(profileId),
    query: { assets },
    signal,
  });
  return items;
};

export const getBalancesStep = defineStep<GetBalancesInput, BalancesOutput>({
  type: 'getBalances',
  description: 'Reads a profile\'s balances (GET /profiles/{profile_id}/balances), also keyed by asset as by_asset.USD.available.',
  input: closedObject('The profile to read.', {
    profile_id: profileIdInput(),
    assets: {
      type: 'array',
      minItems: 1,
      items: assetInput('An asset code, e.g. USD.'),
      description: 'Only these assets, e.g. [USD, ETH]. Default: every asset.',
    },
  }, ['profile_id']),
  output: {
    type: 'object',
    additionalProperties: false,
    properties: {
      items: { type: 'array', items: balanceOutput, description: 'The Paxos response: one balance per asset.' },
      by_asset: {
        type: 'object',
        additionalProperties: assetAmountsOutput,
        description: 'The same balances keyed by asset: by_asset.USD.available.',
      },
    },
  },
  scopes: ['funding:read_profile'],
  sandboxOnly: false,
  retrySafe: true,
  async run({ profile_id, assets }, context) {
    const items = await readBalances(context, profile_id, assets);
    const by_asset = Object.fromEntries(items.map(({ asset, available, trading }) => [asset, { available, trading }]));
    return { items, by_asset };
  },
});
