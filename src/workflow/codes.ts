/**
 * Every diagnostic code that loading and validating a workflow can produce, with a one-line explanation.
 * Exported as data so the docs and `paxflow validate --help` can list them. Template problem codes come
 * from `src/template` and are listed here too, because validate reports them.
 */

import { stepFailureCodesMarkdown } from '../step-codes.js';

/** yaml's own error codes, reported as `YAML_<code>` with these messages (never yaml's text, which quotes the source). */
export const YAML_CODES = {
  YAML_ALIAS_PROPS: 'An alias (*name) cannot have an anchor or a tag.',
  YAML_BAD_ALIAS: 'An alias (*name) refers to an anchor (&name) that is not defined before it.',
  YAML_BAD_COLLECTION_TYPE: 'A tag does not fit the kind of collection it is on.',
  YAML_BAD_DIRECTIVE: 'A %-directive is not valid.',
  YAML_BAD_DQ_ESCAPE: 'A double-quoted string has an invalid backslash escape.',
  YAML_BAD_INDENT: 'The indentation is wrong: items of one mapping or list must start in the same column.',
  YAML_BAD_PROP_ORDER: 'An anchor or tag is in the wrong place.',
  YAML_BAD_SCALAR_START: 'A plain value cannot start with this character; quote the value.',
  YAML_BLOCK_AS_IMPLICIT_KEY: 'A nested block cannot be used as a key; check for a missing line break or a stray colon.',
  YAML_BLOCK_IN_FLOW: 'A block collection cannot appear inside [ ] or { }.',
  YAML_DUPLICATE_KEY: 'The same key appears twice in one mapping.',
  YAML_IMPOSSIBLE: 'The YAML parser reached a state it does not expect.',
  YAML_KEY_OVER_1024_CHARS: 'A key is longer than 1024 characters.',
  YAML_MISSING_CHAR: 'A closing character is missing (a quote, ] or }).',
  YAML_MULTILINE_IMPLICIT_KEY: 'A key spans several lines; keys must fit on one line.',
  YAML_MULTIPLE_ANCHORS: 'A value has more than one anchor (&name).',
  YAML_MULTIPLE_DOCS: 'The file holds more than one YAML document (---); a workflow is one document.',
  YAML_MULTIPLE_TAGS: 'A value has more than one tag.',
  YAML_NON_STRING_KEY: 'A key is not a plain string (a list or mapping used as a key).',
  YAML_RESOURCE_EXHAUSTION: 'The document is too deeply nested or too large to parse.',
  YAML_TAB_AS_INDENT: 'A tab is used for indentation; YAML allows only spaces.',
  YAML_TAG_RESOLVE_FAILED: 'A tag (such as !!js/function) is not supported; workflows hold plain data only.',
  YAML_UNEXPECTED_TOKEN: 'Unexpected text here; check quoting, indentation and stray characters.',
  YAML_ERROR: 'The YAML is not valid here.',
} as const;

