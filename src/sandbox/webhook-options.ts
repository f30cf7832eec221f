/** A consumer the emulator POSTs each event notification to, as a Paxos webhook integration does. */
export interface WebhookOptions {
  /** The consumer's endpoint (http or https), e.g. `http://localhost:3000/paxos`. */
  url: string;
  /** API-key authentication: this header, with this value, on every delivery. */
  apiKey?: { header: string; value: string };
  /**
   * OAuth client credentials: before delivering, the emulator asks the consumer's own token endpoint for a
   * token (`grant_type=client_credentials`, the credentials both as HTTP Basic and in the form) and sends it
   * as `Authorization: Bearer`. A 401 from the consumer makes it fetch a new token for the retry.
   */
  oauth?: { tokenUrl: string; clientId: string; clientSecret: string; scope?: string };
  /** Deliveries per second at most, 1 to 100. @default 10 */
  rateLimit?: number;
  /** Milliseconds one delivery (or token request) may take before it counts as failed and is retried. @default 5000 */
  timeoutMs?: number;
}

/** One delivery attempt, as reported to `onWebhookAttempt` (the `paxflow sandbox` command prints these). */
export interface WebhookAttempt {
  /** The consumer's URL without credentials or query string. */
  url: string;
  event_id: string;
  event_type: string;
  /** 1 for the first delivery of this event to this consumer. */
  attempt: number;
  outcome: 'delivered' | 'failed' | 'gave-up';
  /** The consumer's HTTP status, when it answered. */
  status?: number;
  /** Why an attempt failed without a status: `timeout`, `network` or `token` (the token request failed). */
  error?: 'timeout' | 'network' | 'token';
  /** When the next attempt is due, in milliseconds, after a failure. */
  retry_in_ms?: number;
}

export interface ResolvedWebhook {
  url: URL;
  display: string;
  apiKey?: { header: string; value: string };
  oauth?: { tokenUrl: URL; clientId: string; clientSecret: string; scope?: string };
  rateLimit: number;
  timeoutMs: number;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'host', 'connection', 'transfer-encoding', 'authorization']);

function httpUrl(text: unknown, where: string): URL {
  let url: URL | undefined;
  try {
    url = typeof text === 'string' ? new URL(text) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new RangeError(`${where} must be an http or https URL`);
  return url;
}

/** Where a consumer is, fit to print: no user info (credentials) and no query string. */
export const displayUrl = (url: URL): string => `${url.protocol}//${url.host}${url.pathname}`;

/** Checks one `webhooks` entry of `startSandbox` (a URL alone or {@link WebhookOptions}); throws a RangeError naming the field. */
export function resolveWebhook(entry: string | WebhookOptions, index: number): ResolvedWebhook {
  const where = `sandbox webhooks[${index}]`;
  const options: WebhookOptions = typeof entry === 'string' ? { url: entry } : entry;
  if (typeof options !== 'object' || options === null) throw new RangeError(`${where} must be a URL or an object with a url`);
  const { url, apiKey, oauth, rateLimit = 10, timeoutMs = 5000 } = options;
  const resolved: ResolvedWebhook = { url: httpUrl(url, `${where}.url`), display: '', rateLimit, timeoutMs };
  resolved.display = displayUrl(resolved.url);
  if (!Number.isInteger(rateLimit) || rateLimit < 1 || rateLimit > 100) throw new RangeError(`${where}.rateLimit must be a whole number from 1 to 100`);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) throw new RangeError(`${where}.timeoutMs must be a whole number from 1 to 600000`);
  if (apiKey !== undefined && oauth !== undefined) throw new RangeError(`${where} takes apiKey or oauth, not both`);
  if (apiKey !== undefined) {
    if (typeof apiKey.header !== 'string' || !HEADER_NAME.test(apiKey.header) || RESERVED_HEADERS.has(apiKey.header.toLowerCase())) {
      throw new RangeError(`${where}.apiKey.header must be a header name of its own (not one HTTP or the delivery sets)`);
    }
    if (typeof apiKey.value !== 'string' || apiKey.value === '' || !HEADER_VALUE.test(apiKey.value)) {
      throw new RangeError(`${where}.apiKey.value must be a non-empty header value without line breaks`);
    }
    resolved.apiKey = { header: apiKey.header, value: apiKey.value };
  }
  if (oauth !== undefined) {
    const { tokenUrl, clientId, clientSecret, scope } = oauth;
    if (typeof clientId !== 'string' || clientId === '' || typeof clientSecret !== 'string' || clientSecret === '') {
      throw new RangeError(`${where}.oauth needs a clientId and a clientSecret`);
    }
    if (scope !== undefined && typeof scope !== 'string') throw new RangeError(`${where}.oauth.scope must be a string`);
    resolved.oauth = { tokenUrl: httpUrl(tokenUrl, `${where}.oauth.tokenUrl`), clientId, clientSecret, ...(scope ? { scope } : {}) };
  }
  return resolved;
}
