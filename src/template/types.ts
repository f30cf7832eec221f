/** What templates can read. A data-driven run adds `row`; inside a playbook, `inputs` holds what the call gave. */
export interface TemplateContext {
  vars: Record<string, unknown>;
  env: Record<string, string | undefined>;
  steps: Record<string, unknown>;
  /** `status`: how the run (inside a playbook, the playbook's steps) has gone so far: passed, failed or interrupted. */
  run: { id: string; started_at: string; status?: string };
  [scope: string]: unknown;
}

/** A reference found in a template, e.g. `steps.identity.id` -> ['steps', 'identity', 'id']. */
export interface TemplateReference {
  path: string[];
  /** True for the first argument of `default`, which may be missing by design. */
  optional: boolean;
  /** 1-based line and column inside the template string. */
  line: number;
  col: number;
}

export interface TemplateProblem {
  /** TEMPLATE_SYNTAX, UNKNOWN_HELPER, TEMPLATE_PARTIAL, TEMPLATE_DECORATOR, ... */
  code: string;
  message: string;
  line: number;
  col: number;
}

export interface TemplateAnalysis {
  /** False when the string has no `{{`; such strings are used as they are. */
  isTemplate: boolean;
  /** True when the whole string is one expression, so rendering keeps the value's JSON type. */
  isSingleExpression: boolean;
  references: TemplateReference[];
  problems: TemplateProblem[];
}
