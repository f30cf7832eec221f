import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { JsonReport } from '../../src/report/json.js';
import { compileSchema } from '../../src/workflow/ajv.js';
import { runCli } from '../cli/_io.js';

/** A parsed JUnit file: attributes as plain keys, lists always lists. */
export interface JunitCase {
  classname: string;
  name: string;
  time: string;
  line?: string;
  failure?: { type: string; message: string; '#text'?: string };
  error?: { type: string; message: string };
  skipped?: { message?: string } | '';
  'system-out'?: string;
}
export interface JunitSuite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  time: string;
  timestamp: string;
  testcase: JunitCase[];
}

/** Parses JUnit XML with a real parser, after checking that it is well-formed. */
export const parseJunit = (xml: string): { testsuites: JunitSuite & { testsuite: JunitSuite[] } } => {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    // Numeric character references (&#10;) as XML defines them; the parser leaves them as text otherwise.
    htmlEntities: true,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml) as { testsuites: JunitSuite & { testsuite: JunitSuite[] } };
};

const reportSchema = JSON.parse(readFileSync('schemas/report.schema.json', 'utf8')) as Record<string, unknown>;

/** Parses a JSON report and checks it against schemas/report.schema.json; throws with ajv's errors if it does not conform. */
export const parseJsonReport = (text: string) => {
  const report = JSON.parse(text) as unknown;
  const validate = compileSchema(reportSchema);
  if (!validate(report)) throw new Error(`report does not match its schema: ${JSON.stringify(validate.errors)}`);
  return report as JsonReport;
};

/** `paxflow run` with the json and junit reporters writing into a fresh folder, plus any other flags. */
export const runWithReports = async (argv: string[], env: Record<string, string> = {}, signal?: AbortSignal) => {
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-reports-'));
  const paths = { json: join(dir, 'reports', 'run.json'), junit: join(dir, 'reports', 'junit.xml') };
  const result = await runCli(['run', ...argv, '--reporter', `json=${paths.json}`, '--reporter', `junit=${paths.junit}`], {
    env,
    ...(signal ? { signal } : {}),
  });
  return {
    ...result,
    dir,
    json: () => parseJsonReport(readFileSync(paths.json, 'utf8')),
    junit: () => parseJunit(readFileSync(paths.junit, 'utf8')),
  };
};
