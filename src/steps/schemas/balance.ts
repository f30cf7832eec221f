/** JSON Schemas of profile balances. */

import type { JsonSchema } from '../define.js';
import { openObject, plainString } from './common.js';

/** The Paxos ProfileBalance: decimal strings. */
export interface Balance {
  asset: string;
  available: string;
  trading: string;
}

/** An asset code such as USD or ETH. */
export const assetInput = (description: string): JsonSchema => ({ type: 'string', pattern: '^[A-Z0-9]{2,12}$', description });

export const balanceOutput: JsonSchema = openObject('The balance of one asset in a profile.', {
  asset: plainString('Asset code, e.g. USD.'),
  available: plainString('Free for new orders and withdrawals (decimal string).'),
  trading: plainString('Held by open orders (decimal string).'),
});

/** `by_asset` entry: the two amounts of one asset. */
export const assetAmountsOutput: JsonSchema = openObject('Amounts of one asset.', {
  available: plainString('Free for new orders and withdrawals (decimal string).'),
  trading: plainString('Held by open orders (decimal string).'),
});
