import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Answers that a server paxflow talks to could give on purpose or by mistake, as handlers for
 * startTestServer: redirects, endless or huge bodies, garbage, and no answer at all.
 */

/** Redirects to `location` with `status` (307 and 308 ask the client to re-send the body). */
export const redirectTo = (status: number, location: string) => (_request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(status, { location, 'content-type': 'text/plain' }).end('moved');
};

/** What a streaming answer sent before the client stopped reading it. */
export interface Streamed {
  bytes: number;
  /** The client closed the connection before the whole body was sent. */
  cutOff: boolean;
  /** Settles when the answer is over: sent in full, or cut off. */
  over: Promise<void>;
}

/**
 * A 200 JSON-ish answer of `total` bytes sent in 64 KiB pieces, as fast as the client reads them;
 * `streamed` records how much went out and whether the client hung up first.
 */
export const hugeBody = (total: number, streamed: Streamed[] = [], status = 200) => (_request: IncomingMessage, response: ServerResponse) => {
  let settle = (): void => undefined;
  const record: Streamed = { bytes: 0, cutOff: false, over: new Promise<void>((resolve) => (settle = resolve)) };
  streamed.push(record);
  const piece = Buffer.alloc(64 * 1024, 'a');
  response.writeHead(status, { 'content-type': 'application/json' });
  response.write('{"access_token":"');
  response.on('close', () => {
    if (!response.writableFinished) record.cutOff = true;
    settle();
  });
  const pump = (): void => {
    while (record.bytes < total && !response.destroyed) {
      record.bytes += piece.length;
      if (!response.write(piece)) return void response.once('drain', pump);
    }
    if (!response.destroyed) response.end('"}');
  };
  pump();
};

/** A small answer that says it is huge: the length alone must be enough to refuse it. */
export const declaredHuge = (_request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * 1024 * 1024) });
  response.write('{"a":1}');
};

/** Bytes that are not JSON, with a JSON content type. */
export const garbage = (status = 200) => (_request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(status, { 'content-type': 'application/json' }).end('<html>\u0000\u001b[31m{{not json');
};

/** Takes the request and never answers. */
export const stall = () => undefined;
