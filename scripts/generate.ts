/** Writes the files generated from the step registry (`npm run generate`): the workflow schema, docs/steps.md and docs/error-codes.md. */

import { writeFile } from 'node:fs/promises';
import { stepsMarkdown } from '../src/commands/steps.js';
import { stepRegistry } from '../src/steps/registry.js';
import { diagnosticCodesMarkdown } from '../src/workflow/codes.js';
import { buildWorkflowSchema, serializeWorkflowSchema } from '../src/workflow/schema.js';

const outputs: Array<[URL, string]> = [
  [new URL('../schemas/workflow.schema.json', import.meta.url), serializeWorkflowSchema(buildWorkflowSchema(stepRegistry))],
  [new URL('../docs/steps.md', import.meta.url), stepsMarkdown(stepRegistry)],
  [new URL('../docs/error-codes.md', import.meta.url), diagnosticCodesMarkdown()],
];
for (const [target, text] of outputs) {
  await writeFile(target, text);
  process.stdout.write(`wrote ${target.pathname}\n`);
}
