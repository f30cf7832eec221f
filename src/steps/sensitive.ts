import type { JsonSchema, StepDefinition } from './define.js';
import { stepRegistry } from './registry.js';

const SENSITIVE = 'x-sensitive';

/** Names of every property marked `x-sensitive` anywhere in `schema` (properties, items, maps, combinators). */
const collect = (schema: unknown, found: Set<string>): Set<string> => {
  if (Array.isArray(schema)) {
    for (const item of schema) collect(item, found);
    return found;
  }
  if (schema === null || typeof schema !== 'object') return found;
  const node = schema as JsonSchema;
  if (node.properties && typeof node.properties === 'object') {
    for (const [name, property] of Object.entries(node.properties as Record<string, unknown>)) {
      if (property && typeof property === 'object' && (property as JsonSchema)[SENSITIVE] === true) found.add(name);
    }
  }
  for (const [key, child] of Object.entries(node)) {
    if (key !== 'description' && key !== 'enum' && key !== 'const') collect(child, found);
  }
  return found;
};

const cache = new WeakMap<readonly StepDefinition[], ReadonlySet<string>>();

/**
 * The field names that hold personal data, from the `x-sensitive` marks of every step type's input and
 * output schemas (`cip_id`, `date_of_birth`, `email`, ...). Redaction masks these names wherever they
 * appear, and the run journal never stores them.
 */
export const sensitiveFieldNames = (registry: readonly StepDefinition[] = stepRegistry): ReadonlySet<string> => {
  let names = cache.get(registry);
  if (!names) {
    names = registry.reduce((found, step) => collect(step.output, collect(step.input, found)), new Set<string>());
    cache.set(registry, names);
  }
  return names;
};
