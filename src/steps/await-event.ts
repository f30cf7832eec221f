import type { StepFailureCode } from '../step-codes.js';
import { StepFailedError } from '../errors.js';
import { callPaxos } from './_paxos.js';
import { formatWait, pollUntil, readInterval } from './_poll.js';
import { defineStep, type JsonSchema, type StepContext } from './define.js';
import { closedObject, dateTime, intervalInput, openObject, plainString, pollsOutput, uuid } from './schemas/common.js';

export interface AwaitEventInput {
  type: string;
  identity_id: string;
  since?: string;
  interval?: string;
}

/** The Paxos `Event`: the full event, as `GET /events/{id}` returns it. */
export interface PaxosEvent {
  id: string;
  type: string;
  object_type: string;
  object: Record<string, unknown>;
  created_at: string;
  undelivered_webhooks?: number;
}

/** The identity events that settle an identity: seeing one that is not awaited fails the step at once. */
const CONTRADICTING: Record<string, StepFailureCode> = {
  'identity.denied': 'IDENTITY_DENIED',
  'identity.disabled': 'IDENTITY_DISABLED',
};

/** Events a page holds at most (the Events API's largest limit). */
const PAGE = 100;
/** Pages one check reads at most per type; the next check goes on from where this one stopped. */
const PAGES_PER_CHECK = 20;

const EVENT_TYPE_PATTERN = '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$';

const eventOutput: JsonSchema = openObject('The Paxos event, as GET /events/{id} returns it.', {
  id: plainString('Event id; a webhook notification carries the same id.'),
  type: plainString('Event type, e.g. identity.approved.'),
  object_type: plainString('Type of `object`, e.g. identity_summary_status_change.'),
  object: { type: 'object', description: 'The event\'s payload: for identity events `identity_id` and the statuses or required documents.' },
  created_at: plainString('When Paxos recorded the event (RFC 3339).'),
  undelivered_webhooks: { type: 'integer', description: 'Webhook deliveries of this event still pending.' },
  polls: pollsOutput,
});

interface Reading {
  match?: PaxosEvent;
  contradiction?: PaxosEvent;
  read: number;
}

/**
 * Reads what is new for each type since the last check, with the spec's own paging for the Events API:
 * one `type` per request, ascending `created_at`, the next page asked for with `created_at.gt` of the last
 * event seen. Sending one type per request (not a list) keeps to what the API describes.
 */
function eventReader(context: StepContext, types: readonly string[], identityId: string, since: string | undefined) {
  const cursors = new Map<string, string | undefined>(types.map((type) => [type, since]));
  const found = new Map<string, PaxosEvent>();
  let read = 0;
  return async (signal: AbortSignal): Promise<Reading> => {
    for (const type of types) {
      if (found.has(type)) continue;
      for (let page = 0; page < PAGES_PER_CHECK; page += 1) {
        const cursor = cursors.get(type);
        const { events = [] } = await callPaxos<{ events?: PaxosEvent[] }>(context, {
          method: 'GET',
          path: '/events',
          query: { type, limit: PAGE, ...(cursor === undefined ? {} : { 'created_at.gt': cursor }) },
          signal,
        });
        read += events.length;
        const hit = events.find((event) => event.type === type && refersTo(event, identityId));
        if (hit) {
          found.set(type, hit);
          break;
        }
        if (events.length > 0) cursors.set(type, events.at(-1)!.created_at);
        if (events.length < PAGE) break;
      }
    }
    const [awaited, ...others] = types;
    const contradiction = others.map((type) => found.get(type)).find((event) => event !== undefined);
    return { match: found.get(awaited!), contradiction, read };
  };
}

/** Whether the event is about this identity (the object ids the step knows; transfers and others come later). */
const refersTo = (event: PaxosEvent, identityId: string): boolean =>
  typeof event.object === 'object' && event.object !== null && event.object.identity_id === identityId;

export const awaitEventStep = defineStep<AwaitEventInput, PaxosEvent & { polls: number }>({
  type: 'awaitEvent',
  description:
    'Polls the Events API (GET /events, filtered by type and paged with created_at.gt) until an event of `type` about the identity appears, and outputs it. ' +
    'Fails at once (IDENTITY_DENIED, IDENTITY_DISABLED) when identity.denied or identity.disabled appears for the identity instead; EVENT_TIMEOUT when the wait runs out.',
  input: closedObject('The event to wait for and the object it is about.', {
    type: {
      type: 'string',
      pattern: EVENT_TYPE_PATTERN,
      description: 'Event type, e.g. identity.approved, identity.denied, identity.disabled or identity.documents_required.',
      examples: ['identity.approved', 'identity.denied', 'identity.disabled', 'identity.documents_required'],
    },
    identity_id: uuid('The identity the event is about (its object\'s identity_id). Other object ids (transfers) are to come.'),
    since: dateTime('Only events created after this time count. Default: every event, so one recorded before the step started is found too.'),
    interval: intervalInput('250ms'),
  }, ['type', 'identity_id']),
  output: eventOutput,
  scopes: ['events:read_event'],
  sandboxOnly: false,
  retrySafe: true,
  async run({ type, identity_id, since, interval }, context) {
    const types = [type, ...Object.keys(CONTRADICTING).filter((other) => other !== type)];
    const read = eventReader(context, types, identity_id, since);
    const { value, polls } = await pollUntil<Reading>({
      context,
      intervalMs: readInterval(interval, 250),
      read,
      statusOf: (reading) => reading.match?.type ?? reading.contradiction?.type ?? `no ${type} yet`,
      isDone(reading) {
        if (reading.match) return true;
        const other = reading.contradiction;
        if (other) {
          throw new StepFailedError(CONTRADICTING[other.type]!, `${other.type} (event ${other.id}) arrived for identity ${identity_id} while waiting for ${type}`);
        }
        return false;
      },
      timeoutError: (last, checks, waitedMs) =>
        new StepFailedError(
          'EVENT_TIMEOUT',
          `no ${type} event for identity ${identity_id} after ${formatWait(waitedMs)} and ${checks} checks (${last?.read ?? 0} events read)`,
        ),
    });
    return { ...value.match!, polls };
  },
});
