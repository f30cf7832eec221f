/** Writes schemas/workflow.schema.json from the step registry (`npm run generate`). */

import { writeFile } from 'node:fs/promises';
import { stepRegistry } from '../src/steps/registry.js';
import { buildWorkflowSchema, serializeWorkflowSchema } from '../src/workflow/schema.js';

const target = new URL('../schemas/workflow.schema.json', import.meta.url);
await writeFile(target, serializeWorkflowSchema(buildWorkflowSchema(stepRegistry)));
process.stdout.write(`wrote ${target.pathname}\n`);
