import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Largest consumer answer read (a token response); the rest is dropped. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface PostResult {
  status: number;
  body: string;
}

/**
 * Connections to webhook consumers: no keep-alive (every request opens and closes its socket) and every
 * request in flight is aborted by {@link WebhookHttp.close}, so a closed emulator leaves no socket behind.
 */
export class WebhookHttp {
  readonly #http = new HttpAgent({ keepAlive: false });
  readonly #https = new HttpsAgent({ keepAlive: false });
  readonly #inFlight = new Set<AbortController>();

  /** POSTs `body`; resolves with the status and (capped) body, rejects on a network error or after `timeoutMs`. */
  post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
    const controller = new AbortController();
    this.#inFlight.add(controller);
    const secure = url.protocol === 'https:';
    return new Promise<PostResult>((resolve, reject) => {
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#inFlight.delete(controller);
      };
      const request = (secure ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        agent: secure ? this.#https : this.#http,
        signal: controller.signal,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      }, (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = (): void => {
          done();
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        };
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) return void chunks.push(chunk);
          // Past the limit the rest is not read at all: an endless answer would hold the socket until the timeout.
          response.removeAllListeners('end');
          response.removeAllListeners('error');
          response.on('error', () => undefined);
          request.destroy();
          answer();
        });
        response.on('end', answer);
        response.on('error', (error) => {
          done();
          reject(error);
        });
      });
      request.on('error', (error) => {
        done();
        reject(error);
      });
      request.end(body);
    });
  }

  close(): void {
    for (const controller of this.#inFlight) controller.abort();
    this.#inFlight.clear();
    this.#http.destroy();
    this.#https.destroy();
  }
}
