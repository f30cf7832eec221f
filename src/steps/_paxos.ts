import type { PaxosCallOptions } from '../paxos/types.js';
import type { StepContext } from './define.js';

type StepCall = Omit<PaxosCallOptions, 'signal' | 'onExchange'> & { signal?: AbortSignal };

/** One Paxos call on behalf of a step: the step's signal (unless a narrower one is given) and exchange recording. */
export const callPaxos = <T>(context: StepContext, call: StepCall): Promise<T> =>
  context.paxos.call<T>({ signal: context.signal, onExchange: context.recordExchange, ...call });

/** A path segment from an id, escaped. */
export const segment = (id: string): string => encodeURIComponent(id);

export const identityPath = (id: string): string => `/identity/identities/${segment(id)}`;
export const accountPath = (id: string): string => `/identity/accounts/${segment(id)}`;
export const ordersPath = (profileId: string): string => `/profiles/${segment(profileId)}/orders`;
export const orderPath = (profileId: string, orderId: string): string => `${ordersPath(profileId)}/${segment(orderId)}`;
export const balancesPath = (profileId: string): string => `/profiles/${segment(profileId)}/balances`;
