import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { stepRegistry } from '../steps/registry.js';
import { buildWorkflowSchema, serializeWorkflowSchema } from '../workflow/index.js';
import { parseCommandArgs } from './_args.js';

/** `paxflow schema`: the workflow JSON Schema, byte for byte what schemas/workflow.schema.json holds. */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  parseCommandArgs('schema', args, {}, false);
  io.stdout.write(serializeWorkflowSchema(buildWorkflowSchema(stepRegistry)));
  return EXIT.ok;
};
