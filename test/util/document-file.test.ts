import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_DOCUMENT_BYTES, inspectDocumentFile } from '../../src/util/document-file.js';

const test = suite('inspectDocumentFile');
const dir = mkdtempSync(join(tmpdir(), 'paxflow-document-file-'));

const file = (name: string, bytes: Buffer | string): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

test('PDF, PNG and JPG are told by their first bytes, whatever the name says', async () => {
  assert.equal(await inspectDocumentFile(file('a.bin', '%PDF-1.7\n')), { ok: true, size: 9, mediaType: 'application/pdf', label: 'PDF' });
  assert.equal(await inspectDocumentFile(file('b.pdf', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]))), { ok: true, size: 9, mediaType: 'image/png', label: 'PNG' });
  assert.equal(await inspectDocumentFile(file('c.png', Buffer.from([0xff, 0xd8, 0xff, 0xdb]))), { ok: true, size: 4, mediaType: 'image/jpeg', label: 'JPG' });
  assert.is((await inspectDocumentFile(file('d.pdf', 'GIF89a'))).ok, false);
  assert.is((await inspectDocumentFile(file('e.png', Buffer.from([0x89, 0x50, 0x4e])))).ok, false, 'a PNG signature cut short');
});

test('a file of 100 MB or more is too large; one byte less is fine (sparse files, nothing is read)', async () => {
  const sized = (name: string, size: number): string => {
    const path = file(name, '%PDF-');
    // Growing a file with truncate makes it sparse: the zeros take no disk.
    truncateSync(path, size);
    return path;
  };
  const under = await inspectDocumentFile(sized('under.pdf', MAX_DOCUMENT_BYTES));
  assert.equal(under.ok && under.size, MAX_DOCUMENT_BYTES);
  const over = await inspectDocumentFile(sized('over.pdf', MAX_DOCUMENT_BYTES + 1));
  assert.equal(over.ok ? 'ok' : over.code, 'DOCUMENT_FILE_TOO_LARGE');
});

test.run();
