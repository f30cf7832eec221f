import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DOCUMENT_TYPES, documentsOf, type DocumentRecord, type DocumentType } from './document-store.js';
import { mediaType } from './form.js';
import { Problem, type Route, type SandboxReply } from './http-types.js';
import { getIdentity } from './identity-records.js';
import { scheduleReview } from './identity-status.js';
import { readBoolean } from './pagination.js';
import { isHeldForDocuments, missingDocuments } from './risk.js';
import type { SandboxState } from './state.js';
import { timestamp } from './time.js';
import { type Check, checkBody, listOf, objectOf, oneOf } from './validate.js';

/** Where the emulator serves upload URLs; like a pre-signed storage URL, it takes no bearer token. */
export const UPLOAD_PATH_PREFIX = '/sandbox-uploads/';

/** Paxos takes documents "less than 100 MB". */
export const MAX_DOCUMENT_BYTES = 100 * 1024 * 1024 - 1;

const fileName: Check = (value, path, issues) => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 255) issues.add(path, 'must be a file name of 1 to 255 characters');
};

/** The document upload body's rules. */
export const uploadBody = objectOf({
  fields: { name: fileName, document_types: listOf(oneOf(DOCUMENT_TYPES), { nonEmpty: true }) },
  required: ['name', 'document_types'],
});

/** The Paxos `DocumentDescription`. */
const documentView = (record: DocumentRecord) => ({
  file_id: record.file_id,
  name: record.name,
  document_types: [...record.document_types],
  created_at: record.created_at,
});

/** Host of the request, as the client reached us (only a plain host[:port] is echoed into a URL). */
function hostOf(request: { headers: Record<string, unknown> }, state: SandboxState): string {
  const host = request.headers.host;
  return typeof host === 'string' && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(host) ? host : `${state.options.host}:${state.options.port}`;
}

function identityFor(state: SandboxState, id: string) {
  const identity = state.identities.get(id);
  if (!identity) throw new Problem(404, 'Not Found', 'identity does not exist');
  return identity;
}


export const documentRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/v2/identity/identities/:identity_id/documents',
    scopes: ['identity:write_identity'],
    handle(request, state) {
      const identity = identityFor(state, request.params.identity_id ?? '');
      checkBody(uploadBody, request.body);
      const { name, document_types } = request.body as { name: string; document_types: DocumentType[] };
      const record: DocumentRecord = {
        file_id: state.newId(),
        identity_id: identity.id,
        name,
        document_types: [...new Set(document_types)],
        created_at: timestamp(state),
        token: randomBytes(18).toString('base64url'),
      };
      documentsOf(state).set(record.file_id, record);
      const upload_url = `http://${hostOf(request, state)}${UPLOAD_PATH_PREFIX}${record.file_id}?signature=${record.token}`;
      return { body: { file_id: record.file_id, name: record.name, upload_url } };
    },
  },
  {
    method: 'GET',
    path: '/v2/identity/identities/:identity_id/documents',
    scopes: ['identity:read_identity'],
    handle({ params, query }, state) {
      const id = params.identity_id ?? '';
      if (!state.identities.has(id)) throw new Problem(404, 'Not Found', `Identity with id ${id} doesn't exist`);
      const documents = [...documentsOf(state).values()].filter((record) => record.identity_id === id && record.file);
      const body: Record<string, unknown> = { documents: documents.map(documentView) };
      if (readBoolean(query, 'include_pending_docs')) body.pending_documents = missingDocuments(state, getIdentity(state, id));
      return { body };
    },
  },
];

/** File kinds Paxos takes, told by their first bytes (a name or a Content-Type proves nothing). */
const MAGIC: ReadonlyArray<{ type: string; bytes: readonly number[] }> = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];
const MAGIC_LENGTH = 8;

const detectType = (head: Buffer): string | undefined =>
  MAGIC.find(({ bytes }) => head.length >= bytes.length && bytes.every((byte, index) => head[index] === byte))?.type;

/** A Problem after which the server closes the connection instead of reading the rest of the request. */
export class ClosingProblem extends Problem {}

const tooLarge = () => new ClosingProblem(413, 'Payload Too Large', `a document must be less than 100 MB (${MAX_DOCUMENT_BYTES + 1} bytes)`);

function findSlot(state: SandboxState, url: URL): DocumentRecord {
  const fileId = url.pathname.slice(UPLOAD_PATH_PREFIX.length);
  const record = documentsOf(state).get(fileId);
  if (!record) throw new Problem(404, 'Not Found', `no upload is expected for file ${fileId.replace(/[^\x21-\x7e]/g, '?').slice(0, 64)}`);
  const given = Buffer.from(url.searchParams.get('signature') ?? '');
  const expected = Buffer.from(record.token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Problem(403, 'Forbidden', 'the upload URL signature does not match');
  }
  return record;
}

/**
 * Reads an upload as it streams: only the first bytes (to tell the type) are kept, the rest is hashed
 * and counted. Past the cap it stops reading and answers 413 at once; the connection is then closed.
 */
function receive(request: IncomingMessage): Promise<{ head: Buffer; size: number; sha256: string }> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_DOCUMENT_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let head = Buffer.alloc(0);
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DOCUMENT_BYTES) {
        request.off('data', onData);
        request.off('end', onEnd);
        request.pause();
        reject(tooLarge());
        return;
      }
      if (head.length < MAGIC_LENGTH) head = Buffer.concat([head, chunk.subarray(0, MAGIC_LENGTH - head.length)]);
      hash.update(chunk);
    };
    const onEnd = () => resolve({ head, size, sha256: hash.digest('hex') });
    request.on('data', onData);
    request.on('end', onEnd);
    request.once('error', reject);
  });
}

/**
 * `POST` of a file to an upload URL from `PUT .../documents`: the body is the file's bytes (PDF, JPG or PNG,
 * less than 100 MB). A file is uploaded once; completing a held identity's documents restarts its review.
 */
export async function receiveUpload(request: IncomingMessage, url: URL, state: SandboxState): Promise<SandboxReply> {
  const record = findSlot(state, url);
  if (record.file) throw new Problem(409, 'Conflict', `file ${record.file_id} was already uploaded`);
  if (mediaType(request.headers['content-type']) === 'multipart/form-data') {
    throw new Problem(415, 'Unsupported Media Type', "send the file's bytes as the request body, not as multipart form data");
  }
  const { head, size, sha256 } = await receive(request);
  if (size === 0) throw new Problem(400, 'Bad Request', 'no file was sent: the request body is empty');
  const media_type = detectType(head);
  if (media_type === undefined) throw new Problem(415, 'Unsupported Media Type', 'a document must be a PDF, JPG or PNG file');
  if (record.file) throw new Problem(409, 'Conflict', `file ${record.file_id} was already uploaded`);
  record.file = { size, media_type, sha256, uploaded_at: timestamp(state) };
  const identity = state.identities.get(record.identity_id);
  if (identity && isHeldForDocuments(state, identity.id) && missingDocuments(state, identity).length === 0) {
    scheduleReview(state, identity);
  }
  return { body: {} };
}
