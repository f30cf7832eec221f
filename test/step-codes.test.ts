import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { codeForProblem } from '../src/paxos/errors.js';
import { expectableCodes, PAXOS_PROBLEM_SLUGS, STEP_FAILURE_CODES } from '../src/step-codes.js';
import { loadWorkflow, validateWorkflow } from '../src/workflow/index.js';

const validateSource = (yaml: string) => validateWorkflow(loadWorkflow(yaml, 'w.yaml'), 'w.yaml');

const codes = suite('step failure codes: one list for errors, expect: and the docs');

codes('expect: may name the failures of steps and the documented Paxos problems, not the judge\'s own or template errors', () => {
  const expectable = expectableCodes();
  for (const name of ['PAXOS_NOT_FOUND', 'PAXOS_INSUFFICIENT_FUNDS', 'PAXOS_ALREADY_EXISTS', 'IDENTITY_DENIED', 'STEP_TIMEOUT', 'INVALID_STEP_INPUT']) assert.ok(expectable.has(name), name);
  for (const name of ['UNEXPECTED_SUCCESS', 'EXPECTATION_FAILED', 'TEMPLATE_MISSING_VALUE', 'PAXOS_NOT_FUOND']) assert.not.ok(expectable.has(name), name);
  for (const slug of PAXOS_PROBLEM_SLUGS) assert.ok(expectable.has(codeForProblem(409, `https://developer.paxos.com/docs/v2/problems/${slug}`)), slug);
  for (const status of [400, 401, 403, 404, 409, 429, 500, 418]) assert.ok(codeForProblem(status, 'about:blank') in STEP_FAILURE_CODES, String(status));
});

codes('validate refuses a code that is not in the list, with the nearest one', () => {
  const yaml = (code: string) => `version: 1\nname: c\nsteps:\n  - id: a\n    uses: http\n    with: { url: "http://127.0.0.1:9/" }\n    expect:\n      error: { code: ${code} }\n`;
  const bad = validateSource(yaml('IDENTITY_DENEID'));
  assert.equal(bad.diagnostics.map((d) => [d.code, d.line, d.col]), [['EXPECT_UNKNOWN_CODE', 8, 22]]);
  assert.match(bad.diagnostics[0]!.message, /IDENTITY_DENIED/);
  assert.equal(validateSource(yaml('HTTP_NETWORK_ERROR')).diagnostics, []);
});

codes.run();
