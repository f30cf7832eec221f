import { UsageError } from '../errors.js';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** The value part of `KEY=value`: `undefined` when it is malformed. */
const parseValue = (raw: string): string | undefined => {
  const quote = raw[0];
  if (quote === "'" || quote === '"') {
    let value = '';
    for (let index = 1; index < raw.length; index += 1) {
      const char = raw[index]!;
      if (char === quote) {
        const rest = raw.slice(index + 1);
        return /^\s*(#.*)?$/.test(rest) ? value : undefined;
      }
      if (char === '\\' && quote === '"') {
        const next = raw[index + 1];
        if (next === undefined || !(next in ESCAPES)) return undefined;
        value += ESCAPES[next];
        index += 1;
        continue;
      }
      value += char;
    }
    return undefined;
  }
  // Unquoted: ` #` starts a comment; quotes inside the value are not allowed (a likely typo).
  const value = raw.replace(/(^|\s)#.*$/, '').trim();
  return /["']/.test(value) ? undefined : value;
};

/**
 * Parses a `.env` file: `KEY=value`, `export KEY=value`, `"double"` (with `\n \t \" \\` escapes) and
 * `'single'` quoted values, `#` comments and blank lines. A later key wins. A malformed line is a
 * `UsageError` (`ENV_FILE_INVALID`) naming the file and line, never quoting it: it may hold a secret.
 */
export const parseEnvFile = (text: string, file: string): Record<string, string> => {
  const values = Object.create(null) as Record<string, string>;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    if (/^\s*(#.*)?$/.test(line)) return;
    const match = LINE.exec(line);
    const value = match ? parseValue(match[2]!) : undefined;
    if (!match || value === undefined) {
      throw new UsageError('ENV_FILE_INVALID', `${file}:${index + 1}: expected KEY=value (a name, '=', then a plain or quoted value)`);
    }
    values[match[1]!] = value;
  });
  return values;
};
