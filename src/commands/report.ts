import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import reportSchema from '../../schemas/report.schema.json' with { type: 'json' };
import type { CliIO } from '../cli.js';
import { EXIT } from '../cli.js';
import { UsageError } from '../errors.js';
import { renderHtmlReport, type HtmlReportInput } from '../report/html.js';
import { writeReportFile } from '../report/output.js';
import { redactReportDocument } from '../report/redact-result.js';
import { createRedactor, secretEnvValues } from '../report/redact.js';
import { sensitiveFieldNames } from '../steps/sensitive.js';
import { compileLoadedSchema, loadSchemaCompiler } from '../workflow/schema-compiler.js';
import { parseCommandArgs } from './_args.js';

export const OPTIONS = { reporter: { type: 'string', multiple: true } } as const;

export const help = `Usage: paxflow report FILE.json --reporter html[=OUT.html]

Renders a JSON report kept from an earlier run (paxflow run ... --reporter json=FILE.json) as the HTML
report that run would have written: one self-contained page with the summary, the failures and the steps
on a timeline, or for many runs a table of runs. The file is checked against schemas/report.schema.json
and redacted again on the way out.

Options:
  --reporter html[=OUT.html]   where the page goes (stdout without =OUT.html)

Exit codes: 0 written, 2 the file is not a paxflow JSON report (REPORT_UNREADABLE, REPORT_NOT_JSON,
REPORT_INVALID) or bad arguments.

Example:
  paxflow report out/report.json --reporter html=out/report.html
`;

/** The renderers `paxflow report` has: the name and what it makes of a JSON report document. */
const RENDERERS: Record<string, (report: HtmlReportInput) => string> = { html: renderHtmlReport };

/** A `--reporter NAME[=PATH]` of `paxflow report`: stdout without a PATH. */
const parseOutputs = (flags: readonly string[]): Array<{ render: (report: HtmlReportInput) => string; path?: string }> => {
  if (flags.length === 0) throw new UsageError('BAD_ARGUMENTS', 'paxflow report needs --reporter html=OUT.html (or --reporter html for stdout)');
  const outputs = flags.map((flag) => {
    const match = /^([a-z]+)(?:=(.+))?$/s.exec(flag);
    const render = match ? RENDERERS[match[1]!] : undefined;
    if (!match || !render) throw new UsageError('BAD_ARGUMENTS', `paxflow report renders ${Object.keys(RENDERERS).join(', ')}: --reporter html=OUT.html`);
    return { render, ...(match[2] === undefined ? {} : { path: match[2] }) };
  });
  if (outputs.filter((output) => output.path === undefined).length > 1) throw new UsageError('BAD_ARGUMENTS', 'only one --reporter can write to stdout; give the others a file');
  return outputs;
};

/** Where a JSON syntax error is, when V8's message says (`at position N`): as line and column. */
const syntaxPlace = (text: string, error: unknown): string => {
  const position = /at position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  return `:${line}:${Number(position) - before.lastIndexOf('\n')}`;
};

/**
 * Reads and checks a JSON report kept from an earlier run. Never prints what the file holds: a
 * syntax error names its place, a schema problem its JSON pointer.
 */
export const readJsonReport = async (file: string, cwd: string): Promise<HtmlReportInput> => {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError('REPORT_UNREADABLE', `cannot read the JSON report ${file} (${code})`);
  }
  let report: unknown;
  try {
    report = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError('REPORT_NOT_JSON', `${file}${syntaxPlace(text, error)} is not JSON; give the file that --reporter json=FILE wrote`);
  }
  const version = (report as { reportVersion?: unknown } | null)?.reportVersion;
  if (version !== undefined && version !== 1) {
    throw new UsageError('REPORT_INVALID', `${file} is a JSON report of version ${JSON.stringify(version).slice(0, 20)}; this paxflow reads version 1`);
  }
  await loadSchemaCompiler();
  const validate = compileLoadedSchema(reportSchema);
  if (!validate(report)) {
    // oneOf reports both branches; the problems of the branch the file claims to be are the useful ones.
    const problems = (validate.errors ?? [])
      .filter((problem) => problem.keyword !== 'oneOf')
      .filter((problem) => problem.schemaPath.startsWith((report as { kind?: unknown }).kind === 'batch' ? '#/definitions/batchReport' : '#/definitions/runReport') || !problem.schemaPath.includes('Report/'))
      .slice(0, 3)
      .map((problem) => `${problem.instancePath || '/'} ${problem.message ?? 'is not valid'}`);
    throw new UsageError('REPORT_INVALID', `${file} is not a paxflow JSON report (schemas/report.schema.json): ${problems.join('; ') || 'it does not match the schema'}`);
  }
  return report as HtmlReportInput;
};

/**
 * `paxflow report FILE.json --reporter html=OUT.html`: renders a JSON report kept from an earlier run
 * into the same HTML the run would have written. The document passes through a redactor again (its
 * personal-data fields, the environment's secrets) on its way out, like every output.
 */
export const command = async (args: string[], io: CliIO): Promise<number> => {
  const { values, positionals } = parseCommandArgs('report', args, OPTIONS);
  if (positionals.length !== 1) throw new UsageError('BAD_ARGUMENTS', 'paxflow report takes one JSON report FILE, e.g. paxflow report out/report.json --reporter html=out/report.html');
  const outputs = parseOutputs(values.reporter ?? []);
  const report = await readJsonReport(positionals[0]!, io.cwd);
  const redactor = createRedactor({ pii: report.redaction.pii, fields: sensitiveFieldNames(), secrets: secretEnvValues(io.env) });
  const redacted = redactReportDocument(report, redactor);
  for (const { render, path } of outputs) {
    const text = redactor.text(render(redacted));
    if (path === undefined) io.stdout.write(text);
    else await writeReportFile(resolve(io.cwd, path), path, text);
  }
  return EXIT.ok;
};
