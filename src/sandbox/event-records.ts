import type { EventRecord, SandboxState } from './state.js';
import { timestamp } from './time.js';

/** The event types the emulator records, each with the `object_type` of its `object` (the Paxos event types list). */
export const EVENT_OBJECT_TYPES = {
  'identity.approved': 'identity_summary_status_change',
  'identity.denied': 'identity_summary_status_change',
  'identity.disabled': 'identity_summary_status_change',
  'identity.documents_required': 'identity_documents_required',
} as const;

export type EventType = keyof typeof EVENT_OBJECT_TYPES;

/** Called synchronously with each event as it is recorded (webhook delivery queues it). */
export type EventListener = (event: EventRecord) => void;

const listeners = new WeakMap<SandboxState, Set<EventListener>>();

/** Subscribes to the events recorded on `state`; returns the unsubscribe function. */
export function onEvent(state: SandboxState, listener: EventListener): () => void {
  let set = listeners.get(state);
  if (!set) listeners.set(state, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/**
 * Records an event of `type` about `object` (its fields without `id`: the event object gets an id of its
 * own, as in Paxos) and hands it to the listeners, which set `undelivered_webhooks`. Returns the stored event.
 * @example recordEvent(state, 'identity.documents_required', { identity_id, required_documents: ['PROOF_OF_FUNDS'] })
 */
export function recordEvent(state: SandboxState, type: EventType, object: Record<string, unknown>): EventRecord {
  const event: EventRecord = {
    id: state.newId(),
    type,
    object_type: EVENT_OBJECT_TYPES[type],
    object: { id: state.newId(), ...object },
    created_at: timestamp(state),
    undelivered_webhooks: 0,
  };
  state.events.push(event);
  for (const listener of listeners.get(state) ?? []) listener(event);
  return event;
}
