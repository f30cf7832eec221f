import { open } from 'node:fs/promises';

/** Paxos takes identity documents "less than 100 MB". */
export const MAX_DOCUMENT_BYTES = 100 * 1024 * 1024 - 1;

/** The kinds of file Paxos takes, told by their first bytes: a name or an extension proves nothing. */
const KINDS: ReadonlyArray<{ mediaType: string; label: string; magic: readonly number[] }> = [
  { mediaType: 'application/pdf', label: 'PDF', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { mediaType: 'image/png', label: 'PNG', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mediaType: 'image/jpeg', label: 'JPG', magic: [0xff, 0xd8, 0xff] },
];

export type DocumentFileProblem = 'DOCUMENT_FILE_UNREADABLE' | 'DOCUMENT_FILE_EMPTY' | 'DOCUMENT_FILE_TOO_LARGE' | 'DOCUMENT_FILE_TYPE';

/** What a document file is, or why it cannot be uploaded. */
export type DocumentFileFacts =
  | { ok: true; size: number; mediaType: string; label: string }
  | { ok: false; code: DocumentFileProblem; message: string };

const kindOf = (head: Buffer) => KINDS.find(({ magic }) => head.length >= magic.length && magic.every((byte, index) => head[index] === byte));

/**
 * Checks a file before it is uploaded: a readable regular file, not empty, less than 100 MB, and a PDF,
 * JPG or PNG by its content. Reads only the first bytes; never throws for a bad file.
 */
export const inspectDocumentFile = async (path: string): Promise<DocumentFileFacts> => {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { ok: false, code: 'DOCUMENT_FILE_UNREADABLE', message: `cannot read the file (${reason})` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, code: 'DOCUMENT_FILE_UNREADABLE', message: 'this is not a file' };
    if (info.size === 0) return { ok: false, code: 'DOCUMENT_FILE_EMPTY', message: 'the file is empty' };
    if (info.size > MAX_DOCUMENT_BYTES) {
      return { ok: false, code: 'DOCUMENT_FILE_TOO_LARGE', message: `the file has ${info.size} bytes; Paxos takes documents of less than 100 MB (${MAX_DOCUMENT_BYTES + 1} bytes)` };
    }
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const kind = kindOf(head.subarray(0, bytesRead));
    if (!kind) return { ok: false, code: 'DOCUMENT_FILE_TYPE', message: 'the file is not a PDF, JPG or PNG (judged by its content, not its name)' };
    return { ok: true, size: info.size, mediaType: kind.mediaType, label: kind.label };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { ok: false, code: 'DOCUMENT_FILE_UNREADABLE', message: `cannot read the file (${reason})` };
  } finally {
    await handle.close().catch(() => undefined);
  }
};
