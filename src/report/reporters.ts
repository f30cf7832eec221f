import { UsageError } from '../errors.js';
import type { RunEvent } from '../engine/results.js';
import { closestMatch } from '../util/suggest.js';
import { createConsoleReporter } from './console.js';
import { annotation, annotationPath } from './github.js';
import { buildJsonReport, serializeJsonReport } from './json.js';
import { junitXml } from './junit.js';

/** What a reporter is given. Events reach it already redacted, and `write` redacts once more. */
export interface ReporterContext {
  /** The only way out: to stdout, or to the report file (written atomically when the run ends). */
  write(text: string): void;
  /** Writing to a file rather than stdout. */
  toFile: boolean;
  colour: boolean;
  /** A terminal, not CI: progress may be redrawn in place. */
  live: boolean;
  /** `--verbose`: HTTP exchanges on the console. */
  verbose: boolean;
  /** Whether personal data is masked (false only with --no-redact-pii). */
  pii: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface Reporter {
  onEvent(event: RunEvent): void;
  /** Stops timers; called once after the run, before report files are written. */
  close?(): void;
}

/** One reporter, selected with `--reporter NAME[=PATH]`. */
export interface ReporterDefinition {
  name: string;
  description: string;
  /** Writes one document (JSON, XML): on stdout it must be the only reporter there. */
  document: boolean;
  create(context: ReporterContext): Reporter;
}

/** Returns its argument; it exists so TypeScript checks each definition. */
export const defineReporter = (definition: ReporterDefinition): ReporterDefinition => definition;

const pretty = defineReporter({
  name: 'pretty',
  description: 'each step as it finishes, failures with code, message and position, a summary; live progress on a terminal',
  document: false,
  create: ({ write, colour, live, verbose }) => {
    const reporter = createConsoleReporter({ write, colour, live, verbose });
    return { onEvent: reporter, close: reporter.close };
  },
});

const json = defineReporter({
  name: 'json',
  description: 'the whole run result as JSON (schemas/report.schema.json)',
  document: true,
  create: ({ write, pii }) => ({
    onEvent: (event) => {
      if (event.type === 'workflow:end') write(serializeJsonReport(buildJsonReport(event.result, { pii })));
    },
  }),
});

const junit = defineReporter({
  name: 'junit',
  description: 'JUnit XML: a testsuite per run, a testcase per step',
  document: true,
  create: ({ write }) => ({
    onEvent: (event) => {
      if (event.type === 'workflow:end') write(junitXml(event.result));
    },
  }),
});

const github = defineReporter({
  name: 'github',
  description: 'GitHub Actions annotations (::error file=…,line=…) for failed steps; on by itself when GITHUB_ACTIONS=true',
  document: false,
  create: ({ write, cwd, env }) => {
    let file = '';
    return {
      onEvent: (event) => {
        if (event.type === 'workflow:start') file = annotationPath(event.file, cwd, env.GITHUB_WORKSPACE);
        if (event.type === 'step:end') {
          const line = annotation(event.result, file);
          if (line) write(line);
        }
      },
    };
  },
});

/** Every reporter; the only list. */
export const reporterRegistry: readonly ReporterDefinition[] = [pretty, json, junit, github];

/** A reporter chosen on the command line, and its file (stdout without one). */
export interface ReporterChoice {
  definition: ReporterDefinition;
  path?: string;
}

const byName = (name: string): ReporterDefinition => {
  const definition = reporterRegistry.find((candidate) => candidate.name === name);
  if (definition) return definition;
  const names = reporterRegistry.map((candidate) => candidate.name);
  const near = closestMatch(name, names);
  throw new UsageError('BAD_ARGUMENTS', `unknown reporter '${name}'${near ? `; did you mean ${near}?` : ''} (reporters: ${names.join(', ')})`);
};

/**
 * The reporters of a run from its `--reporter NAME[=PATH]` flags: `pretty` when there are none, plus
 * `github` when `GITHUB_ACTIONS=true` (unless a document reporter has stdout). A document reporter
 * without a PATH must be the only reporter on stdout.
 */
export const chooseReporters = (flags: readonly string[], env: Record<string, string | undefined>): ReporterChoice[] => {
  const choices = flags.map((flag): ReporterChoice => {
    const match = /^([a-z]+)(?:=(.*))?$/s.exec(flag);
    if (!match) throw new UsageError('BAD_ARGUMENTS', '--reporter takes NAME or NAME=PATH, e.g. junit=out/junit.xml');
    const [, name, path] = match;
    if (path === '') throw new UsageError('BAD_ARGUMENTS', `--reporter ${name}= needs a PATH after the =`);
    return { definition: byName(name!), ...(path === undefined ? {} : { path }) };
  });
  const onStdout = () => choices.filter((choice) => choice.path === undefined);
  // Reports written to files leave the console free: people and CI logs still want the progress there.
  if (onStdout().length === 0) choices.unshift({ definition: pretty });
  const documentOnStdout = onStdout().some((choice) => choice.definition.document);
  if (env.GITHUB_ACTIONS === 'true' && !documentOnStdout && !choices.some((choice) => choice.definition === github)) {
    choices.push({ definition: github });
  }
  if (documentOnStdout && onStdout().length > 1) {
    throw new UsageError('BAD_ARGUMENTS', `${onStdout().map((c) => c.definition.name).join(' and ')} cannot share stdout: give the document reporter a file, e.g. --reporter json=out/report.json`);
  }
  return choices;
};
