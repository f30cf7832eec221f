import { Buffer } from 'node:buffer';
import { createValueMasker, type ValueMasker } from './mask-values.js';

/** What every masked value becomes: a fixed marker, never a partial reveal. */
export const REDACTED = '[REDACTED]';

/**
 * Field names whose values are credentials: masked by field and captured as secrets, always, even with
 * `--no-redact-pii`. Compared case-insensitively, like all field names (HTTP headers vary in case).
 */
export const SECRET_FIELDS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'client_secret',
  'access_token',
  'refresh_token',
  'id_token',
  'password',
  'api_key',
  'x-api-key',
];

/** Environment variables whose values are treated as secrets, by name (`GITHUB_TOKEN`, `PAXOS_CLIENT_SECRET`). */
export const SECRET_ENV_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/**
 * The values of secret-looking environment variables. Only those of 8 characters or more: a variable
 * such as `TOKEN_TYPE=bearer` is a setting, and masking its value everywhere would only garble output.
 */
export const secretEnvValues = (env: Record<string, string | undefined>): string[] =>
  Object.entries(env).flatMap(([name, value]) => (SECRET_ENV_NAME.test(name) && value !== undefined && value.length >= 8 ? [value] : []));

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /**
   * Mask personal data: the fields the step schemas mark, the `paths` given, and every value seen in
   * those fields. Secrets are masked whatever this says. @default true
   */
  pii?: boolean;
  /**
   * Names of the personal-data fields: for a run, `sensitiveFieldNames()` of the step registry (not the
   * default, so that this module loads no step types). @default none
   */
  fields?: Iterable<string>;
  /** More fields to mask: names (`account_number`) or dotted paths (`person_details.nationality`). */
  paths?: Iterable<string>;
  /** Secret values known up front (client secret, ...); `undefined` entries are ignored. */
  secrets?: Iterable<string | undefined>;
  /** Values shorter than this are masked by field only; digit-only values need 6. @default 4 */
  minLength?: number;
}

/** One redactor per run: everything paxflow prints or writes passes through it. */
export interface Redactor {
  /** Whether personal data is masked (false only with `--no-redact-pii`). */
  readonly pii: boolean;
  /**
   * Masks every known secret and personal-data value wherever it appears, with its common transforms
   * (SSN with and without dashes, base64, URL, JSON and HTML escaping), dashed SSNs, `Bearer`/`Basic`
   * credentials and passwords in URLs. It replaces values only, so JSON and XML stay well-formed.
   */
  text(text: string): string;
  /** {@link text}, plus values written after a sensitive key (`"cip_id": "…"`, `email=…`): for messages. */
  message(text: string): string;
  /** A copy with sensitive fields masked (at any depth) and every string passed through {@link message}. */
  value(value: unknown): unknown;
  /**
   * Adds a secret (every text and number in it, for a list or a mapping); it is masked from now on,
   * wherever it occurs, inside longer words too: credentials are long and random, and a part of one
   * shown is a leak.
   */
  addSecret(value: unknown): void;
  /**
   * Adds a sensitive value (a playbook input declared `sensitive: true`): masked from now on like a
   * secret, also with `pii: false`, but as personal data is, by whole tokens: `Mark` is masked in
   * `Mark,` but not in `Market`.
   */
  addSensitive(value: unknown): void;
  /** Adds field names or dotted paths to mask (a workflow's `redact:`). */
  addPaths(paths: Iterable<string>): void;
  /** Remembers the values under sensitive fields of `value` (an input, an output, vars), to mask them anywhere later. */
  capture(value: unknown): void;
  /** The same for `key: value` pairs in YAML or JSON source text. */
  captureText(text: string): void;
}

type Kind = 'secret' | 'pii' | 'sensitive';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const SSN_DASHED = /^(\d{3})-(\d{2})-(\d{4})$/;
const SSN_PLAIN = /^(\d{3})(\d{2})(\d{4})$/;
const SSN_IN_TEXT = /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g;
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/-]{4,}=*/g;
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@"'<>]+:)[^\s@/"'<>]+@/gi;

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** As the HTML report escapes text (html-escape.ts), so a value is found in the page too. */
const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]!);

/** The forms in which a value can show up in output. */
const variantsOf = (value: string, minLength: number): string[] => {
  const digitsOnly = /^\d+$/.test(value);
  if (value.length < (digitsOnly ? Math.max(minLength, 6) : minLength) || /^(true|false|null)$/i.test(value)) return [];
  const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), escapeHtml(value)]);
  const ssn = SSN_DASHED.exec(value) ?? SSN_PLAIN.exec(value);
  if (ssn) for (const separator of ['', '-', ' ']) forms.add(ssn.slice(1).join(separator));
  const bytes = Buffer.from(value, 'utf8');
  forms.add(bytes.toString('base64'));
  forms.add(bytes.toString('base64').replace(/=+$/, ''));
  forms.add(bytes.toString('base64url'));
  return [...forms].filter((form) => form.length >= Math.min(minLength, value.length));
};

