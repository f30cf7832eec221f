import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { syncSharedFolderAsync } from '../../src/journal/files.js';
import { tempJournalDir } from './_run.js';

test('syncSharedFolderAsync: a call while a sync runs waits for the next one, shared by every such call', async () => {
  const folder = tempJournalDir();
  mkdirSync(folder, { recursive: true });
  const first = syncSharedFolderAsync(folder);
  // A folder made now may have been missed by the sync already under way, so this call gets a later one.
  mkdirSync(join(folder, 'run-a'));
  const second = syncSharedFolderAsync(folder);
  mkdirSync(join(folder, 'run-b'));
  const third = syncSharedFolderAsync(folder);
  assert.is.not(second, first);
  assert.is(third, second);
  let firstDone = false;
  void first.then(() => (firstDone = true));
  await second;
  assert.ok(firstDone, 'the shared sync ends after the one it waited for');
  // Once every sync has ended, the next call starts its own.
  const fourth = syncSharedFolderAsync(folder);
  assert.is.not(fourth, second);
  await fourth;
});

test('syncSharedFolderAsync: a folder that cannot be opened resolves all the same (as syncFolderAsync: unsupported platforms)', async () => {
  const missing = join(tempJournalDir(), 'not-there');
  await Promise.all([syncSharedFolderAsync(missing), syncSharedFolderAsync(missing)]);
});

test.run();
