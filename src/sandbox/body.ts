import type { IncomingMessage } from 'node:http';
import { Problem, badRequest } from './http-types.js';
import { mediaType } from './form.js';

/** Largest request body the emulator reads. */
export const MAX_BODY_BYTES = 1024 * 1024;

const tooLarge = () => new Problem(413, 'Payload Too Large', `request body must not exceed ${MAX_BODY_BYTES} bytes`);

/**
 * Reads the whole request body, refusing more than {@link MAX_BODY_BYTES} with a 413 Problem. The rest of
 * an oversized body is read and dropped, so the client still receives the 413 instead of a reset.
 */
export function readRawBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    request.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.off('end', onEnd);
      request.resume();
      reject(tooLarge());
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    request.on('data', onData);
    request.on('end', onEnd);
    request.once('error', reject);
  });
}

/**
 * Content types whose body is read as JSON. `curl --data '{...}'` without a header sends
 * `application/x-www-form-urlencoded` with the JSON as the raw body, exactly as the Paxos guides do.
 */
const JSON_CARRIERS = new Set(['', 'application/json', 'application/x-www-form-urlencoded', 'text/plain']);

/**
 * Drops an object member whose value is `null`, as a Go server (which Paxos is) reads JSON into its types:
 * `null` leaves a field unset, so it is neither validated as a value nor stored nor ever echoed back.
 * A `null` inside an array is kept, and refused by the field's check.
 */
function dropNullMembers(this: unknown, _key: string, value: unknown): unknown {
  return value === null && !Array.isArray(this) ? undefined : value;
}

/**
 * The parsed JSON body, `undefined` when empty (or `null`). A body that is not JSON is a 400 Problem whose
 * detail says only where parsing failed, never what the body contained.
 */
export function parseJsonBody(raw: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (!JSON_CARRIERS.has(type) && !type.endsWith('+json')) {
    throw new Problem(415, 'Unsupported Media Type', 'request body must be JSON (Content-Type: application/json)');
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text, dropNullMembers) as unknown;
  } catch {
    throw badRequest('request body is not valid JSON');
  }
}
