import { onEvent } from './event-records.js';
import type { EventRecord, SandboxState } from './state.js';
import { WebhookHttp } from './webhook-http.js';
import type { ResolvedWebhook, WebhookAttempt } from './webhook-options.js';

/** First retry after about a second, then doubling up to a minute between attempts. */
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;
/** Paxos retries for up to 24 hours; so does the emulator, as long as it runs. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;
/** A token is renewed this long before the consumer said it expires. */
const TOKEN_MARGIN_MS = 30_000;

/** The delay before attempt `failures + 1`: exponential, with up to a quarter taken off at random (jitter). */
export const retryDelay = (failures: number): number =>
  Math.round(Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1)) * (1 - Math.random() * 0.25));

/** The reduced notification Paxos sends: never the event's object, which the consumer reads with GET /events/{id}. */
export const notificationOf = (event: EventRecord): Record<string, unknown> =>
  ({ id: event.id, type: event.type, source: 'com.paxos', time: event.created_at, object: 'event' });

/** Events about one object are delivered in the order they were recorded; other objects do not wait for them. */
const orderKey = (event: EventRecord): string => String(event.object.identity_id ?? event.object.id ?? event.id);

class TokenFailure extends Error {}

interface Lane {
  events: EventRecord[];
  /** Attempts made for the event at the head. */
  attempts: number;
  firstAttemptAt: number;
  /** Sending or waiting for a retry: not in the ready list. */
  busy: boolean;
}

/** Delivery to one consumer: a lane per object, a shared rate limit, retries with backoff. */
class Consumer {
  readonly #lanes = new Map<string, Lane>();
  readonly #ready: string[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #pumpTimer: NodeJS.Timeout | undefined;
  #nextSlot = 0;
  #token: { value: string; renewAt: number } | undefined;
  #closed = false;

  constructor(
    readonly webhook: ResolvedWebhook,
    private readonly http: WebhookHttp,
    private readonly report: (attempt: WebhookAttempt) => void,
  ) {}

  enqueue(event: EventRecord): void {
    const key = orderKey(event);
    let lane = this.#lanes.get(key);
    if (!lane) this.#lanes.set(key, (lane = { events: [], attempts: 0, firstAttemptAt: 0, busy: false }));
    lane.events.push(event);
    if (lane.events.length === 1 && !lane.busy) this.#ready.push(key);
    this.#schedulePump(0);
  }

