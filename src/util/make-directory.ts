import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/**
 * Creates a folder and its missing parents (`mkdir -p`), one `mkdir` per missing folder, so that it ends:
 * Node's own `mkdir(path, { recursive: true })` retries forever, at full CPU, under a path that can never
 * be created (`/proc/nope/x`, where every mkdir fails with ENOENT). Throws the first failure as Node
 * reports it (`code` ENOENT, EACCES, ENOTDIR, EROFS, ...). `mode` applies to every folder it creates.
 */
export const makeDirectory = (path: string, mode?: number): void => {
  const options = mode === undefined ? {} : { mode };
  const target = resolve(path);
  // The common case, a new folder in one that exists (each run's folder in a batch), is one mkdir; any
  // failure goes the whole way below, which reports it as it always did.
  try {
    mkdirSync(target, options);
    return;
  } catch {
    // Exists already, or a parent is missing, or it cannot be made: see below.
  }
  const missing: string[] = [];
  // Up to the nearest folder that exists: each step shortens the path, so at most one step per segment.
  for (let current = target; ; current = dirname(current)) {
    const info = statSync(current, { throwIfNoEntry: false });
    if (info?.isDirectory()) break;
    if (info) throw Object.assign(new Error(`not a directory: ${current}`), { code: 'ENOTDIR' });
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder, options);
    } catch (error) {
      // Made meanwhile by another process (two runs starting at once): fine when it is a folder.
      if (codeOf(error) !== 'EEXIST' || !statSync(folder).isDirectory()) throw error;
    }
  }
};
