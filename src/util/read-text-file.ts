import { readFile, stat } from 'node:fs/promises';

/**
 * Reads a small text file (UTF-8): a path that is not a regular file (a folder, `/dev/zero`, a FIFO that
 * never ends) or holds more than `maxBytes` is refused before it is read, so it can neither hang the
 * command nor fill its memory. Failures are thrown with a `code`: Node's (ENOENT, EACCES, ...), `ENOTFILE`
 * or `EFBIG`, for the caller's own coded error.
 */
export const readTextFile = async (path: string, maxBytes: number): Promise<string> => {
  const info = await stat(path);
  if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
  if (info.size > maxBytes) throw Object.assign(new Error(`larger than ${maxBytes} bytes`), { code: 'EFBIG' });
  return readFile(path, 'utf8');
};

/** What a failed {@link readTextFile} was, in words a user can act on. */
export const readFailure = (error: unknown, maxBytes: number): string => {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOTFILE') return 'not a regular file';
  if (code === 'EFBIG') return `larger than ${maxBytes} bytes`;
  return typeof code === 'string' ? code : 'unreadable';
};
