import { createWithRefId } from '../paxos/create.js';
import { deriveRefId } from '../paxos/ref-id.js';
import { orderPath, ordersPath } from './_paxos.js';
import { defineStep } from './define.js';
import { orderOutput, placeOrderInput, type Order } from './schemas/order.js';

/** `profile_id` plus the Paxos create-order body; `schemas/order.ts` documents every field. */
export interface PlaceOrderInput {
  profile_id: string;
  side: 'BUY' | 'SELL';
  market: string;
  type: string;
  ref_id?: string;
  [field: string]: unknown;
}

export const placeOrderStep = defineStep<PlaceOrderInput, Order>({
  type: 'placeOrder',
  description:
    'Places an order for a profile (POST /profiles/{profile_id}/orders) exactly once per ref_id; amounts and prices are decimal strings.',
  input: placeOrderInput,
  output: orderOutput,
  scopes: ['exchange:write_order', 'exchange:read_order'],
  sandboxOnly: false,
  retrySafe: true,
  async run({ profile_id, ...body }, context) {
    const refId = body.ref_id ?? deriveRefId(context.runId, context.stepId);
    const { value } = await createWithRefId<Order>(context.paxos, {
      path: ordersPath(profile_id),
      json: { ...body, ref_id: refId },
      signal: context.signal,
      onExchange: context.recordExchange,
      matches: (existing) =>
        existing.side === body.side && existing.market === body.market && (existing.type === undefined || existing.type === body.type),
      lookup: async (ref, get) =>
        (await get<{ items: Order[] }>(ordersPath(profile_id), { ref_ids: ref })).items.find((order) => order.ref_id === ref),
      fetchExisting: (id, get) => get<Order>(orderPath(profile_id, id)),
    });
    return value;
  },
});
