import { callPaxos, orderPath } from './_paxos.js';
import { defineStep } from './define.js';
import { closedObject } from './schemas/common.js';
import { orderOutput, orderRefInput, type Order } from './schemas/order.js';

export interface OrderRef {
  profile_id: string;
  order_id: string;
}

export const getOrderStep = defineStep<OrderRef, Order>({
  type: 'getOrder',
  description: 'Reads one order (GET /profiles/{profile_id}/orders/{id}) with its status and fills.',
  input: closedObject('The order to read.', orderRefInput, ['profile_id', 'order_id']),
  output: orderOutput,
  scopes: ['exchange:read_order'],
  sandboxOnly: false,
  retrySafe: true,
  run: ({ profile_id, order_id }, context) =>
    callPaxos<Order>(context, { method: 'GET', path: orderPath(profile_id, order_id) }),
});
