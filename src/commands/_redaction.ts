import type { Plan } from '../engine/plan.js';
import { UsageError } from '../errors.js';
import type { Redactor } from '../report/redact.js';
import type { Workflow } from '../workflow/index.js';

/** What a workflow and every playbook it calls declare should never be shown: `redact:` and `secrets:`. */
export interface DeclaredRedaction {
  /** Every file's `redact:` entries. */
  paths: string[];
  /** The values of every file's `secrets:`: the workflow's from the run's vars, a playbook's from its own `vars:`. */
  secrets: unknown[];
}

/** The workflow and each playbook reached from it, once each, the workflow first. */
const filesOf = (workflow: Workflow): Workflow[] => {
  const seen = new Set<Workflow>();
  const visit = (file: Workflow): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const playbook of file.playbooks?.values() ?? []) visit(playbook);
  };
  visit(workflow);
  return [...seen];
};

/**
 * Collects `redact:` and `secrets:` from the workflow and every playbook it calls, so that a playbook's
 * secret is masked like the workflow's own. Throws UNKNOWN_SECRET_VAR (exit 2) for a name its file
 * does not declare under `vars:`, before anything is sent.
 */
export const declaredRedaction = (workflow: Workflow, plan: Plan): DeclaredRedaction => {
  const paths: string[] = [];
  const secrets: unknown[] = [];
  for (const file of filesOf(workflow)) {
    paths.push(...(file.spec.redact ?? []));
    // The workflow's vars are the run's (`--var` wins over the default); a playbook's are its own defaults.
    const vars = file === workflow ? plan.vars : (file.spec.vars ?? {});
    for (const name of file.spec.secrets ?? []) {
      if (!Object.hasOwn(vars, name)) throw new UsageError('UNKNOWN_SECRET_VAR', `secrets: lists '${name}', which is not declared under vars: in ${file.file}`);
      secrets.push(vars[name]);
    }
  }
  return { paths, secrets };
};

/**
 * Teaches the redactor everything a run of `plan` should mask before anything about it is printed: the
 * declared paths and secrets, and the values written under sensitive keys in vars and step inputs.
 */
export const teachRedactor = (redactor: Redactor, declared: DeclaredRedaction, plan: Plan): void => {
  redactor.addPaths(declared.paths);
  for (const secret of declared.secrets) redactor.addSecret(secret);
  redactor.capture(plan.vars);
  for (const step of plan.steps) {
    if (step.call) {
      redactor.capture(step.call.vars);
      redactor.capture(step.call.with);
    } else redactor.capture(step.with);
  }
};
