import { Problem, badRequest, type Route } from './http-types.js';
import { readBoolean, timeFilter } from './pagination.js';
import type { EventRecord } from './state.js';
import { isUuid } from './validate.js';

export { EVENT_OBJECT_TYPES, onEvent, recordEvent, type EventType } from './event-records.js';

const readEvents = ['events:read_event'];

function readLimit(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return 100;
  const limit = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= 100)) throw badRequest('limit must be between 1 and 100');
  return limit;
}

/** Events as Paxos serves them; every event the emulator records is a real (not a test) event. */
const eventView = (event: EventRecord): EventRecord => ({ ...event, object: { ...event.object } });

export const eventRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v2/events',
    scopes: readEvents,
    handle({ query }, state) {
      const limit = readLimit(query);
      const types = new Set(query.getAll('type').flatMap((value) => value.split(',')).filter(Boolean));
      const inTime = timeFilter<EventRecord>(query, 'created_at', (event) => event.created_at);
      const events = readBoolean(query, 'is_test')
        ? []
        : state.events.filter((event) => (types.size === 0 || types.has(event.type)) && inTime(event));
      return { body: { events: events.slice(0, limit).map(eventView) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/events/:id',
    scopes: readEvents,
    handle({ params, query }, state) {
      const id = params.id ?? '';
      if (!isUuid(id)) throw badRequest('error parsing event id');
      const event = readBoolean(query, 'is_test') ? undefined : state.events.find((candidate) => candidate.id === id);
      if (!event) throw new Problem(404, 'Not Found', `event not found: ${id}`);
      return { body: eventView(event) };
    },
  },
];
