import { SECRET_FIELDS } from '../report/redact.js';
import { sensitiveFieldNames } from '../steps/sensitive.js';

/** What the journal leaves out of step outputs besides the fields the step schemas mark as personal. */
export interface JournalRedaction {
  /** More fields to leave out: names (`account_number`) or dotted paths (`person_details.nationality`), like a workflow's `redact:`. */
  fields?: Iterable<string>;
  /** Secret values (vars listed under `secrets:`, the client secret): a text holding one is left out. */
  secrets?: Iterable<unknown>;
}

/** An output as the journal keeps it, and the paths (`person_details.email`, `items.0.cip_id`) left out of it. */
export interface FilteredOutput {
  value: unknown;
  dropped: string[];
}

/** Texts shorter than this are not matched as secrets: too many ordinary values would contain them. */
const MIN_SECRET_LENGTH = 4;

const secretTexts = (value: unknown, found: Set<string>): Set<string> => {
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    if (text.length >= MIN_SECRET_LENGTH) found.add(text);
  } else if (Array.isArray(value)) for (const item of value) secretTexts(item, found);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) secretTexts(item, found);
  return found;
};

/**
 * Makes the filter the journal passes every output through: a JSON copy without the fields marked
 * personal in the step schemas (`names`), credential fields (`authorization`, `access_token`, ...), the
 * extra `fields`, and any text holding a secret, at any depth. Left-out fields are dropped, not masked,
 * so a restored output never carries a placeholder into a later request; their paths are returned so
 * that a resume can refuse a step that reads one.
 */
export const createOutputFilter = (options: JournalRedaction = {}, names: ReadonlySet<string> = sensitiveFieldNames()) => {
  const byName = new Set([...SECRET_FIELDS, ...[...(options.fields ?? [])].filter((field) => !field.includes('.'))].map((name) => name.toLowerCase()));
  const byPath = [...(options.fields ?? [])].filter((field) => field.includes('.')).map((field) => field.toLowerCase().split('.'));
  const secrets = [...secretTexts([...(options.secrets ?? [])], new Set())];
  /** Whether the field at `path` is left out; `lower` is the same path lower-cased. */
  const leaveOut = (path: readonly string[], lower: readonly string[]): boolean => {
    const key = path.at(-1)!;
    if (names.has(key) || byName.has(lower.at(-1)!)) return true;
    return byPath.some((suffix) => suffix.length <= lower.length && suffix.every((part, i) => lower[lower.length - suffix.length + i] === part));
  };
  const holdsSecret = (value: unknown): boolean =>
    (typeof value === 'string' || typeof value === 'number') && secrets.some((secret) => String(value).includes(secret));

  return (output: unknown): FilteredOutput => {
    const dropped: string[] = [];
    // One path (and its lower-cased twin), pushed and popped as the walk goes: every step's output of
    // every row passes through here, and a copy of the path per key was most of what a batch allocated.
    const path: string[] = [];
    const lower: string[] = [];
    const copy = (value: unknown): unknown => {
      if (holdsSecret(value)) {
        dropped.push(path.join('.'));
        return undefined;
      }
      if (Array.isArray(value)) {
        return value.map((item, index) => {
          path.push(String(index));
          lower.push(String(index));
          const kept = copy(item) ?? null;
          path.pop();
          lower.pop();
          return kept;
        });
      }
      if (value !== null && typeof value === 'object') {
        const result: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          const item = (value as Record<string, unknown>)[key];
          path.push(key);
          lower.push(key.toLowerCase());
          if (leaveOut(path, lower)) {
            if (item !== undefined) dropped.push(path.join('.'));
          } else {
            const kept = copy(item);
            // defineProperty: a `__proto__` key from an API answer stays a plain key.
            if (kept !== undefined) Object.defineProperty(result, key, { value: kept, enumerable: true, writable: true, configurable: true });
          }
          path.pop();
          lower.pop();
        }
        return result;
      }
      if (typeof value === 'number' && !Number.isFinite(value)) return null;
      return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint' ? undefined : value;
    };
    return { value: copy(output), dropped };
  };
};

/** The output without personal or credential fields, as the journal keeps it. */
export const withoutSensitive = (value: unknown, names: ReadonlySet<string> = sensitiveFieldNames()): unknown =>
  createOutputFilter({}, names)(value).value;
