import type { StepResult, UnitProblem, UnitStatus } from '../engine/results.js';
import { formatDuration } from './console.js';
import { HTML_CSP, HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { attributes, escapeText as h, scriptJson } from './html-escape.js';
import { MARKS, axisOf, firstFailure, placeOf, renderSteps } from './html-steps.js';
import type { JsonBatchHead, JsonBatchReport, JsonBatchRun, JsonBatchTail, JsonReport } from './json.js';

/** What the HTML report is made from: a JSON report document, of one run or of a batch. */
export type HtmlReportInput = JsonReport | JsonBatchReport;

export const isBatchReport = (report: HtmlReportInput): report is JsonBatchReport => (report as { kind?: unknown }).kind === 'batch';

/**
 * Characters of step details (exchanges, checks, inputs and outputs) that a batch report holds for
 * runs that passed. Past it, passed runs show their steps on the time axis only (the JSON report keeps
 * everything), so that a large batch stays a file a browser opens at once. Runs that did not pass
 * always keep all of theirs.
 */
export const BATCH_DETAIL_BUDGET = 1_000_000;

/** How many failed runs a batch's summary lists; the table holds them all. */
const LISTED_FAILURES = 20;

const when = (iso: string | undefined): string => (iso === undefined ? '' : iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC'));

const head = (title: string): string =>
  '<!doctype html>\n<html lang="en" class="nojs"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  `<meta http-equiv="Content-Security-Policy"${attributes({ content: HTML_CSP })}>` +
  '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">' +
  `<title>${h(title)}</title><style>${HTML_STYLE}</style></head>\n<body><div class="page">\n`;

const tail = (data: Record<string, unknown>, footer: string): string =>
  `<footer>${footer}</footer>\n</div>\n<script type="application/json" id="paxflow-data">${scriptJson(data)}</script>\n<script>${HTML_SCRIPT}</script>\n</body></html>\n`;

const footer = (version: string, pii: boolean): string =>
  `paxflow ${h(version)} · ${pii ? 'personal data and secrets masked' : 'secrets masked; personal data shown (--no-redact-pii)'} · made from the JSON report (schemas/report.schema.json)`;

const piiWarning = (pii: boolean): string =>
  pii ? '' : '<p class="warn">Personal data is <b>not</b> masked in this report: the run used --no-redact-pii. Secrets are masked. Do not share it.</p>';

const facts = (pairs: Array<[string, string | undefined]>): string =>
  `<dl class="facts">${pairs
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`)
    .join('')}</dl>`;

const target = (info: JsonReport['target']): string => `${h(info.name)} <span class="dim">${h(info.apiUrl)}</span>`;

const counts = (summary: Record<string, number>, order: readonly string[], buttons: boolean): string =>
  `<div class="counts">${order
    .filter((status) => (summary[status] ?? 0) > 0 || status === 'passed' || status === 'failed')
    .map((status) =>
      buttons
        ? `<button type="button" class="count st-${status}" data-status="${status}" aria-pressed="true">${summary[status] ?? 0} ${status}</button>`
        : `<span class="count st-${status}">${summary[status] ?? 0} ${status}</span>`,
    )
    .join('')}<span class="count">${summary.total ?? 0} total</span></div>`;

const errorLine = (step: StepResult, file: string): string => {
  const place = placeOf(step, file);
  return `<code class="code">${h(step.error!.code)}</code> ${h(step.error!.message)}${place ? ` <span class="dim">at ${h(place)}</span>` : ''}`;
};

const resumeBlock = (resume: JsonReport['resume']): string => {
  if (!resume) return '';
  if (resume.command === undefined) return `<p class="resume">${h(resume.note)}</p>`;
  return `<p class="resume">To resume: <code>${h(resume.command)}</code><br><span class="dim">${h(resume.note)}</span></p>`;
};

const expandButtons = '<span class="js-only"><button type="button" data-expand="open">expand all</button> <button type="button" data-expand="close">collapse all</button></span>';

/** The page of one run: the summary with its failures, then the steps on a timeline. */
const runPage = (report: JsonReport): string => {
  const { status, steps, file } = report;
  const failed = steps.filter((step) => step.error && step.status !== 'skipped');
  const title = `${status.toUpperCase()} · ${report.name} · paxflow`;
  const summary =
    `<header class="summary st-${status}"><h1><span class="badge">${status.toUpperCase()}</span> ${h(report.name)}</h1>` +
    piiWarning(report.redaction.pii) +
    facts([
      ['workflow', `<code>${h(file)}</code>`],
      ['target', target(report.target)],
      ['run id', `<code>${h(report.runId)}</code>${report.resumed ? ' <span class="tag">resumed</span>' : ''}`],
      ['started', h(when(report.startedAt))],
      ['duration', formatDuration(report.durationMs)],
    ]) +
    counts(report.summary, ['passed', 'failed', 'skipped', 'interrupted'], false) +
    resumeBlock(report.resume) +
    (failed.length === 0
      ? ''
      : `<h2>Failures</h2><ol class="failures">${failed
          .map((step) => `<li><a href="#s${steps.indexOf(step)}"><b>${h(step.id)}</b></a>${step.allowedFailure ? ' <span class="tag">continue_on_error</span>' : ''} ${errorLine(step, file)}</li>`)
          .join('')}</ol>`) +
    '</header>\n';
  const timeline =
    `<section class="run"><div class="controls"><h2>Steps</h2>${expandButtons}</div>` +
    renderSteps(steps, { file, axis: axisOf(report.startedAt, report.durationMs, steps), idPrefix: 's', detail: 'full' }) +
    '</section>\n';
  return head(title) + summary + timeline + tail({ kind: 'run', title, status, runId: report.runId, summary: report.summary }, footer(report.paxflowVersion, report.redaction.pii));
};

const problemPlace = (problem: UnitProblem): string =>
  problem.file === undefined ? '' : `${problem.file}${problem.line === undefined ? '' : `:${problem.line}:${problem.col ?? 1}`}`;

/** A problem that kept a unit from running, as its failure block. */
const problemBlock = (problem: UnitProblem): string =>
  `<div class="fail"><p class="err"><code class="code">${h(problem.code)}</code> ${h(problem.message)}</p>${
    problemPlace(problem) === '' ? '' : `<p class="at">at <code>${h(problemPlace(problem))}</code></p>`
  }</div>`;

/** How a unit of a batch is known in the table: its first failure, or why it could not run. */
const unitError = (run: JsonBatchRun): string | undefined => {
  const problem = run.problems?.[0];
  if (problem) {
    const place = problemPlace(problem);
    return `<code class="code">${h(problem.code)}</code> ${h(problem.message)}${place ? ` <span class="dim">at ${h(place)}</span>` : ''}`;
  }
  const step = firstFailure(run.steps ?? []);
  return step ? `${errorLine(step, run.file)} <span class="dim">(step ${h(step.id)})</span>` : undefined;
};

const LEFT_OUT = 'The details of passed runs (exchanges, checks, inputs and outputs) are left out past the first 1 MB of them, so that the page opens quickly; the JSON report has them all.';

/** A batch's HTML in three parts, like the JSON batch document: written as the batch goes, never held whole. */
export interface HtmlBatch {
  /** Everything before the first run. */
  start: string;
  /** One run's row, in unit order. */
  unit(run: JsonBatchRun): string;
  /** The summary and the rest of the page. */
  end(tail: JsonBatchTail): string;
}

/**
 * The page of a batch: a row per unit (file of a suite, row of a data file) with its status, time, span
 * and first error, each opening to its own steps, then the summary, which the style sheet shows first.
 */
export const createHtmlBatch = (batch: JsonBatchHead): HtmlBatch => {
  const started = Date.parse(batch.startedAt);
  let detailed = 0;
  let files: string | undefined;
  let oneFile = true;
  const failures: string[] = [];
  let unlisted = 0;
  let unitCount = 0;
  const start =
    head(`paxflow batch · ${batch.dataFile ?? 'workflows'} · ${when(batch.startedAt)}`) +
    '<section class="units"><div class="controls"><h2>Runs</h2>' +
    '<span class="js-only"><input type="search" id="unit-filter" placeholder="filter by name, label or error" aria-label="filter runs"> <span id="unit-shown" class="dim"></span></span>' +
    `${expandButtons}</div>` +
    '<div class="urow uhead"><button type="button" class="sort" data-key="status">status</button><button type="button" class="sort" data-key="label">run</button>' +
    '<button type="button" class="sort" data-key="index" aria-sort="ascending">started</button><button type="button" class="sort" data-key="duration">time</button><span>first error</span></div>\n' +
    '<div class="unit-list">\n';

  const unit = (run: JsonBatchRun): string => {
    if (files === undefined) files = run.file;
    else if (files !== run.file) oneFile = false;
    const status: UnitStatus = run.status;
    const error = unitError(run);
    const id = `u${(unitCount += 1)}`;
    if (status !== 'passed') {
      if (failures.length < LISTED_FAILURES) failures.push(`<li><a href="#${id}"><b>${h(run.label)}</b></a> ${error ?? status}</li>`);
      else unlisted += 1;
    }
    const steps = run.steps ?? [];
    const detail = status !== 'passed' || detailed < BATCH_DETAIL_BUDGET ? 'full' : 'timeline';
    const from = run.startedAt === undefined ? NaN : Date.parse(run.startedAt) - started;
    const bar = Number.isFinite(from) ? `<span class="track"${attributes({ style: `--s:${Math.max(0, from)};--d:${run.durationMs ?? 0}` })}><span class="bar"></span></span>` : '<span class="track"></span>';
    const dataPlace = run.dataFile === undefined ? '' : `${run.dataFile}${run.line === undefined ? '' : `:${run.line}`}`;
    const summary =
      `<summary class="urow"><span class="ustatus"><span class="mark">${MARKS[status]}</span> ${status}</span>` +
      `<span class="ulabel">${h(run.label)}${run.name === undefined ? '' : ` <span class="dim">${h(run.name)}</span>`}</span>` +
      `${bar}<span class="dur">${run.durationMs === undefined ? '' : formatDuration(run.durationMs)}</span>` +
      `<span class="uerr">${error ?? ''}</span></summary>`;
    const body =
      facts([
        ['workflow', `<code>${h(run.file)}</code>${run.name === undefined ? '' : ` ${h(run.name)}`}`],
        ['data row', dataPlace === '' ? undefined : `<code>${h(dataPlace)}</code>${run.row === undefined ? '' : ` (row ${run.row})`}`],
        ['run id', run.runId === undefined ? undefined : `<code>${h(run.runId)}</code>`],
        ['started', h(when(run.startedAt))],
        ['steps', run.summary ? `${run.summary.passed} passed, ${run.summary.failed} failed, ${run.summary.skipped} skipped${run.summary.interrupted ? `, ${run.summary.interrupted} interrupted` : ''}` : undefined],
      ]) +
      (run.problems && run.problems.length > 0
        ? `<p>It could not run; nothing was sent for it:</p>${run.problems.map(problemBlock).join('')}`
        : '') +
      (steps.length === 0 ? '' : renderSteps(steps, { file: run.file, axis: axisOf(run.startedAt, run.durationMs, steps), idPrefix: `${id}-s`, detail })) +
      (detail === 'full' || steps.length === 0 ? '' : `<p class="dim">${LEFT_OUT}</p>`);
    if (status === 'passed' && detail === 'full') detailed += body.length;
    return (
      `<details${attributes({ class: `unit st-${status}`, id, 'data-i': unitCount, 'data-status': status, 'data-ms': run.durationMs ?? 0, 'data-label': run.label })}>` +
      `${summary}<div class="ubody">${body}</div></details>\n`
    );
  };

  const end = (result: JsonBatchTail): string => {
    const title = `${result.status.toUpperCase()} · ${result.summary.total} runs · paxflow batch`;
    const what = batch.dataFile !== undefined ? `rows of ${h(batch.dataFile)}` : oneFile && files !== undefined ? h(files) : 'workflow files';
    const summary =
      `<header class="summary st-${result.status}"><h1><span class="badge">${result.status.toUpperCase()}</span> ${result.summary.total} runs <span class="dim">${what}</span></h1>` +
      piiWarning(batch.redaction.pii) +
      facts([
        ['target', target(batch.target)],
        ['started', h(when(batch.startedAt))],
        ['duration', formatDuration(result.durationMs)],
        ['concurrency', String(batch.concurrency)],
        ['data file', batch.dataFile === undefined ? undefined : `<code>${h(batch.dataFile)}</code>`],
      ]) +
      counts(result.summary, ['passed', 'failed', 'invalid', 'interrupted'], true) +
      '<p class="dim js-only">Click a count to hide or show those runs; click a column title to sort.</p>' +
      (failures.length === 0
        ? ''
        : `<h2>Failures</h2><ol class="failures">${failures.join('')}</ol>${unlisted > 0 ? `<p class="dim">… and ${unlisted} more in the table below.</p>` : ''}`) +
      '</header>\n';
    return (
      '</div></section>\n' +
      `<style>.units{--span:${Math.max(1, result.durationMs)}}</style>\n` +
      summary +
      tail({ kind: 'batch', title, status: result.status, summary: result.summary }, footer(batch.paxflowVersion, batch.redaction.pii))
    );
  };
  return { start, unit, end };
};

/** The HTML report of a JSON report document: one self-contained page, the same whether made during the run or later from the JSON file. */
export const renderHtmlReport = (report: HtmlReportInput): string => {
  if (!isBatchReport(report)) return runPage(report);
  const { runs, status, finishedAt, durationMs, summary, ...rest } = report;
  const batch = createHtmlBatch(rest);
  let text = batch.start;
  for (const run of runs) text += batch.unit(run);
  return text + batch.end({ status, finishedAt, durationMs, summary });
};
