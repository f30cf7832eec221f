import type { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';

/**
 * One HTTP request over `node:http` / `node:https` with a shared keep-alive agent per scheme: the head
 * and a string body go out in one socket write, the answer is read into a Buffer up to a limit, and
 * nothing is left on the event loop once it settles (idle keep-alive sockets are unref'd by the agent).
 * `fetch` cost more than twice the CPU per request in a batch (Request/Headers/Response objects, web
 * streams for the body, a second socket write for it).
 */

/** What one request produced. It never rejects. */
export type Sent =
  | { kind: 'answer'; status: number; headers: IncomingHttpHeaders; body: Buffer }
  /** A redirect status: its body is not read. */
  | { kind: 'redirect'; status: number; headers: IncomingHttpHeaders }
  /** The body (after decompression) is over `maxBytes`: the rest was not read. */
  | { kind: 'too-large'; status: number; headers: IncomingHttpHeaders }
  /** No usable answer: a connection, TLS, parse or decompression error. */
  | { kind: 'error'; error: unknown }
  /** The caller's signal aborted (before or during the exchange). */
  | { kind: 'aborted' }
  | { kind: 'timeout' };

export interface SendOptions {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** Sent with a `content-length`; none for a request without a body. */
  body?: string;
  /** The most read of the body, after decompression. */
  maxBytes: number;
  signal?: AbortSignal | undefined;
  /** Covers the whole exchange: connecting, the answer and its body. */
  timeoutMs: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** What `fetch` asked for, so the real API answers the same; decoded below when it uses one. */
export const ACCEPT_ENCODING = 'gzip, deflate';

interface Transport {
  request: (options: RequestOptions, onResponse: (response: IncomingMessage) => void) => ClientRequest;
  agent: Agent;
}

/**
 * Idle sockets close after 4 s, or 1 s before the server's `Keep-Alive: timeout=` (the agent reads it),
 * so a request rarely meets a socket the server is closing. Shared by every client of the process, as
 * undici's pool was: a batch reuses its connections across rows.
 */
const AGENT_OPTIONS = { keepAlive: true, timeout: 4000, scheduling: 'lifo' } as const;

const transports: { 'http:'?: Transport; 'https:'?: Transport } = {};

// Loaded on the first request: a command that sends none does not pay for node:http (or node:tls).
const loadTransport = async (protocol: 'http:' | 'https:'): Promise<Transport> => {
  const module = protocol === 'http:' ? await import('node:http') : await import('node:https');
  const transport: Transport = { request: module.request, agent: new module.Agent(AGENT_OPTIONS) };
  transports[protocol] = transport;
  return transport;
};

/** Sends one request and reads its answer; see {@link Sent} for the outcomes. */
export const send = async (options: SendOptions): Promise<Sent> => {
  const { url, signal } = options;
  const protocol = url.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') return { kind: 'error', error: new Error(`unsupported protocol ${protocol}`) };
  // As fetch refused them: credentials in a URL would go to whatever host it names.
  if (url.username !== '' || url.password !== '') return { kind: 'error', error: new Error('a URL with credentials') };
  if (signal?.aborted) return { kind: 'aborted' };
  const transport = transports[protocol] ?? (await loadTransport(protocol));
  if (signal?.aborted) return { kind: 'aborted' };
  const received = await exchange(transport, options);
  if (received.kind !== 'answer') return received;
  const coding = received.headers['content-encoding'];
  return coding === undefined ? received : decoded(received, coding, options.maxBytes);
};

interface Answered {
  kind: 'answer';
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const exchange = (transport: Transport, options: SendOptions): Promise<Sent> =>
  new Promise<Sent>((resolve) => {
    const { url, signal, maxBytes, body } = options;
    let request: ClientRequest | undefined;
    let settled = false;
    const finish = (result: Sent): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    // Destroying the request closes its socket: an unread or half-read answer never goes back to the pool.
    const stop = (result: Sent): void => {
      finish(result);
      request?.destroy();
    };
    const onAbort = (): void => stop({ kind: 'aborted' });
    const timer = setTimeout(stop, options.timeoutMs, { kind: 'timeout' } satisfies Sent);
    signal?.addEventListener('abort', onAbort, { once: true });

    const onResponse = (response: IncomingMessage): void => {
      const status = response.statusCode ?? 0;
      const { headers } = response;
      response.on('error', (error) => finish({ kind: 'error', error }));
      if (REDIRECTS.has(status)) return stop({ kind: 'redirect', status, headers });
      const declared = Number(headers['content-length']);
      if (declared > maxBytes) return stop({ kind: 'too-large', status, headers });
      const chunks: Buffer[] = [];
      let total = 0;
      response.on('data', (chunk: Buffer) => {
        total += chunk.length;
        // Compressed bytes count too: a body that is over the limit compressed is over it decoded.
        if (total > maxBytes) return stop({ kind: 'too-large', status, headers });
        chunks.push(chunk);
      });
      response.on('end', () => {
        const answer: Answered = { kind: 'answer', status, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
        finish(answer);
      });
    };

    const headers = body === undefined ? options.headers : { ...options.headers, 'content-length': String(Buffer.byteLength(body)) };
    try {
      request = transport.request(
        {
          method: options.method,
          protocol: url.protocol,
          // An IPv6 literal comes bracketed from URL; node:http wants it bare.
          hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          headers,
          agent: transport.agent,
        },
        onResponse,
      );
    } catch (error) {
      // node:http refuses a header value it cannot send (a control character) before connecting.
      return finish({ kind: 'error', error });
    }
    request.on('error', (error) => finish({ kind: 'error', error }));
    // A string body is written together with the head: one write per request.
    request.end(body);
  });

/**
 * Decodes a body sent with a content coding, as `fetch` did: gzip, deflate (zlib-wrapped or raw) and br,
 * the last-applied first; a body in any other coding is kept as it came. The limit applies to the result.
 */
const decoded = async (answer: Answered, header: string, maxBytes: number): Promise<Sent> => {
  const codings = header.toLowerCase().split(',').map((coding) => coding.trim()).filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0 || answer.body.length === 0) return answer;
  if (!codings.every((coding) => coding === 'gzip' || coding === 'x-gzip' || coding === 'deflate' || coding === 'br')) return answer;
  const zlib = await import('node:zlib');
  const { promisify } = await import('node:util');
  // Sync flush, as fetch did: a body cut short still decodes as far as it goes.
  const options = { maxOutputLength: maxBytes, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  let body = answer.body;
  try {
    for (const coding of codings.reverse()) {
      if (coding === 'br') body = await promisify(zlib.brotliDecompress)(body, { maxOutputLength: maxBytes });
      // A zlib stream starts with a byte whose low nibble is 8 (deflate); anything else is raw deflate.
      else if (coding === 'deflate') body = await promisify((body[0]! & 0x0f) === 0x08 ? zlib.inflate : zlib.inflateRaw)(body, options);
      else body = await promisify(zlib.gunzip)(body, options);
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return { kind: 'too-large', status: answer.status, headers: answer.headers };
    return { kind: 'error', error };
  }
  return { ...answer, body };
};