/** Texts and numbers in `value`; `templates: false` leaves out unrendered templates (workflow text, not data). */
const leaves = (value: unknown, templates = true, found: string[] = []): string[] => {
  if (typeof value === 'string') {
    if (value !== '' && (templates || !value.includes('{{'))) found.push(value);
  } else if (typeof value === 'number' || typeof value === 'bigint') found.push(String(value));
  else if (Array.isArray(value)) for (const item of value) leaves(item, templates, found);
  else if (isRecord(value)) for (const item of Object.values(value)) leaves(item, templates, found);
  return found;
};

/** Creates the redactor of one run. */
export const createRedactor = (options: RedactorOptions = {}): Redactor => {
  const { pii = true, minLength = 4 } = options;
  const fields = new Set([...(options.fields ?? [])].map((name) => name.toLowerCase()));
  const secretFields = new Set(SECRET_FIELDS);
  const paths: string[][] = [];
  const values: Record<Kind, Set<string>> = { secret: new Set(), pii: new Set(), sensitive: new Set() };
  // `undefined`: to be built again; `null`: nothing to mask by value.
  let valueMasker: ValueMasker | null | undefined;
  let keyPatterns: RegExp[] | undefined;

  // Results by input, valid until the next change of what is masked: a run redacts the same short texts
  // (ids, statuses, paths) again and again, in every step's event and in the run's end.
  const textCache = new Map<string, string>();
  const messageCache = new Map<string, string>();
  const CACHE_ENTRIES = 4096;
  const CACHE_TEXT_LENGTH = 1024;
  const remember = (cache: Map<string, string>, input: string, output: string): string => {
    if (input.length <= CACHE_TEXT_LENGTH) {
      if (cache.size >= CACHE_ENTRIES) cache.clear();
      cache.set(input, output);
    }
    return output;
  };
  /** A long text is never cached, so it is not looked up either: hashing it costs as much as a short text's masking. */
  const recall = (cache: Map<string, string>, input: string): string | undefined =>
    input.length <= CACHE_TEXT_LENGTH ? cache.get(input) : undefined;

  const changed = (): void => {
    valueMasker = undefined;
    keyPatterns = undefined;
    textCache.clear();
    messageCache.clear();
  };

  const addValue = (kind: Kind, value: string): void => {
    if (values[kind].has(value)) return;
    values[kind].add(value);
    // An Authorization value's credential shows up on its own too.
    const credential = kind === 'secret' ? /^(?:Bearer|Basic|Token)\s+(\S+)$/i.exec(value)?.[1] : undefined;
    if (credential) values.secret.add(credential);
    changed();
  };

  const addPaths = (entries: Iterable<string>): void => {
    for (const entry of entries) {
      const segments = entry.toLowerCase().split('.').filter(Boolean);
      if (segments.length === 1) fields.add(segments[0]!);
      else if (segments.length > 1) paths.push(segments);
    }
    changed();
  };

  /**
   * What the field at `lower` (object keys from the root, lower-cased, array indexes left out) holds, if
   * sensitive. The walks below push and pop one shared array rather than copy the path for every key:
   * every step's input and output is walked, and the copies were the biggest allocation of a batch.
   */
  const classify = (lower: readonly string[]): Kind | undefined => {
    const last = lower[lower.length - 1];
    if (last === undefined) return undefined;
    if (secretFields.has(last)) return 'secret';
    if (fields.has(last)) return 'pii';
    const matches = paths.some((path) => path.length <= lower.length && path.every((segment, i) => segment === lower[lower.length - path.length + i]));
    return matches ? 'pii' : undefined;
  };
  const masks = (kind: Kind | undefined): boolean => kind === 'secret' || (kind === 'pii' && pii);

  // The forms of each value, kept as long as the value is: the masker is rebuilt after every new value
  // (several times per row of a batch), and the forms of the values it already had do not change.
  const forms = new Map<string, string[]>();
  const formsOf = (value: string): string[] => {
    let found = forms.get(value);
    if (found === undefined) {
      found = variantsOf(value, minLength);
      forms.set(value, found);
    }
    return found;
  };

  const currentValueMasker = (): ValueMasker | null => {
    if (valueMasker === undefined) {
      const anywhere = new Set([...values.secret].flatMap(formsOf));
      const all = [...anywhere, ...[...values.sensitive, ...(pii ? values.pii : [])].flatMap(formsOf)];
      // Longest first, so a value is masked whole rather than around a shorter one inside it.
      const unique = [...new Set(all)].sort((a, b) => b.length - a.length);
      valueMasker = unique.length === 0 ? null : createValueMasker(unique, REDACTED, anywhere);
    }
    return valueMasker;
  };

  const currentKeyPatterns = (): RegExp[] => {
    if (keyPatterns === undefined) {
      const names = [...secretFields, ...(pii ? fields : [])].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
      const quoted = `"(?:[^"\\\\\\n]|\\\\.)*"?|'[^'\\n]*'?`;
      keyPatterns = [
        // JSON and JS-like objects: "cip_id": "…" (an unterminated string, as in a cut-off message, too).
        new RegExp(`(?<prefix>(["'])(?:${names})\\2\\s*:\\s*)(?<value>${quoted}|[^\\s,}\\]]+)`, 'gi'),
        // Query strings and form bodies: cip_id=… at the start of a text, a line or a query, or after `&`
        // or `;`. Not after a space: that is prose, such as paxflow's own `--var takes name=value`.
        new RegExp(`(?<prefix>(?:^|[?&]|;[ \\t]*)(?:${names})=)(?<value>[^&\\s"'<>]*)`, 'gim'),
        // YAML: a line that starts with the key.
        new RegExp(`(?<prefix>^[ \\t]*(?:- )?(?:${names}):[ \\t]+)(?<value>[^\\n]*)`, 'gim'),
      ];
    }
    return keyPatterns;
  };

  const text = (input: string): string => {
    const known = recall(textCache, input);
    if (known !== undefined) return known;
    // Each pattern needs a fixed piece of text to match at all; looking for that piece first skips the
    // patterns' scans of the texts that cannot hold a match (almost all of them: ids, statuses, dates).
    let output = input;
    if (output.includes('Bearer') || output.includes('Basic')) output = output.replace(AUTH_SCHEME, `$1$2${REDACTED}`);
    if (output.includes('://')) output = output.replace(URL_PASSWORD, `$1${REDACTED}@`);
    if (pii && output.includes('-')) output = output.replace(SSN_IN_TEXT, REDACTED);
    const masker = currentValueMasker();
    return remember(textCache, input, masker ? masker(output) : output);
  };

  const message = (input: string): string => {
    const known = recall(messageCache, input);
    if (known !== undefined) return known;
    let output = input;
    // Every key pattern needs a `:` (JSON, YAML) or a `=` (query strings) after the key.
    const keyed = input.includes(':') || input.includes('=');
    for (const pattern of keyed ? currentKeyPatterns() : []) {
      output = output.replace(pattern, (...args: unknown[]) => {
        const { prefix = '', value = '' } = args[args.length - 1] as { prefix?: string; value?: string };
        return `${prefix}${value.startsWith('"') ? `"${REDACTED}"` : value.startsWith("'") ? `'${REDACTED}'` : REDACTED}`;
      });
    }
    return remember(messageCache, input, text(output));
  };

  const value = (input: unknown, lower: string[]): unknown => {
    if (typeof input === 'string') return message(input);
    if (typeof input === 'number') return text(String(input)) === String(input) ? input : REDACTED;
    if (Array.isArray(input)) return input.map((item) => value(item, lower));
    if (!isRecord(input)) return input;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      const item = input[key];
      lower.push(key.toLowerCase());
      copy[text(key)] = masks(classify(lower)) && item !== null && item !== undefined ? REDACTED : value(item, lower);
      lower.pop();
    }
    return copy;
  };

  const capture = (input: unknown, lower: string[]): void => {
    if (Array.isArray(input)) for (const item of input) capture(item, lower);
    if (!isRecord(input)) return;
    for (const key of Object.keys(input)) {
      const item = input[key];
      lower.push(key.toLowerCase());
      const kind = classify(lower);
      if (kind) for (const leaf of leaves(item, false)) addValue(kind, leaf);
      else capture(item, lower);
      lower.pop();
    }
  };

  const captureText = (source: string): void => {
    // `name` and `description` are also paxflow's own keys (the workflow's and each step's), not data.
    const names = [...secretFields, ...fields].filter((name) => name !== 'name' && name !== 'description').map(escapeRegExp).join('|');
    const block = new RegExp(`^[ \\t]*(?:- )?(["']?)(${names})\\1[ \\t]*:[ \\t]+([^\\n]*)`, 'gim');
    const flow = new RegExp(`[{,][ \\t]*(["']?)(${names})\\1[ \\t]*:[ \\t]*("[^"\\n]*"|'[^'\\n]*'|[^,}\\]\\n]*)`, 'gi');
    for (const pattern of [block, flow]) {
      for (const match of source.matchAll(pattern)) {
        let found = (match[3] ?? '').replace(/\s+#.*$/, '').trim();
        if (/^(["']).*\1$/.test(found)) found = found.slice(1, -1);
        if (found === '' || found.includes('{{') || /^[[{|>&*!]/.test(found)) continue;
        addValue(secretFields.has(match[2]!.toLowerCase()) ? 'secret' : 'pii', found);
      }
    }
  };

  addPaths(options.paths ?? []);
  for (const secret of options.secrets ?? []) if (secret) addValue('secret', secret);

  return {
    pii,
    text,
    message,
    value: (input) => value(input, []),
    addSecret: (secret) => {
      for (const leaf of leaves(secret)) addValue('secret', leaf);
    },
    addSensitive: (sensitive) => {
      for (const leaf of leaves(sensitive)) addValue('sensitive', leaf);
    },
    addPaths,
    capture: (input) => capture(input, []),
    captureText,
  };
};
