import { loadWorkflow, validateWorkflow } from '../src/workflow/index.js';
import type { Workflow } from '../src/workflow/index.js';

/** Loads and validates a workflow from YAML text; throws with every diagnostic if it is invalid. */
export const workflowFrom = (yaml: string, file = 'test.yaml'): Workflow => {
  const { workflow, diagnostics } = validateWorkflow(loadWorkflow(yaml, file), file);
  if (!workflow) {
    throw new Error(`invalid test workflow:\n${diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('\n')}`);
  }
  return workflow;
};

/** `id:status` per step (`:restored` for a step a resume restored), for compact assertions on outcomes. */
export const stepStatuses = (steps: ReadonlyArray<{ id: string; status: string; restored?: boolean }>): string[] =>
  steps.map((step) => `${step.id}:${step.status}${step.restored ? ':restored' : ''}`);
