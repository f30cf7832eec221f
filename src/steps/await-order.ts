import type { StepFailureCode } from '../step-codes.js';
import { StepFailedError } from '../errors.js';
import { callPaxos, orderPath } from './_paxos.js';
import { formatWait, pollUntil, readInterval } from './_poll.js';
import { defineStep, type JsonSchema, type StepContext } from './define.js';
import type { OrderRef } from './get-order.js';
import { closedObject, intervalInput, pollsOutput, stringEnum } from './schemas/common.js';
import { ORDER_STATUSES, orderOutput, orderRefInput, type Order, type OrderStatus } from './schemas/order.js';

export interface AwaitOrderInput extends OrderRef {
  until?: OrderStatus;
  interval?: string;
}

/** Final order statuses: reaching one that is not awaited fails the step at once. */
const CLOSED: Partial<Record<OrderStatus, StepFailureCode>> = {
  REJECTED: 'ORDER_REJECTED',
  CANCELLED: 'ORDER_CANCELLED',
  FILLED: 'ORDER_FILLED',
};

export const orderWithPollsOutput: JsonSchema = {
  ...orderOutput,
  properties: { ...(orderOutput.properties as object), polls: pollsOutput },
};

/** Polls an order until its status is `until`; shared with cancelOrder. */
export const waitForOrder = async (
  context: StepContext,
  { profile_id, order_id, until, intervalMs }: OrderRef & { until: OrderStatus; intervalMs: number },
): Promise<Order & { polls: number }> => {
  const { value, polls } = await pollUntil<Order>({
    context,
    intervalMs,
    read: (signal) => callPaxos<Order>(context, { method: 'GET', path: orderPath(profile_id, order_id), signal }),
    statusOf: (order) => order.status,
    isDone(order) {
      if (order.status === until) return true;
      const code = CLOSED[order.status];
      if (code) throw new StepFailedError(code, `order ${order_id} is ${order.status}, so it will not become ${until}`);
      return false;
    },
    timeoutError: (last, checks, waitedMs) =>
      new StepFailedError(
        'ORDER_TIMEOUT',
        `order ${order_id} was still ${last?.status ?? 'unread (no check got an answer)'} after ${formatWait(waitedMs)} and ${checks} checks; waited for ${until}`,
      ),
  });
  return { ...value, polls };
};

export const awaitOrderStep = defineStep<AwaitOrderInput, Order & { polls: number }>({
  type: 'awaitOrder',
  description:
    'Polls an order until its status is `until` (FILLED by default), failing at once when it closes otherwise (REJECTED, CANCELLED or FILLED).',
  input: closedObject('The order to watch and how.', {
    ...orderRefInput,
    until: stringEnum(ORDER_STATUSES, 'The status to wait for. Default FILLED.'),
    interval: intervalInput('250ms'),
  }, ['profile_id', 'order_id']),
  output: orderWithPollsOutput,
  scopes: ['exchange:read_order'],
  sandboxOnly: false,
  retrySafe: true,
  run: ({ profile_id, order_id, until = 'FILLED', interval }, context) =>
    waitForOrder(context, { profile_id, order_id, until, intervalMs: readInterval(interval, 250) }),
});
