import { UsageError } from '../errors.js';
import type { RunEvent } from '../engine/results.js';
import { envFlag } from '../util/env-flag.js';
import { closestMatch } from '../util/suggest.js';
import { createConsoleReporter } from './console.js';
import { annotation, annotationPath, problemAnnotation } from './github.js';
import type { HtmlBatch } from './html.js';
import { buildJsonBatchRun, buildJsonReport, jsonBatch, jsonBatchHead, jsonBatchTail, serializeJsonReport } from './json.js';
import { junitBatch, junitXml } from './junit.js';

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
  /**
   * Writes `width` spaces now and returns a function that later puts a text of at most that length in
   * their place (padded with spaces), before the report is finished: for what is known only at the end
   * of a document written as it goes (the totals of a batch). Only for files: stdout cannot be rewritten.
   */
  reserve?(width: number): (text: string) => void;
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
  /**
   * The only event types the reporter reads, when it reads only some: events of other types are then
   * neither redacted nor passed to it (every step's events of a batch, for the document reporters).
   * @default every type
   */
  reads?: ReadonlySet<RunEvent['type']>;
  /** Asynchronous for a reporter whose code is loaded only when it is chosen (html). */
  create(context: ReporterContext): Reporter | Promise<Reporter>;
}

/** Returns its argument; it exists so TypeScript checks each definition. */
export const defineReporter = (definition: ReporterDefinition): ReporterDefinition => definition;

/** What the document reporters (json, junit, html) read: a run's end, or a batch's start, units and end. */
const DOCUMENT_EVENTS: ReadonlySet<RunEvent['type']> = new Set(['workflow:end', 'batch:start', 'unit:end', 'batch:end']);

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
  reads: DOCUMENT_EVENTS,
  create: ({ write, pii }) => {
    // A batch writes its document a run at a time (see jsonBatch); a single run, whole at its end.
    let batch: { any: boolean } | undefined;
    return {
      onEvent: (event) => {
        if (event.type === 'batch:start') {
          batch = { any: false };
          write(jsonBatch.start(event, { pii }));
        } else if (event.type === 'unit:end' && batch) {
          write(jsonBatch.unit(event.unit, !batch.any));
          batch.any = true;
        } else if (event.type === 'batch:end' && batch) write(jsonBatch.end(event.summary, batch.any));
        else if (event.type === 'workflow:end' && !batch) write(serializeJsonReport(buildJsonReport(event.result, { pii, ...(event.resume ? { resume: event.resume } : {}) })));
      },
    };
  },
});

const junit = defineReporter({
  name: 'junit',
  description: 'JUnit XML: a testsuite per run, a testcase per step',
  document: true,
  reads: DOCUMENT_EVENTS,
  create: ({ write, reserve }) => {
    // A batch's totals go on <testsuites>, which is written first: to a file, into room kept for them;
    // to stdout, which cannot be rewritten, by holding the document until the end.
    let batch: { totals: ReturnType<typeof junitBatch.totals>; fill?: (text: string) => void; held?: string[] } | undefined;
    const out = (text: string) => (batch?.held ? batch.held.push(text) : write(text));
    return {
      onEvent: (event) => {
        if (event.type === 'batch:start') {
          batch = { totals: junitBatch.totals() };
          if (reserve) {
            write(junitBatch.start());
            batch.fill = reserve(junitBatch.TOTALS_WIDTH);
            write('>\n');
          } else batch.held = [];
        } else if (event.type === 'unit:end' && batch) {
          batch.totals.add(event.unit);
          out(junitBatch.unit(event.unit));
        } else if (event.type === 'batch:end' && batch) {
          const totals = batch.totals.attributes(event.summary.durationMs);
          if (batch.fill) batch.fill(totals);
          else write(`${junitBatch.start()}${totals}>\n${(batch.held ?? []).join('')}`);
          write(junitBatch.end());
        } else if (event.type === 'workflow:end' && !batch) write(junitXml(event.result));
      },
    };
  },
});

const html = defineReporter({
  name: 'html',
  description: 'one self-contained HTML page: summary, failures, a timeline of the steps, their exchanges and details; a table of runs for many',
  document: true,
  reads: DOCUMENT_EVENTS,
  create: async ({ write, pii }) => {
    // The page's code (styles, script, layout) is loaded only by a run that writes one.
    const { createHtmlBatch, renderHtmlReport } = await import('./html.js');
    // Made from the JSON report's document, as `paxflow report` makes it from the file; a batch a run at a time.
    let batch: HtmlBatch | undefined;
    return {
      onEvent: (event) => {
        if (event.type === 'batch:start') {
          batch = createHtmlBatch(jsonBatchHead(event, { pii }));
          write(batch.start);
        } else if (event.type === 'unit:end' && batch) write(batch.unit(buildJsonBatchRun(event.unit)));
        else if (event.type === 'batch:end' && batch) write(batch.end(jsonBatchTail(event.summary)));
        else if (event.type === 'workflow:end' && !batch) {
          write(renderHtmlReport(buildJsonReport(event.result, { pii, ...(event.resume ? { resume: event.resume } : {}) })));
        }
      },
    };
  },
});

const github = defineReporter({
  name: 'github',
  description: 'GitHub Actions annotations (::error file=…,line=…) for failed steps; on by itself when GITHUB_ACTIONS=true',
  document: false,
  create: ({ write, cwd, env }) => {
    // By run id: the runs of a batch interleave. A unit's label prefixes its messages.
    const runs = new Map<string, { file: string; label?: string }>();
    return {
      onEvent: (event) => {
        if (event.type === 'workflow:start') runs.set(event.runId, { file: annotationPath(event.file, cwd, env.GITHUB_WORKSPACE), ...(event.unit ? { label: event.unit.label } : {}) });
        if (event.type === 'step:end') {
          const run = runs.get(event.runId);
          const line = annotation(event.result, run?.file ?? '', run?.label, (file) => annotationPath(file, cwd, env.GITHUB_WORKSPACE));
          if (line) write(line);
        }
        if (event.type === 'workflow:end') runs.delete(event.result.runId);
        if (event.type === 'unit:end') {
          if (event.unit.result) runs.delete(event.unit.result.runId);
          for (const problem of event.unit.problems ?? []) write(problemAnnotation(problem, event.unit.unit.label, (file) => annotationPath(file, cwd, env.GITHUB_WORKSPACE)));
        }
      },
    };
  },
});

/** Every reporter; the only list. */
export const reporterRegistry: readonly ReporterDefinition[] = [pretty, json, junit, html, github];

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
  if (envFlag(env.GITHUB_ACTIONS) && !documentOnStdout && !choices.some((choice) => choice.definition === github)) {
    choices.push({ definition: github });
  }
  if (documentOnStdout && onStdout().length > 1) {
    throw new UsageError('BAD_ARGUMENTS', `${onStdout().map((c) => c.definition.name).join(' and ')} cannot share stdout: give the document reporter a file, e.g. --reporter json=out/report.json`);
  }
  return choices;
};
