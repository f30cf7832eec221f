import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import type { JsonSchema, StepDefinition } from '../steps/define.js';
import { stepRegistry } from '../steps/registry.js';
import { templateBlockHelpers, templateHelpers } from '../template/index.js';
import { parseCommandArgs } from './_args.js';

interface FieldDoc {
  name: string;
  required: boolean;
  description: string;
  sensitive: boolean;
}

const fields = (schema: JsonSchema): FieldDoc[] => {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    required: required.has(name),
    description: typeof property.description === 'string' ? property.description : '',
    sensitive: property['x-sensitive'] === true,
  }));
};

/** The registry as plain data, for `--json` and generated docs. */
export const describeSteps = (registry: readonly StepDefinition[] = stepRegistry) =>
  registry.map((step) => ({
    type: step.type,
    description: step.description,
    scopes: [...step.scopes],
    sandboxOnly: step.sandboxOnly,
    retrySafe: step.retrySafe,
    inputs: fields(step.input),
    outputs: fields(step.output),
  }));

export const formatSteps = (registry: readonly StepDefinition[] = stepRegistry): string =>
  describeSteps(registry)
    .map((step) => {
      const lines = [`${step.type}${step.sandboxOnly ? '  (sandbox only)' : ''}`, `  ${step.description}`];
      lines.push(`  scopes: ${step.scopes.length > 0 ? step.scopes.join(' ') : '(none)'}`);
      lines.push('  inputs:');
      for (const field of step.inputs) {
        lines.push(`    ${field.name}${field.required ? ' (required)' : ''}${field.sensitive ? ' (sensitive)' : ''}: ${field.description}`);
      }
      lines.push(`  outputs: ${step.outputs.map((field) => field.name).join(', ') || '(none)'}`);
      return lines.join('\n');
    })
    .join('\n\n') + '\n';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/steps.md: the registry and the template helpers as Markdown (`npm run generate` writes it). */
export const stepsMarkdown = (registry: readonly StepDefinition[] = stepRegistry): string => {
  const out = [
    '# Step types',
    '',
    '<!-- Generated from src/steps/registry.ts by `npm run generate`; a test fails when it is stale. -->',
    '',
    'Every step has `id` and `uses`, and may have `name`, `with`, `if`, `timeout`, `retry` and `continue_on_error`',
    '(see the README). `with` holds the inputs below; for Paxos steps it is the Paxos request body itself.',
    'Inputs marked sensitive hold personal data.',
    '',
  ];
  for (const step of describeSteps(registry)) {
    out.push(`## ${step.type}`, '', step.description, '');
    out.push(`- scopes: ${step.scopes.length > 0 ? step.scopes.map((scope) => `\`${scope}\``).join(', ') : 'none'}`);
    out.push(`- sandbox only: ${step.sandboxOnly ? 'yes' : 'no'}`);
    out.push(`- \`retry:\` allowed: ${step.retrySafe ? 'yes' : 'no'}`, '');
    out.push('| input | required | description |', '|---|---|---|');
    for (const field of step.inputs) {
      out.push(`| \`${field.name}\` | ${field.required ? 'yes' : ''} | ${field.sensitive ? '(sensitive) ' : ''}${cell(field.description)} |`);
    }
    out.push('', `Output: ${step.outputs.map((field) => `\`${field.name}\``).join(', ') || 'nothing'}.`, '');
  }
  out.push('## Template helpers', '', '| helper | description |', '|---|---|');
  for (const helper of [...templateHelpers, ...templateBlockHelpers]) out.push(`| \`${cell(helper.signature)}\` | ${cell(helper.description)} |`);
  return `${out.join('\n')}\n`;
};

export const OPTIONS = { json: { type: 'boolean' } } as const;

export const help = `Usage: paxflow steps [--json]

Lists every step type a workflow can use (uses:), with its inputs (with:), outputs (steps.<id>.*),
OAuth scopes and whether it exists only in the sandbox; then the template helpers.

Options:
  --json    the same as JSON

Example:
  paxflow steps --json
`;

/** `paxflow steps [--json]`: every step type with inputs, outputs and scopes. */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values } = parseCommandArgs('steps', args, OPTIONS, false);
  io.stdout.write(values.json ? `${JSON.stringify(describeSteps(), null, 2)}\n` : formatSteps());
  return EXIT.ok;
};
