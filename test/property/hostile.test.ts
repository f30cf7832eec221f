import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runJsonLinesChild } from '../_child.js';

// Inputs that could take the whole process down (yaml's deep-nesting abort cannot be caught) or keep it
// busy for minutes are fed to the loader, the validator and the templates in a child process
// (_hostile-child.ts), which must exit normally after printing the coded diagnostic each one got.

/** What each input must end with: every code listed, and no other code. */
const EXPECTED: Record<string, string[]> = {
  'flow lists 10,000 deep': ['NESTING_TOO_DEEP'],
  'flow mappings 10,000 deep': ['NESTING_TOO_DEEP'],
  'block mappings 1,000 deep': ['NESTING_TOO_DEEP'],
  'compact lists 10,000 deep': ['NESTING_TOO_DEEP'],
  'lists in mappings in lists, 5,000 deep': ['NESTING_TOO_DEEP'],
  'a 2 MB file': ['FILE_TOO_LARGE'],
  'a file just under 1 MiB': [],
  'aliases of aliases (billion laughs)': ['ALIAS_LIMIT'],
  '100k {{ in a template': ['TEMPLATE_SYNTAX'],
  '10,000 nested #if blocks': ['TEMPLATE_SYNTAX'],
  '100k parentheses in an expression': ['TEMPLATE_SYNTAX'],
  'a 2 MB file on disk': ['FILE_TOO_LARGE'],
  'template: 100k {{': ['TEMPLATE_SYNTAX'],
  'template: 10,000 nested #each blocks': ['TEMPLATE_SYNTAX'],
  'template: 10,000 nested subexpressions': ['TEMPLATE_SYNTAX'],
  'template: 1 MB of text and mustaches': ['TEMPLATE_NOT_TEXT'],
};
/** No input may take longer: a quadratic path on 100k characters takes tens of seconds. */
const MAX_MS = 15_000;

interface Line {
  case?: string;
  codes?: string[];
  ms?: number;
  done?: boolean;
}

const hostile = suite('property: hostile inputs in a child process');

hostile('deep nesting, huge files and endless braces end with a coded diagnostic, and the process exits normally', async () => {
  const { code, signal, stderr, lines } = await runJsonLinesChild<Line>('test/property/_hostile-child.ts', [mkdtempSync(join(tmpdir(), 'paxflow-hostile-'))]);
  const reached = lines.filter((line) => line.case !== undefined).at(-1)?.case;
  assert.equal([code, signal], [0, null], `the child ended with ${code ?? signal} after "${reached}"\n${stderr.slice(-2000)}`);
  assert.ok(lines.at(-1)?.done, 'the child got through every input');

  for (const [name, expected] of Object.entries(EXPECTED)) {
    const seen = lines.filter((line) => line.case === name);
    assert.ok(seen.length > 0, `no result for "${name}"`);
    for (const line of seen) {
      assert.equal([...new Set(line.codes)].sort(), expected, name);
      assert.ok((line.ms ?? 0) < MAX_MS, `"${name}" took ${line.ms} ms`);
    }
  }
});

hostile.run();