export const DIAGNOSTIC_CODES = {
  // Reading and loading the file.
  FILE_UNREADABLE: 'The workflow file cannot be read (missing, a directory, or no permission).',
  FILE_TOO_LARGE: 'The workflow file is larger than the size limit (1 MiB by default).',
  FILE_NOT_UTF8: 'The workflow file is not valid UTF-8 text.',
  LONE_CR: 'A line ends with a lone carriage return (old Mac line endings), which YAML does not read as a line break; save the file with LF or CRLF endings.',
  NESTING_TOO_DEEP: 'Lists and mappings are nested deeper than the limit (64 by default).',
  ALIAS_LIMIT: 'Aliases (*name) expand to too many values (protection against "billion laughs" files).',
  EMPTY_FILE: 'The file holds no workflow (it is empty or only comments).',
  ROOT_NOT_MAPPING: 'The top level of the file must be a mapping (version:, name:, steps:), not a list or a value.',
  FORBIDDEN_KEY: 'The keys __proto__, constructor and prototype are not allowed anywhere.',
  UNQUOTED_TEMPLATE: 'A template such as {{x}} is written without quotes, so YAML reads it as a mapping; quote it.',
  ...YAML_CODES,

  // The workflow schema.
  UNKNOWN_KEY: 'A key that this place does not accept; the message names the nearest known key.',
  MISSING_KEY: 'A required key is missing.',
  CONFLICTING_KEYS: 'Keys that exclude each other are used together (e.g. both path and url).',
  WRONG_TYPE: 'A value has the wrong type (e.g. a number where text is expected: quote it).',
  BAD_VALUE: 'A value is not allowed: not one of the listed values, the wrong format, or out of range.',
  UNSUPPORTED_VERSION: 'The workflow version is not supported; this paxflow reads version: 1.',
  UNKNOWN_STEP_TYPE: 'uses: names no registered step type; the message names the nearest one.',
  BAD_DURATION: 'A duration is not a whole number with ms, s, m or h (500ms, 30s, 2m, 1h), or is too long.',

  // Rules across steps.
  DUPLICATE_STEP_ID: 'Two steps have the same id.',
  RETRY_NOT_SAFE: 'retry: is set on a step type that cannot be repeated safely.',

  // Templates (from the template analyser).
  TEMPLATE_SYNTAX: 'A template does not parse (an unclosed {{, a stray }} or a block closed with the wrong name).',
  UNKNOWN_HELPER: 'A template calls a helper that does not exist.',
  TEMPLATE_PARTIAL: 'A template uses a partial ({{> name}}), which workflows do not support.',
  TEMPLATE_DECORATOR: 'A template uses a decorator ({{* name}}), which workflows do not support.',
  TEMPLATE_UNKNOWN_SCOPE: 'A template reads a name that is not a template scope (vars, env, steps, run, ...).',
  TEMPLATE_WHOLE_ENV: 'A template reads env as a whole ({{json env}}, #each env, env given to a helper); read one variable at a time, as env.NAME.',
  TEMPLATE_HELPER_USAGE: 'A helper is used the wrong way (a block helper without #, or the reverse).',
  TEMPLATE_HELPER_ARGUMENT: 'A helper gets the wrong number or kind of arguments.',

  // References in templates.
  REF_UNKNOWN_STEP: 'A template reads steps.X, and no step has the id X.',
  REF_LATER_STEP: 'A template reads steps.X, and X is this step or a later one; only earlier steps have output.',
  REF_UNKNOWN_FIELD: "A template reads a field that the step type's output (or run) does not have.",
  REF_UNKNOWN_VAR: 'A template reads vars.X, and X is neither declared under vars: nor given on the command line.',
  REF_UNAVAILABLE_SCOPE: 'A template reads row.* or inputs.*, which are not available in this kind of run (row.* only with --data or matrix:, inputs.* only in a file that declares inputs:).',
  REF_UNKNOWN_COLUMN: 'A template reads row.X, and the rows (the matrix: or the --data file\'s header) have no column X; the message names the nearest one.',
  REF_UNKNOWN_INPUT: 'A playbook template reads inputs.X, and X is not declared under inputs:; the message names the nearest one.',

  // Playbooks (uses: ./file.yaml).
  PLAYBOOK_UNREADABLE: 'The playbook that uses: names cannot be read (missing, a directory, too large, not UTF-8); the error points at uses:.',
  PLAYBOOK_CYCLE: 'Playbooks call each other in a cycle; the message names the chain (a.yaml -> b.yaml -> a.yaml).',
  PLAYBOOK_TOO_DEEP: 'Playbooks call playbooks more than 8 levels deep; the message names the chain.',
  PLAYBOOK_MATRIX: 'A playbook that a workflow calls declares matrix:; a call runs it once, so the matrix belongs in the calling workflow.',
  PLAYBOOK_UNKNOWN_INPUT: "A call gives an input under with: that the playbook's inputs: does not declare; the message names the nearest one.",
  PLAYBOOK_MISSING_INPUT: 'A call does not give an input that the playbook requires.',
  PLAYBOOK_INPUT_TYPE: "A value given to a playbook input, or an input's default, is not of the declared type.",

  // Values known before the run (vars:, --vars-file, --var, playbook inputs), checked with --var/--vars-file too.
  KNOWN_VALUE_INVALID:
    'A value known before the run (a variable, a playbook input) does not fit the step field it reaches, such as a YAML number where a decimal string goes (quote it); placed at the value in the vars file, or naming the --var flag.',

  // Rows (matrix:, --data).
  ROW_INVALID_VALUE:
    "A row's value does not fit the step field a whole-expression template (\"{{row.x}}\") puts it in; validate --data reports it at the row's line, a run fails that row alone before its first request.",
  MATRIX_TOO_LARGE: 'matrix: expands to more rows than allowed (1,000); put them in a data file and run it with --data.',

  // Files a step uploads (uploadDocument's file:), checked before anything runs.
  DOCUMENT_FILE_TEMPLATE: 'A file to upload is given as a template; write it as a literal path (relative to the workflow file) so it can be checked before the run.',
  DOCUMENT_FILE_UNREADABLE: 'A file to upload cannot be read (missing, a directory, or no permission); its path is relative to the workflow file.',
  DOCUMENT_FILE_EMPTY: 'A file to upload is empty.',
  DOCUMENT_FILE_TOO_LARGE: 'A file to upload is 100 MB or more; Paxos takes documents of less than 100 MB.',
  DOCUMENT_FILE_TYPE: 'A file to upload is not a PDF, JPG or PNG, judged by its first bytes (not its name).',

  // Expectations (expect: on a step).
  EXPECT_UNKNOWN_FIELD: "A field path under expect: names a field that the step type's output does not have.",
  EXPECT_UNKNOWN_CODE: 'expect: error: code: names no code a step can fail with as expected (see Step failure codes below); the message names the nearest one.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** The codes and their explanations as a list, in the order above. */
export const diagnosticCodeList = (): { code: DiagnosticCode; summary: string }[] =>
  (Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]).map((code) => ({ code, summary: DIAGNOSTIC_CODES[code] }));

/** The `YAML_*` code for one of yaml's error codes. */
export const yamlCode = (code: string): keyof typeof YAML_CODES => {
  const prefixed = `YAML_${code}`;
  return prefixed in YAML_CODES ? (prefixed as keyof typeof YAML_CODES) : 'YAML_ERROR';
};

/** docs/error-codes.md: every code `paxflow validate` can print (`npm run generate` writes it). */
export const diagnosticCodesMarkdown = (): string =>
  [
    '# Validation error codes',
    '',
    '<!-- Generated from src/workflow/codes.ts by `npm run generate`; a test fails when it is stale. -->',
    '',
    '`paxflow validate` (and `paxflow run` before anything runs) prints each problem as',
    '`FILE:LINE:COL error CODE message` and exits 2. These codes are stable; the messages may improve.',
    '',
    '| code | meaning |',
    '|---|---|',
    ...diagnosticCodeList().map(({ code, summary }) => `| \`${code}\` | ${summary.replace(/\|/g, '\\|')} |`),
    '',
    ...stepFailureCodesMarkdown(),
  ].join('\n');
