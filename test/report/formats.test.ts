import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunResult } from '../../src/engine/results.js';
import { annotation, annotationPath, escapeCommandData, escapeCommandProperty } from '../../src/report/github.js';
import { junitXml } from '../../src/report/junit.js';
import { xmlAttribute, xmlText } from '../../src/report/xml.js';
import { parseJunit } from './_reports.js';

const formats = suite('formats: XML and GitHub workflow commands');

const NASTY = 'a<b>&"c\' ]]> \u0001\u0008\u000b\uFFFE\uD800 tab\there\nline two 😀';

formats('XML: markup escaped, characters XML 1.0 forbids dropped, the rest kept', () => {
  assert.is(xmlText('a<b>&c'), 'a&lt;b&gt;&amp;c');
  assert.is(xmlText('x\u0001\u001f\uFFFF\uDFFFy 😀\t\n'), 'xy 😀\t\n');
  assert.is(xmlAttribute('"\'\n\r\t'), '&quot;&apos;&#10;&#13;&#9;');
});

formats('JUnit: a message with markup, control characters and line breaks parses back to the same text', () => {
  const result: RunResult = {
    runId: 'r1',
    file: 'w&<>.yaml',
    name: NASTY,
    target: { name: 'local', apiUrl: 'http://127.0.0.1:1/v2' },
    status: 'failed',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    steps: [
      { id: 'one', name: NASTY, uses: 'http', status: 'failed', durationMs: 5, attempts: 1, error: { code: 'HTTP_UNEXPECTED_STATUS', message: NASTY }, exchanges: [], polls: [] },
    ],
  };
  const suiteNode = parseJunit(junitXml(result)).testsuites.testsuite[0]!;
  const clean = NASTY.replace(/[\u0001\u0008\u000b\uFFFE\uD800]/g, '');
  assert.is(suiteNode.name, clean);
  assert.is(suiteNode.time, '1.234');
  assert.is(suiteNode.testcase[0]!.name, `one: ${clean}`);
  assert.is(suiteNode.testcase[0]!.failure?.message, clean);
  assert.ok(suiteNode.testcase[0]!.failure?.['#text']?.startsWith(`HTTP_UNEXPECTED_STATUS ${clean}`));
});

formats('GitHub: % CR LF escaped in messages; also : and , in properties', () => {
  assert.is(escapeCommandData('50%\r\nnext::x'), '50%25%0D%0Anext::x');
  assert.is(escapeCommandProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  const line = annotation(
    { id: 'one', uses: 'http', status: 'failed', line: 3, col: 5, durationMs: 1, attempts: 1, error: { code: 'X_Y', message: 'bad\n::set-output name=x::y', line: 9, col: 2 }, exchanges: [], polls: [] },
    'dir/w,1.yaml',
  );
  assert.is(line, '::error file=dir/w%2C1.yaml,line=9,col=2,title=X_Y::one: bad%0A::set-output name=x::y\n');
  assert.is(annotation({ id: 'ok', uses: 'http', status: 'passed', durationMs: 1, attempts: 1, exchanges: [], polls: [] }, 'w.yaml'), undefined);
  assert.is(annotationPath('/repo/flows/a.yaml', '/elsewhere', '/repo'), 'flows/a.yaml');
  assert.is(annotationPath('flows/a.yaml', '/repo'), 'flows/a.yaml');
});

formats.run();
