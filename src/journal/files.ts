import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The directory entry of a new or renamed file is durable only once its folder is synced (where the OS allows it). */
export const syncFolder = (folder: string): void => {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not supported on every platform (Windows): the file's own sync still holds its contents.
  }
};

/** {@link syncFolder} in the thread pool: the event loop, and the other runs of a batch, go on meanwhile. */
export const syncFolderAsync = async (folder: string): Promise<void> => {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // As in syncFolder.
  }
};

interface FolderSync {
  running: Promise<void>;
  /** The sync that starts once `running` ends, shared by every caller that came while it ran. */
  next?: Promise<void>;
}
const folderSyncs = new Map<string, FolderSync>();

const startFolderSync = (folder: string): Promise<void> => {
  const sync: FolderSync = { running: Promise.resolve() };
  sync.running = syncFolderAsync(folder).finally(() => {
    if (sync.next === undefined) folderSyncs.delete(folder);
  });
  folderSyncs.set(folder, sync);
  return sync.running;
};

/**
 * {@link syncFolderAsync} for a folder that many runs write into at once (the runs folder of a batch):
 * resolves once a sync that started after this call has ended, which covers every entry made in the
 * folder before the call. Callers that come while a sync runs share the one that starts when it ends,
 * rather than each opening and syncing the folder: a batch row made one sync of the shared folder.
 */
export const syncSharedFolderAsync = (folder: string): Promise<void> => {
  const sync = folderSyncs.get(folder);
  if (sync === undefined) return startFolderSync(folder);
  sync.next ??= sync.running.then(() => startFolderSync(folder));
  return sync.next;
};

/**
 * Replaces `file` with `text` so that a reader, or a crash at any point, sees the old contents or the
 * new ones, never a mix: a synced temporary file, readable by its owner only, renamed into place.
 */
export const writeFileAtomic = (file: string, text: string): void => {
  const temporary = `${file}.${process.pid}.tmp`;
  const bytes = Buffer.from(text, 'utf8');
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    removeFile(temporary);
    throw error;
  }
  syncFolder(dirname(file));
};

/** Deletes `file` if it is there; never throws. */
export const removeFile = (file: string): void => {
  try {
    unlinkSync(file);
  } catch {
    // Gone already, or not removable: nothing more to do here.
  }
};
