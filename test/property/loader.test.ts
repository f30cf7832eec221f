import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planWorkflow } from '../../src/engine/plan.js';
import { isPaxflowError, type Diagnostic } from '../../src/errors.js';
import { loadWorkflow, validateWorkflow } from '../../src/workflow/index.js';
import { CODE, editedExample, generatedYaml, yamlishText } from './_arbitraries.js';

// Whatever text a workflow file holds, loading and validating it gives a result or coded diagnostics
// placed inside the text: never an exception. Inputs that could exhaust the process (deep nesting,
// huge files) are in hostile.test.ts, in a child process.

const RUNS = 400;

/** Every rule a diagnostic must keep, as text for the assertion; empty when it keeps them. */
const badDiagnostics = (source: string, diagnostics: readonly Diagnostic[]): string[] => {
  const lines = source.split(/\r\n|\r|\n/);
  return diagnostics.flatMap((d) => {
    const problems: string[] = [];
    if (!CODE.test(d.code)) problems.push(`code ${JSON.stringify(d.code)}`);
    if (typeof d.message !== 'string' || d.message === '') problems.push(`${d.code} without a message`);
    if (d.file !== 'w.yaml') problems.push(`${d.code} names the file ${JSON.stringify(d.file)}`);
    if (d.line !== undefined && !(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines.length)) {
      problems.push(`${d.code} at line ${d.line} of ${lines.length}`);
    }
    if (d.col !== undefined && !(Number.isInteger(d.col) && d.col >= 1)) problems.push(`${d.code} at column ${d.col}`);
    return problems;
  });
};

/** loadWorkflow then validateWorkflow: each result is checked, an exception fails the property. */
const loadsCleanly = (source: string): void => {
  const loaded = loadWorkflow(source, 'w.yaml');
  assert.equal(badDiagnostics(source, loaded.diagnostics), [], 'loadWorkflow');
  const validated = validateWorkflow(loaded, 'w.yaml');
  assert.equal(badDiagnostics(source, validated.diagnostics), [], 'validateWorkflow');
  const errors = validated.diagnostics.filter((d) => (d.severity ?? 'error') === 'error');
  assert.is(validated.workflow === undefined, errors.length > 0, 'a workflow exactly when there is no error');
  if (loaded.value !== undefined) {
    assert.is(Object.getPrototypeOf(loaded.value), Object.prototype, 'the data keeps the plain prototype');
  }
  if (validated.workflow === undefined) return;
  try {
    planWorkflow(validated.workflow);
  } catch (error) {
    // A workflow that passed validation may still be refused by the planner, but only with a code.
    assert.ok(isPaxflowError(error) && CODE.test(error.code), `planWorkflow threw ${String(error)}`);
  }
};

const loader = suite('property: the loader and validator on any input');

loader('any text: a result or coded diagnostics inside the text, never an exception', () => {
  fc.assert(fc.property(yamlishText, loadsCleanly), { numRuns: RUNS, seed: 4242 });
});

loader('YAML written from generated data (forbidden keys, anchors and aliases, random edits): the same', () => {
  fc.assert(fc.property(generatedYaml, loadsCleanly), { numRuns: RUNS, seed: 1717 });
});

loader('the repository\'s workflows after random edits: the same, and a valid result plans or is refused with a code', () => {
  fc.assert(fc.property(editedExample, loadsCleanly), { numRuns: RUNS, seed: 31337 });
});

loader('__proto__, constructor and prototype keys at any depth are refused, and pollute nothing', () => {
  fc.assert(
    fc.property(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.nat({ max: 6 }), (key, depth) => {
      const nested = `${'  '.repeat(depth)}${key}: { polluted: true }`;
      const source = `version: 1\nname: n\nsteps: []\n${Array.from({ length: depth }, (_, level) => `${'  '.repeat(level)}k${level}:`).join('\n')}\n${nested}\n`;
      const { diagnostics } = validateWorkflow(loadWorkflow(source, 'w.yaml'), 'w.yaml');
      assert.ok(diagnostics.some((d) => d.code === 'FORBIDDEN_KEY'), diagnostics.map((d) => d.code).join(', '));
      assert.is(({} as Record<string, unknown>).polluted, undefined);
    }),
    { numRuns: 50, seed: 99 },
  );
});

loader.run();
