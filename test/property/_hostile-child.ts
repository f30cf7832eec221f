/**
 * Child process of hostile.test.ts: loads and validates hostile inputs (deep nesting, huge files, endless
 * template braces) after a few ordinary parses, printing one JSON line per input with the codes it got,
 * then `{"done":true}`. A crash of the process (yaml's deep-nesting abort is one) leaves the line missing
 * and a non-zero exit. Arguments: a temporary folder. Runs only with PAXFLOW_TEST_CHILD=1, so that a
 * test runner importing every file under test/ does nothing with it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTemplateError } from '../../src/errors.js';
import { analyzeTemplate, renderTemplate } from '../../src/template/index.js';
import { loadWorkflow, readWorkflowFile, validateWorkflow } from '../../src/workflow/index.js';

const HEADER = 'version: 1\nname: hostile\nsteps:\n  - id: a\n    uses: assert\n    with:\n      checks:\n        - actual: "1"\n          equals: "1"\n';

/** Each hostile input, as the workflow text (or, for templates, the template) it feeds in. */
const CASES: Record<string, () => string> = {
  'flow lists 10,000 deep': () => `${HEADER}extra: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
  'flow mappings 10,000 deep': () => `${HEADER}extra: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`,
  'block mappings 1,000 deep': () => `${HEADER}${Array.from({ length: 1000 }, (_, depth) => `${' '.repeat(depth)}a:`).join('\n')} 1\n`,
  'compact lists 10,000 deep': () => `${HEADER}extra:\n  ${'- '.repeat(10_000)}x\n`,
  'lists in mappings in lists, 5,000 deep': () => `${HEADER}extra: ${'[{a: '.repeat(5000)}1${'}]'.repeat(5000)}\n`,
  'a 2 MB file': () => `${HEADER}vars:\n${Array.from({ length: 80_000 }, (_, index) => `  v${index}: "${'x'.repeat(14)}"`).join('\n')}\n`,
  'a file just under 1 MiB': () => `${HEADER}vars:\n${Array.from({ length: 36_000 }, (_, index) => `  v${index}: "${'x'.repeat(14)}"`).join('\n')}\n`,
  'aliases of aliases (billion laughs)': () =>
    `${HEADER}extra:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 9 }, (_, level) => `  a${level + 1}: &a${level + 1} [${Array(10).fill(`*a${level}`).join(', ')}]`).join('\n')}\n`,
  '100k {{ in a template': () => `${HEADER.replace('actual: "1"', `actual: "${'{{'.repeat(100_000)}"`)}`,
  '10,000 nested #if blocks': () => `${HEADER.replace('actual: "1"', `actual: "${'{{#if vars.x}}'.repeat(10_000)}${'{{/if}}'.repeat(10_000)}"`)}`,
  '100k parentheses in an expression': () => `${HEADER.replace('actual: "1"', `actual: "{{default ${'('.repeat(100_000)}"`)}`,
};

/** Templates fed to the template functions directly, not through a file. */
const TEMPLATES: Record<string, string> = {
  'template: 100k {{': '{{'.repeat(100_000),
  'template: 10,000 nested #each blocks': `${'{{#each vars.x}}'.repeat(10_000)}${'{{/each}}'.repeat(10_000)}`,
  'template: 10,000 nested subexpressions': `{{default ${'(default '.repeat(10_000)}1${')'.repeat(10_000)} 2}}`,
  'template: 1 MB of text and mustaches': `${'text {{vars.x}} '.repeat(65_000)}`,
};

const print = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

const hostile = async ([dir]: string[]): Promise<void> => {
  // yaml's deep-nesting abort came only after a few ordinary parses in the same process.
  const examples = readdirSync('workflows').filter((name) => name.endsWith('.yaml'));
  for (let round = 0; round < 3; round += 1) {
    for (const name of examples) validateWorkflow(loadWorkflow(readFileSync(join('workflows', name), 'utf8'), name), name);
  }
  for (let round = 0; round < 2; round += 1) {
    for (const [name, make] of Object.entries(CASES)) {
      const source = make();
      const started = Date.now();
      const { diagnostics } = validateWorkflow(loadWorkflow(source, 'hostile.yaml'), 'hostile.yaml');
      print({ case: name, round, bytes: Buffer.byteLength(source), codes: diagnostics.map((d) => d.code), ms: Date.now() - started });
    }
  }
  const file = join(dir!, 'huge.yaml');
  writeFileSync(file, CASES['a 2 MB file']!());
  const read = await readWorkflowFile(file);
  print({ case: 'a 2 MB file on disk', codes: read.diagnostics.map((d) => d.code) });
  for (const [name, source] of Object.entries(TEMPLATES)) {
    const started = Date.now();
    const analysed = analyzeTemplate(source).problems.map((problem) => problem.code);
    let rendered: string;
    try {
      renderTemplate(source, { vars: { x: [1] }, env: {}, steps: {}, run: { id: 'r', started_at: 't' } });
      rendered = 'rendered';
    } catch (error) {
      rendered = isTemplateError(error) ? error.code : `not a TemplateError: ${(error as Error).name}`;
    }
    print({ case: name, codes: [...analysed, rendered], ms: Date.now() - started });
  }
  print({ done: true });
};

if (process.env.PAXFLOW_TEST_CHILD === '1') await hostile(process.argv.slice(2));
