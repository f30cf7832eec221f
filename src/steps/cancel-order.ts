import { callPaxos, orderPath } from './_paxos.js';
import { readInterval } from './_poll.js';
import { orderWithPollsOutput, waitForOrder } from './await-order.js';
import { defineStep } from './define.js';
import type { OrderRef } from './get-order.js';
import { boolean, closedObject, intervalInput } from './schemas/common.js';
import { orderRefInput, type Order } from './schemas/order.js';

export interface CancelOrderInput extends OrderRef {
  wait?: boolean;
  interval?: string;
}

export const cancelOrderStep = defineStep<CancelOrderInput, Order & { polls?: number }>({
  type: 'cancelOrder',
  description:
    'Cancels an open order (DELETE /profiles/{profile_id}/orders/{id}) and, unless wait is false, waits until it is CANCELLED.',
  input: closedObject('The order to cancel.', {
    ...orderRefInput,
    wait: boolean('Wait until the order is CANCELLED (Paxos accepts a cancel before it takes effect). Default true.'),
    interval: intervalInput('250ms'),
  }, ['profile_id', 'order_id']),
  output: orderWithPollsOutput,
  scopes: ['exchange:write_order', 'exchange:read_order'],
  sandboxOnly: false,
  retrySafe: true,
  async run({ profile_id, order_id, wait = true, interval }, context) {
    const path = orderPath(profile_id, order_id);
    await callPaxos(context, { method: 'DELETE', path });
    if (!wait) return callPaxos<Order>(context, { method: 'GET', path });
    return waitForOrder(context, { profile_id, order_id, until: 'CANCELLED', intervalMs: readInterval(interval, 250) });
  },
});
