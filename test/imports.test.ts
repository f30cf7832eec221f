import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

// The emulator is an independent implementation of the API: a mistake in the client must not hide behind
// the same mistake in the emulator. So neither side imports the other, statically or lazily; the layer
// that opens a session (src/commands) is the one that starts the emulator for --target local.
const imports = suite('folder import rules');

const FORBIDDEN: Record<string, string[]> = {
  'src/sandbox': ['src/paxos', 'src/steps', 'src/engine'],
  'src/paxos': ['src/sandbox'],
  'src/steps': ['src/sandbox'],
  'src/engine': ['src/sandbox'],
};

const filesUnder = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));

// `from '...'`, `import '...'` and `import('...')`, type-only imports included.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Each relative import of a file, as the folder under the repository it lands in. */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].map((match) => relative('.', resolve(dirname(file), match[1]!)));

imports('the rule sees static, type-only and lazy imports', () => {
  assert.equal(importsOf('src/commands/_target.ts').filter((path) => path.startsWith('src/sandbox')), ['src/sandbox/index.js', 'src/sandbox/index.js']);
});

for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
  imports(`${folder} imports nothing from ${forbidden.join(', ')}`, () => {
    const broken = filesUnder(folder).flatMap((file) =>
      importsOf(file)
        .filter((target) => forbidden.some((no) => target === no || target.startsWith(`${no}/`)))
        .map((target) => `${file} -> ${target}`),
    );
    assert.equal(broken, []);
  });
}

imports.run();
