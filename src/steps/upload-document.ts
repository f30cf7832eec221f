import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { StepFailedError } from '../errors.js';
import { DEFAULT_RETRY, pause, retryDelay } from '../paxos/_http.js';
import { inspectDocumentFile } from '../util/document-file.js';
import { readBodyCapped } from '../util/read-body.js';
import { callPaxos, identityPath } from './_paxos.js';
import { defineStep, type StepContext } from './define.js';
import { uploadDocumentInput, uploadDocumentOutput, type DocumentDescription } from './schemas/document.js';

export interface UploadDocumentInput {
  identity_id: string;
  name: string;
  document_types: string[];
  file: string;
}

export interface UploadDocumentOutput extends DocumentDescription {
  size: number;
  media_type: string;
  adopted: boolean;
  pending_documents: string[];
}

/** Sends of one file to its upload URL before the step gives up on an unknown outcome. */
const MAX_SENDS = 3;
/** The most read of the upload URL's answer (only an error's detail is used). */
const MAX_ANSWER_BYTES = 64 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const documentsPath = (identityId: string): string => `${identityPath(identityId)}/documents`;

const listDocuments = (context: StepContext, identityId: string) =>
  callPaxos<{ documents?: DocumentDescription[]; pending_documents?: string[] }>(context, {
    method: 'GET',
    path: documentsPath(identityId),
    query: { include_pending_docs: true },
  });

const sameTypes = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** The upload URL's path only: its query is a signature, as good as a password for that one file. */
const safePath = (url: URL): string => url.pathname;

type SendResult = { kind: 'stored' } | { kind: 'refused'; status: number; detail: string } | { kind: 'unknown'; reason: string };

/** One POST of the file's bytes to the upload URL, without the API's bearer token (the URL is pre-signed). */
const sendFile = async (context: StepContext, url: URL, path: string, size: number, mediaType: string): Promise<SendResult> => {
  const started = Date.now();
  let status: number | undefined;
  try {
    const response = await fetch(url, {
      method: 'POST',
      body: Readable.toWeb(createReadStream(path)) as ReadableStream,
      headers: { 'content-type': mediaType, 'content-length': String(size) },
      // Never followed: a redirect would re-send the file somewhere the step never chose.
      redirect: 'manual',
      signal: context.signal,
      duplex: 'half',
    } as RequestInit);
    status = response.status;
    if (REDIRECTS.has(status)) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'refused', status, detail: `${url.host} answered with a redirect, which paxflow does not follow: the file goes only to the upload URL Paxos gave` };
    }
    // An error text is short; an endless answer is not read past the limit.
    const text = (await readBodyCapped(response, MAX_ANSWER_BYTES).catch(() => ({ text: '' }))).text ?? '';
    if (status >= 200 && status < 300) return { kind: 'stored' };
    if (status >= 500 || status === 429 || status === 408) return { kind: 'unknown', reason: `HTTP ${status}` };
    let detail = '';
    try {
      const problem = JSON.parse(text) as { detail?: unknown; title?: unknown };
      detail = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : '';
    } catch {
      // Storage services answer in XML or plain text; the status says enough.
    }
    return { kind: 'refused', status, detail: detail.replace(/[^\x20-\x7e]/g, '?').slice(0, 300) };
  } catch (error) {
    if (context.signal.aborted) throw error;
    return { kind: 'unknown', reason: (error as Error).name === 'TypeError' ? 'network error' : (error as Error).name };
  } finally {
    context.recordExchange({ method: 'POST', path: safePath(url), ...(status === undefined ? {} : { status }), durationMs: Date.now() - started });
  }
};

export const uploadDocumentStep = defineStep<UploadDocumentInput, UploadDocumentOutput>({
  type: 'uploadDocument',
  description:
    'Uploads an identity document for enhanced due diligence: asks for an upload URL (PUT /identity/identities/{id}/documents) and POSTs the file there. A document with the same name and types already on the identity is adopted, never uploaded twice.',
  input: uploadDocumentInput,
  output: uploadDocumentOutput,
  uploads: ['file'],
  scopes: ['identity:write_identity', 'identity:read_identity'],
  sandboxOnly: false,
  // Re-running finds an upload by name and types before asking for a new file_id.
  retrySafe: true,
  async run({ identity_id, name, document_types, file }, context) {
    const path = resolve(context.baseDir, file);
    const facts = await inspectDocumentFile(path);
    if (!facts.ok) throw new StepFailedError(facts.code, `${file}: ${facts.message}`);
    const { size, mediaType } = facts;

    const finish = async (document: DocumentDescription, adopted: boolean): Promise<UploadDocumentOutput> => {
      const after = await listDocuments(context, identity_id);
      const listed = after.documents?.find((item) => item.file_id === document.file_id);
      return {
        file_id: document.file_id,
        name: document.name,
        document_types: listed?.document_types ?? document.document_types,
        ...(listed?.created_at === undefined ? {} : { created_at: listed.created_at }),
        size,
        media_type: mediaType,
        adopted,
        pending_documents: after.pending_documents ?? [],
      };
    };

    const before = await listDocuments(context, identity_id);
    const existing = before.documents?.find((item) => item.name === name && sameTypes(item.document_types, document_types));
    if (existing) return finish(existing, true);

    const slot = await callPaxos<{ file_id: string; name?: string; upload_url: string }>(context, {
      method: 'PUT',
      path: documentsPath(identity_id),
      json: { name, document_types },
    });
    let url: URL;
    try {
      url = new URL(slot.upload_url);
    } catch {
      throw new StepFailedError('DOCUMENT_UPLOAD_URL', `Paxos gave file ${slot.file_id} no usable upload URL`);
    }
    // Plain http only where the API itself is plain http (the embedded emulator, a local stand-in).
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && context.target.apiUrl.startsWith('http:'))) {
      throw new StepFailedError('DOCUMENT_UPLOAD_URL', `the upload URL of file ${slot.file_id} is not https; the file was not sent`);
    }

    for (let send = 1; ; send += 1) {
      const result = await sendFile(context, url, path, size, mediaType);
      if (result.kind === 'stored') break;
      if (result.kind === 'refused') {
        throw new StepFailedError(
          'DOCUMENT_UPLOAD_REFUSED',
          `the upload of ${file} (file ${slot.file_id}) was refused with HTTP ${result.status}${result.detail ? `: ${result.detail}` : ''}`,
          { status: result.status },
        );
      }
      // The file may have arrived: only an empty slot is sent to again, so one file_id never gets two uploads.
      const listed = await listDocuments(context, identity_id);
      if (listed.documents?.some((item) => item.file_id === slot.file_id)) break;
      const delay = send < MAX_SENDS ? retryDelay(DEFAULT_RETRY, send) : undefined;
      if (delay === undefined || !(await pause(delay, context.signal))) {
        throw new StepFailedError(
          'DOCUMENT_UPLOAD_UNKNOWN',
          `the upload of ${file} (file ${slot.file_id}) got no clear answer ${send} time${send === 1 ? '' : 's'} (last: ${result.reason}) and the file is not listed; run the step again to retry`,
        );
      }
    }
    return finish({ file_id: slot.file_id, name: slot.name ?? name, document_types }, false);
  },
});
