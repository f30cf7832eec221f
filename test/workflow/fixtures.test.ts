import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DIAGNOSTIC_CODES } from '../../src/workflow/codes.js';
import { readWorkflowFile } from '../../src/workflow/read.js';

/**
 * Golden files: every file under test/fixtures/invalid starts with `# expect: CODE line:col` lines, one per
 * diagnostic; the set of codes and positions must match exactly. A diagnostic in a playbook the file
 * calls names that file, as diagnostics do: `# expect: CODE playbooks/x.yaml:line:col` (the playbooks
 * the fixtures call live in test/fixtures/playbooks/). Files under test/fixtures/valid must produce no
 * diagnostic. New files are picked up on their own.
 */
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const EXPECT = /^# expect: ([A-Z][A-Z0-9_]*) (?:(\S+):)?(\d+):(\d+)[ \t]*$/gm;
const FAKE_SSN = /\b9\d{2}-\d{2}-\d{4}\b|\b\d{3}-\d{2}-\d{4}\b/g;

const listFixtures = (kind: 'invalid' | 'valid'): string[] =>
  readdirSync(`${fixtures}${kind}`).filter((name) => name.endsWith('.yaml')).sort();

/** Values a message must never repeat: every cip_id in the file and anything shaped like an SSN. */
const sensitiveValues = (text: string): string[] => {
  const values = [...text.matchAll(/\bcip_id:[ \t]*["']?([^"'\n#]+?)["']?[ \t]*(?:#.*)?$/gm)].map((match) => match[1]!.trim());
  return [...new Set([...values, ...(text.match(FAKE_SSN) ?? [])])].filter((value) => value.length >= 4 && !value.includes('{{'));
};

const golden = suite('workflow fixtures');

for (const name of listFixtures('invalid')) {
  golden(`invalid/${name}`, async () => {
    const file = `invalid/${name}`;
    const text = readFileSync(`${fixtures}${file}`, 'utf8');
    const expected = [...text.matchAll(EXPECT)].map((match) => `${match[1]} ${match[2] ?? file}:${match[3]}:${match[4]}`).sort();
    assert.ok(expected.length > 0, `${file} has no "# expect: CODE line:col" line`);
    for (const line of expected) assert.ok(line.split(' ')[0]! in DIAGNOSTIC_CODES, `${file}: ${line} uses a code that codes.ts does not list`);

    const { workflow, diagnostics } = await readWorkflowFile(file, { cwd: fixtures });
    const actual = diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.col}`).sort();
    assert.equal(actual, expected, `${file}: diagnostics differ`);
    assert.is(workflow, undefined);
    for (const diagnostic of diagnostics) {
      assert.ok(diagnostic.message.length > 0);
      for (const value of sensitiveValues(text)) {
        assert.not.ok(diagnostic.message.includes(value), `${file}: a ${diagnostic.code} message repeats a sensitive value`);
      }
    }
  });
}

for (const name of listFixtures('valid')) {
  golden(`valid/${name}`, async () => {
    const file = `valid/${name}`;
    const { workflow, diagnostics } = await readWorkflowFile(file, { cwd: fixtures });
    assert.equal(diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`), []);
    assert.ok(workflow);
    assert.is(workflow.file, file);
  });
}

golden('there are at least 35 invalid and 3 valid fixtures', () => {
  assert.ok(listFixtures('invalid').length >= 35);
  assert.ok(listFixtures('valid').length >= 3);
});

golden.run();
