import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { DIAGNOSTIC_CODES, diagnosticCodeList, diagnosticCodesMarkdown, YAML_CODES, yamlCode } from '../../src/workflow/codes.js';

const codes = suite('diagnostic codes');

codes('every code has a one-line explanation', () => {
  const list = diagnosticCodeList();
  assert.ok(list.length >= 40);
  for (const { code, summary } of list) {
    assert.match(code, /^[A-Z][A-Z0-9_]*$/);
    assert.ok(summary.length > 10 && !summary.includes('\n'), code);
  }
});

codes('docs/error-codes.md lists every code and is up to date', () => {
  const expected = diagnosticCodesMarkdown();
  for (const { code } of diagnosticCodeList()) assert.ok(expected.includes(`| \`${code}\` |`), code);
  assert.ok(readFileSync('docs/error-codes.md', 'utf8') === expected, 'docs/error-codes.md is stale: run `npm run generate`');
});

codes('every yaml error code has a YAML_ code, and unknown ones fall back to YAML_ERROR', () => {
  const yamlErrorCodes = [
    'ALIAS_PROPS', 'BAD_ALIAS', 'BAD_DIRECTIVE', 'BAD_DQ_ESCAPE', 'BAD_INDENT', 'BAD_PROP_ORDER', 'BAD_SCALAR_START',
    'BLOCK_AS_IMPLICIT_KEY', 'BLOCK_IN_FLOW', 'DUPLICATE_KEY', 'IMPOSSIBLE', 'KEY_OVER_1024_CHARS', 'MISSING_CHAR',
    'MULTILINE_IMPLICIT_KEY', 'MULTIPLE_ANCHORS', 'MULTIPLE_DOCS', 'MULTIPLE_TAGS', 'NON_STRING_KEY', 'RESOURCE_EXHAUSTION',
    'TAB_AS_INDENT', 'TAG_RESOLVE_FAILED', 'UNEXPECTED_TOKEN', 'BAD_COLLECTION_TYPE',
  ];
  for (const code of yamlErrorCodes) assert.is(yamlCode(code), `YAML_${code}`);
  assert.is(yamlCode('SOMETHING_NEW'), 'YAML_ERROR');
  for (const code of Object.keys(YAML_CODES)) assert.ok(code in DIAGNOSTIC_CODES);
});

codes.run();
