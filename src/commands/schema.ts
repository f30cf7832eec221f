import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { stepRegistry } from '../steps/registry.js';
import { buildWorkflowSchema, serializeWorkflowSchema } from '../workflow/index.js';
import { parseCommandArgs } from './_args.js';

export const OPTIONS = {} as const;

export const help = `Usage: paxflow schema

Prints the workflow JSON Schema, the same as schemas/workflow.schema.json in the package. Editors use it
for completion, hover and checks (paxflow init maps it for VS Code).

Options: none

Example:
  paxflow schema > workflow.schema.json
`;

/** `paxflow schema`: the workflow JSON Schema, byte for byte what schemas/workflow.schema.json holds. */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  parseCommandArgs('schema', args, OPTIONS, false);
  io.stdout.write(serializeWorkflowSchema(buildWorkflowSchema(stepRegistry)));
  return EXIT.ok;
};
