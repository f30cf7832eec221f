import { createRedactor, REDACTED, SECRET_FIELDS, type Redactor } from './redact.js';

/** Options of {@link createUnitRedactor}. */
export interface UnitRedactorOptions {
  /** The personal-data field names (`sensitiveFieldNames()`). */
  fields: Iterable<string>;
  /** The workflow's `redact:` entries. */
  paths?: Iterable<string>;
}

const secretFields = new Set(SECRET_FIELDS);

/** Values under credential fields (`access_token`, `authorization`, ...) at any depth. */
const secretValues = (value: unknown, found: unknown[] = [], depth = 0): unknown[] => {
  if (depth > 64 || value === null || typeof value !== 'object') return found;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (secretFields.has(key.toLowerCase())) found.push(item);
    else secretValues(item, found, depth + 1);
  }
  return found;
};

/** A copy of `value` with `text` applied to every string and number (a number that would change is masked whole, as `Redactor.value` does). */
const mapTexts = (value: unknown, text: (input: string) => string): unknown => {
  if (typeof value === 'string') return text(value);
  if (typeof value === 'number') {
    return text(String(value)) === String(value) ? value : REDACTED;
  }
  if (Array.isArray(value)) return value.map((item) => mapTexts(item, text));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [text(key), mapTexts(item, text)]));
};

/**
 * The redactor of one unit of a batch (a row, a file): what it masks is the shared redactor's (secrets,
 * tokens, the workflow's sensitive values) plus the personal data seen in this unit. Personal data of
 * one row stays with that row's redactor, which goes when the row ends, so a batch of 10,000 rows does
 * not collect (and match every text against) the personal data of all of them. Credentials seen in a
 * unit (values under `access_token`, `password`, ... in what it captures) go to the shared redactor, for
 * every output after. What the run hands to `addSensitive` (its playbooks' `sensitive: true` inputs, masked
 * even with `--no-redact-pii`) stays with the unit.
 */
export const createUnitRedactor = (shared: Redactor, options: UnitRedactorOptions): Redactor => {
  const local = createRedactor({ pii: shared.pii, fields: options.fields, ...(options.paths ? { paths: options.paths } : {}) });
  return {
    pii: shared.pii,
    // The local redactor masks by field and by key with the shared one's fields and more, so the shared
    // one only has its values left to mask: one walk, not two.
    text: (text) => shared.text(local.text(text)),
    message: (text) => shared.text(local.message(text)),
    value: (value) => mapTexts(local.value(value), shared.text),
    // Given to the shared redactor, every row's sensitive inputs stayed alive to the end of the batch and
    // every text was matched against all of them: the playbook form of a 1,000-row batch collected
    // thousands of values and passed 500 MiB.
    addSecret: (value) => local.addSecret(value),
    addSensitive: (value) => local.addSensitive(value),
    addPaths: (paths) => local.addPaths(paths),
    capture(value) {
      local.capture(value);
      const secrets = secretValues(value);
      if (secrets.length > 0) shared.addSecret(secrets);
    },
    captureText: (text) => local.captureText(text),
  };
};
