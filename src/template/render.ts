import { isTemplateError, TemplateError } from '../errors.js';
import { parseAndAnalyze, type ParsedTemplate } from './analyze.js';
import { evaluateCall, renderProgram, topFrame } from './evaluate.js';
import { lookupInContext } from './scope.js';
import type { TemplateContext } from './types.js';

/**
 * Renders every string leaf of a parsed YAML value on its own and returns a new structure: the result
 * shares no object with `value` or `context`. A leaf that is a single expression (`"{{steps.x.items}}"`)
 * becomes the referenced value with its JSON type; any other template becomes a string; a string without
 * `{{` is kept as it is. Object keys are never rendered.
 * @throws TemplateError for the first leaf that cannot be rendered.
 */
export function renderValue(value: unknown, context: TemplateContext): unknown {
  return renderAt(value, context, []);
}

/** renderValue with the path of the current leaf, which a failure carries so it can be located in the file. */
function renderAt(value: unknown, context: TemplateContext, path: Array<string | number>): unknown {
  if (typeof value === 'string') {
    try {
      return renderTemplate(value, context);
    } catch (error) {
      if (!isTemplateError(error) || error.path !== undefined) throw error;
      throw new TemplateError(error.code, error.message, { ...positionOf(error), path: [...path] });
    }
  }
  if (Array.isArray(value)) return value.map((item, index) => renderAt(item, context, [...path, index]));
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a `__proto__` key stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderAt(item, context, [...path, key])]));
  }
  return value;
}

const positionOf = (error: TemplateError): { line?: number; col?: number } => ({
  ...(error.line === undefined ? {} : { line: error.line }),
  ...(error.col === undefined ? {} : { col: error.col }),
});

/**
 * Renders one string leaf: a single expression yields the value with its type (a deep copy), any other
 * template yields a string, and a string without `{{` is returned as it is.
 * @throws TemplateError with the template's first problem, or a render failure.
 */
export function renderTemplate(source: string, context: TemplateContext): unknown {
  const parsed = prepare(source, context);
  if (parsed === undefined) return source;
  return guard(() => {
    const [only] = parsed.program?.body ?? [];
    if (parsed.isSingleExpression && only?.type === 'MustacheStatement') {
      return copyData(evaluateCall(only, topFrame(context)));
    }
    return renderProgram(parsed.program, topFrame(context));
  });
}

/**
 * Renders a template to text, even when it is a single expression: numbers and booleans become their
 * JSON text; `null`, objects and lists are errors (`TEMPLATE_NOT_TEXT`).
 * @throws TemplateError with the template's first problem, or a render failure.
 */
export function renderString(source: string, context: TemplateContext): string {
  const parsed = prepare(source, context);
  if (parsed === undefined) return source;
  return guard(() => renderProgram(parsed.program, topFrame(context)));
}

/**
 * The parsed template after the checks that run before rendering: no problems, and every reference into
 * a scope exists (all of them, also those in branches that will not render), so the error names the path.
 * Only the first argument of `default` may be missing. Undefined when `source` is not a template.
 */
function prepare(source: string, context: TemplateContext): ParsedTemplate | undefined {
  const parsed = parseAndAnalyze(source);
  if (!parsed.isTemplate) return undefined;
  const [problem] = parsed.problems;
  if (problem) throw new TemplateError(problem.code, problem.message, { line: problem.line, col: problem.col });
  for (const reference of parsed.references) {
    if (reference.optional) continue;
    const found = lookupInContext(context, reference.path);
    if (!found.found) throw new TemplateError('TEMPLATE_MISSING_VALUE', found.message, { line: reference.line, col: reference.col });
  }
  return parsed;
}

/**
 * Turns an unexpected failure into a TemplateError. The original is dropped rather than kept as `cause`:
 * it was raised while handling user data, and `util.inspect` prints causes.
 */
function guard<T>(render: () => T): T {
  try {
    return render();
  } catch (error) {
    if (isTemplateError(error)) throw error;
    throw new TemplateError('TEMPLATE_RENDER_FAILED', 'The template could not be rendered.');
  }
}

/** A deep copy of plain data (objects, lists, scalars), so no object is shared with the context. */
function copyData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyData);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyData(item)]));
  }
  return value;
}