  /** Stops delivering: timers cleared; what was not delivered stays counted in undelivered_webhooks. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (this.#pumpTimer) clearTimeout(this.#pumpTimer);
    this.#pumpTimer = undefined;
  }

  #later(delay: number, action: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed) action();
    }, delay);
    this.#timers.add(timer);
    return timer;
  }

  // Sending starts on a timer, never inside the request that recorded the event: the API is not slowed.
  #schedulePump(delay: number): void {
    if (this.#closed || this.#pumpTimer) return;
    this.#pumpTimer = this.#later(delay, () => {
      this.#pumpTimer = undefined;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#ready.length > 0) {
      const now = Date.now();
      if (now < this.#nextSlot) return this.#schedulePump(this.#nextSlot - now);
      this.#nextSlot = Math.max(now, this.#nextSlot) + 1000 / this.webhook.rateLimit;
      void this.#send(this.#ready.shift()!);
    }
  }

  async #send(key: string): Promise<void> {
    const lane = this.#lanes.get(key)!;
    const event = lane.events[0]!;
    lane.busy = true;
    lane.attempts += 1;
    if (lane.attempts === 1) lane.firstAttemptAt = Date.now();
    const base = { url: this.webhook.display, event_id: event.id, event_type: event.type, attempt: lane.attempts };
    let result: Pick<WebhookAttempt, 'status' | 'error'>;
    try {
      const headers = await this.#headers();
      const answer = await this.http.post(this.webhook.url, headers, JSON.stringify(notificationOf(event)), this.webhook.timeoutMs);
      if (answer.status === 401) this.#token = undefined;
      result = { status: answer.status };
    } catch (error) {
      result = { error: error instanceof TokenFailure ? 'token' : isAbort(error) ? 'timeout' : 'network' };
    }
    if (this.#closed) return;
    const delivered = result.status !== undefined && result.status >= 200 && result.status < 300;
    if (!delivered) {
      const delay = retryDelay(lane.attempts);
      if (Date.now() + delay - lane.firstAttemptAt <= GIVE_UP_AFTER_MS) {
        this.report({ ...base, outcome: 'failed', ...result, retry_in_ms: delay });
        this.#later(delay, () => {
          lane.busy = false;
          this.#ready.push(key);
          this.#pump();
        });
        return;
      }
      this.report({ ...base, outcome: 'gave-up', ...result });
    } else {
      event.undelivered_webhooks = Math.max(0, event.undelivered_webhooks - 1);
      this.report({ ...base, outcome: 'delivered', ...result });
    }
    lane.events.shift();
    lane.attempts = 0;
    lane.busy = false;
    if (lane.events.length > 0) this.#ready.push(key);
    else this.#lanes.delete(key);
    this.#pump();
  }

  async #headers(): Promise<Record<string, string>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'paxflow-sandbox-webhooks' };
    const { apiKey, oauth } = this.webhook;
    if (apiKey) headers[apiKey.header.toLowerCase()] = apiKey.value;
    if (oauth) headers.authorization = `Bearer ${await this.#accessToken(oauth)}`;
    return headers;
  }

  async #accessToken(oauth: NonNullable<ResolvedWebhook['oauth']>): Promise<string> {
    if (this.#token && Date.now() < this.#token.renewAt) return this.#token.value;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: oauth.clientId, client_secret: oauth.clientSecret });
    if (oauth.scope) form.set('scope', oauth.scope);
    const basic = Buffer.from(`${encodeURIComponent(oauth.clientId)}:${encodeURIComponent(oauth.clientSecret)}`).toString('base64');
    let answer;
    try {
      answer = await this.http.post(oauth.tokenUrl, {
        'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}`,
      }, form.toString(), this.webhook.timeoutMs);
    } catch {
      throw new TokenFailure();
    }
    let parsed: { access_token?: unknown; expires_in?: unknown } = {};
    try {
      parsed = JSON.parse(answer.body) as typeof parsed;
    } catch {
      // an answer that is not JSON is a failed token request, below
    }
    if (answer.status !== 200 || typeof parsed.access_token !== 'string' || parsed.access_token === '') throw new TokenFailure();
    const lifetime = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in * 1000 : 3_600_000;
    this.#token = { value: parsed.access_token, renewAt: Date.now() + Math.max(0, lifetime - TOKEN_MARGIN_MS) };
    return this.#token.value;
  }
}

const isAbort = (error: unknown): boolean => error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');

/** The webhook deliveries of one emulator. */
export interface WebhookDelivery {
  /** Queues events recorded before (a restored snapshot's undelivered ones) to every consumer again. */
  redeliver(events: readonly EventRecord[]): void;
  /** Stops every timer and drops every connection; undelivered events stay counted. */
  close(): void;
}

/** Delivers every event recorded on `state` from now on to each webhook; with none it does nothing at all. */
export function startWebhooks(state: SandboxState, webhooks: readonly ResolvedWebhook[], report: (attempt: WebhookAttempt) => void): WebhookDelivery {
  if (webhooks.length === 0) return { redeliver: () => {}, close: () => {} };
  const http = new WebhookHttp();
  const safeReport = (attempt: WebhookAttempt) => {
    try {
      report(attempt);
    } catch {
      // a reporting callback must not stop deliveries
    }
  };
  const consumers = webhooks.map((webhook) => new Consumer(webhook, http, safeReport));
  const deliver = (event: EventRecord) => {
    event.undelivered_webhooks = consumers.length;
    for (const consumer of consumers) consumer.enqueue(event);
  };
  const unsubscribe = onEvent(state, deliver);
  return {
    redeliver: (events) => events.forEach(deliver),
    close() {
      unsubscribe();
      for (const consumer of consumers) consumer.close();
      http.close();
    },
  };
}
