import type { StepResult } from '../engine/results.js';
import { formatDuration } from './console.js';
import { attributes, escapeText as h } from './html-escape.js';
import { failurePlace } from './place.js';

/** The time axis of a timeline: epoch milliseconds at its left edge, and its length. */
export interface Axis {
  start: number;
  span: number;
}

/** How {@link renderSteps} draws one run's steps. */
export interface StepsOptions {
  /** The run's workflow file: failures of its own steps point into it. */
  file: string;
  axis: Axis;
  /** Prefix of the steps' element ids, unique in the page (`s`, `u12-s`). */
  idPrefix: string;
  /**
   * `full`: each step opens to its details (failure, expectation, exchanges, checks, input and output);
   * `timeline`: only the steps' rows on the time axis.
   */
  detail: 'full' | 'timeline';
}

const SKIP_TEXT = { condition: 'its condition was false', previous_failure: 'an earlier step failed', interrupted: 'the run was interrupted' } as const;
export const MARKS = { passed: '✓', failed: '✗', skipped: '–', interrupted: '!', invalid: '✗' } as const;

const time = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

/** An axis that holds the run and every step and check in it (a resumed run's steps can start before this attempt). */
export const axisOf = (startedAt: string | undefined, durationMs: number | undefined, steps: readonly StepResult[]): Axis => {
  let start = time(startedAt);
  let end = start + (durationMs ?? 0);
  const include = (from: number, to: number): void => {
    if (!Number.isFinite(from)) return;
    start = Number.isFinite(start) ? Math.min(start, from) : from;
    end = Number.isFinite(end) ? Math.max(end, to) : to;
  };
  for (const step of steps) {
    const from = time(step.startedAt);
    include(from, from + step.durationMs);
    for (const poll of step.polls) include(time(poll.at), time(poll.at));
  }
  return { start: Number.isFinite(start) ? start : 0, span: Math.max(1, Number.isFinite(end - start) ? end - start : 1) };
};

const percent = (ms: number, axis: Axis): string => (Math.min(100, Math.max(0, (ms / axis.span) * 100))).toFixed(2);

/** A step's bar: where it starts on the axis and how long it is (the whole call, for a playbook call). */
interface Span {
  from: number;
  to: number;
}

interface StepNode {
  step: StepResult;
  index: number;
  children: StepNode[];
  span?: Span;
}

const spanOf = (step: StepResult): Span | undefined => {
  const from = time(step.startedAt);
  return Number.isFinite(from) ? { from, to: from + step.durationMs } : undefined;
};

const merge = (a: Span | undefined, b: Span | undefined): Span | undefined =>
  !a ? b : !b ? a : { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) };

/**
 * The steps as a tree: the steps of a playbook call (`onboard.identity`) under the step that ends the
 * call (`onboard`), which the run lists after them. A call's span covers its steps.
 */
export const stepTree = (steps: readonly StepResult[]): StepNode[] => {
  const nodes = new Map<string, StepNode>();
  steps.forEach((step, index) => nodes.set(step.id, { step, index, children: [] }));
  const roots: StepNode[] = [];
  for (const node of nodes.values()) {
    const parts = node.step.id.split('.');
    let parent: StepNode | undefined;
    for (let length = parts.length - 1; length > 0 && !parent; length -= 1) parent = nodes.get(parts.slice(0, length).join('.'));
    (parent ? parent.children : roots).push(node);
  }
  const settle = (node: StepNode): Span | undefined => {
    node.span = node.children.reduce<Span | undefined>((span, child) => merge(span, settle(child)), spanOf(node.step));
    return node.span;
  };
  roots.forEach(settle);
  return roots;
};

/** The failure a run or a row is known by: its first failed or interrupted step, one that `continue_on_error` let pass only when there is no other. */
export const firstFailure = (steps: readonly StepResult[]): StepResult | undefined =>
  steps.find((step) => step.error && ((step.status === 'failed' && !step.allowedFailure) || step.status === 'interrupted')) ??
  steps.find((step) => step.error && step.status === 'failed');

/** `FILE:LINE:COL` of a step's failure, or of the step. */
export const placeOf = (step: StepResult, runFile: string): string | undefined => {
  const at = failurePlace(step, runFile);
  return at.line === undefined ? undefined : `${at.file}:${at.line}:${at.col ?? 1}`;
};

const json = (value: unknown): string => h(JSON.stringify(value, null, 2) ?? 'undefined');

const table = (head: string[], rows: string[][], className: string): string =>
  `<table class="${className}"><thead><tr>${head.map((cell) => `<th>${cell}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

/** The failure of a step: code, message, where, and what its `expect:` found. */
export const failureBlock = (step: StepResult, runFile: string): string => {
  const parts: string[] = [];
  const error = step.error;
  if (error && step.status !== 'skipped') {
    const place = placeOf(step, runFile);
    const http = [error.status === undefined ? '' : `HTTP ${error.status}`, error.type === undefined ? '' : `type ${h(error.type)}`].filter(Boolean).join(' · ');
    parts.push(
      `<p class="err"><code class="code">${h(error.code)}</code> ${h(error.message)}</p>`,
      place ? `<p class="at">at <code>${h(place)}</code></p>` : '',
      http ? `<p class="dim">${http}</p>` : '',
      step.allowedFailure ? '<p class="dim">continue_on_error: the run went on</p>' : '',
    );
  }
  const expectation = step.expectation;
  if (expectation && !expectation.met) {
    const what = expectation.kind === 'error' ? 'expect: error did not hold' : 'expect: did not hold';
    parts.push(`<p class="exp-head">${what}</p>`);
    if (expectation.mismatches.length > 0) {
      parts.push(table(['field', 'expected', 'actual'], expectation.mismatches.map((m) => [`<code>${h(m.field)}</code>`, `<code>${h(m.expected)}</code>`, `<code>${h(m.actual)}</code>`]), 'exp'));
    }
    if (expectation.actualError) parts.push(`<p class="dim">the step failed with <code>${h(expectation.actualError.code)}</code> ${h(expectation.actualError.message)}</p>`);
  }
  return parts.length === 0 ? '' : `<div class="fail">${parts.join('')}</div>`;
};

const stepBody = (node: StepNode, options: StepsOptions): string => {
  const { step } = node;
  const parts: string[] = [];
  if (step.status === 'skipped') parts.push(`<p class="dim">Skipped: ${SKIP_TEXT[step.skipReason ?? 'previous_failure']}.</p>`);
  parts.push(failureBlock(step, options.file));
  if (step.expectation?.met) parts.push(`<p class="dim">expect: held</p>`);
  if (step.restored) parts.push('<p class="dim">Completed in an earlier attempt of this run: taken from its journal, not run again.</p>');
  if (step.exchanges.length > 0) {
    const rows = step.exchanges.map((x) => [
      `<code>${h(x.method)}</code>`,
      `<code class="path">${h(x.path)}</code>`,
      x.status === undefined ? '<span class="dim">no answer</span>' : `<span class="http${Math.floor(x.status / 100)}">${x.status}</span>`,
      formatDuration(x.durationMs),
      x.requestId === undefined ? '' : `<code>${h(x.requestId)}</code>`,
    ]);
    parts.push(table(['method', 'path', 'status', 'time', 'request id'], rows, 'http'));
  }
  if (step.polls.length > 0) {
    const from = time(step.startedAt);
    const rows = step.polls.map((poll, index) => [
      String(index + 1),
      Number.isFinite(from) ? `+${formatDuration(time(poll.at) - from)}` : h(poll.at),
      poll.status === undefined ? `<span class="dim">${h(poll.error ?? 'no status')}</span>` : `<code>${h(poll.status)}</code>`,
    ]);
    parts.push(table(['check', 'at', 'saw'], rows, 'polls'));
  }
  if (options.detail === 'full' && step.input !== undefined) parts.push(`<details class="io"><summary>input</summary><pre>${json(step.input)}</pre></details>`);
  if (options.detail === 'full' && step.output !== undefined) parts.push(`<details class="io"><summary>output</summary><pre>${json(step.output)}</pre></details>`);
  return parts.join('');
};

const tags = (step: StepResult, node: StepNode): string =>
  [
    node.children.length > 0 ? 'playbook' : '',
    step.cleanup ? 'finally' : '',
    step.allowedFailure ? 'continue_on_error' : '',
    step.restored ? 'restored' : '',
    step.attempts > 1 ? `${step.attempts} attempts` : '',
  ]
    .filter(Boolean)
    .map((tag) => `<span class="tag">${tag}</span>`)
    .join('');

const track = (node: StepNode, axis: Axis): string => {
  const { step, span } = node;
  if (!span) return `<span class="track"><span class="note">${step.status === 'skipped' ? 'skipped' : 'did not start'}</span></span>`;
  const bar = `<span class="bar"${attributes({ style: `left:${percent(span.from - axis.start, axis)}%;width:${percent(span.to - span.from, axis)}%` })}></span>`;
  const from = time(step.startedAt);
  const ticks = step.polls
    .map((poll, index) => {
      const title = `check ${index + 1}: ${poll.status ?? poll.error ?? 'no status'} (+${formatDuration(time(poll.at) - from)})`;
      return `<i class="tick"${attributes({ style: `left:${percent(time(poll.at) - axis.start, axis)}%`, title })}></i>`;
    })
    .join('');
  return `<span class="track">${bar}${ticks}</span>`;
};

const stepItem = (node: StepNode, options: StepsOptions, depth: number): string => {
  const { step } = node;
  const dot = step.id.lastIndexOf('.');
  const label = `${dot < 0 ? '' : `<span class="dim">${h(step.id.slice(0, dot + 1))}</span>`}<b>${h(step.id.slice(dot + 1))}</b>`;
  const name = step.name === undefined ? '' : ` <span class="name">${h(step.name)}</span>`;
  const duration = step.status === 'skipped' ? '' : formatDuration(node.span ? node.span.to - node.span.from : step.durationMs);
  const status = step.allowedFailure ? 'allowed' : step.status;
  const open = (step.status === 'failed' && !step.allowedFailure) || step.status === 'interrupted';
  const summary =
    `<summary class="row"><span class="mark">${MARKS[step.status]}</span>` +
    `<span class="label">${label}${name} <code class="uses">${h(step.uses)}</code>${tags(step, node)}</span>` +
    `${track(node, options.axis)}<span class="dur">${duration}</span></summary>`;
  const kids = node.children.length === 0 ? '' : `<ol class="steps kids">${node.children.map((child) => stepItem(child, options, depth + 1)).join('')}</ol>`;
  const item = `<li${attributes({ class: `step st-${status}`, id: `${options.idPrefix}${node.index}`, style: depth > 0 ? `--depth:${depth}` : undefined })}>`;
  if (options.detail === 'timeline') return `${item}${summary.replace(/^<summary class="row">(.*)<\/summary>$/s, '<div class="row">$1</div>')}${kids}</li>`;
  return `${item}<details${attributes({ open })}>${summary}<div class="body">${stepBody(node, options)}</div></details>${kids}</li>`;
};

/** A round step for the axis marks (1, 2 or 5 times a power of ten), giving three to five marks over `span`. */
const markStep = (span: number): number => {
  const rough = span / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => span / step <= 5) ?? 10 * power;
};

/** The axis labels above a timeline, at round times. */
const axisRow = (axis: Axis): string => {
  const step = markStep(axis.span);
  const marks: string[] = [];
  for (let at = 0; at <= axis.span; at += step) marks.push(`<span${attributes({ style: `left:${percent(at, axis)}%` })}>${formatDuration(at)}</span>`);
  return `<div class="row axis" aria-hidden="true"><span></span><span class="label dim">step</span><span class="track scale">${marks.join('')}</span><span class="dur dim">time</span></div>`;
};

/**
 * One run's steps as a timeline on one time axis, a row per step that opens to its details (failure,
 * expectation, HTTP exchanges, checks, input and output). Playbook steps nest under their call;
 * `finally:` steps follow, set apart. Failed steps are open, so they read without scripts.
 */
export const renderSteps = (steps: readonly StepResult[], options: StepsOptions): string => {
  if (steps.length === 0) return '<p class="dim">No steps.</p>';
  const roots = stepTree(steps);
  const main = roots.filter((node) => !node.step.cleanup);
  const cleanup = roots.filter((node) => node.step.cleanup);
  const list = (nodes: StepNode[], className: string): string => `<ol class="${className}">${nodes.map((node) => stepItem(node, options, 0)).join('')}</ol>`;
  return (
    `<div class="timeline">${axisRow(options.axis)}${list(main, 'steps')}` +
    (cleanup.length === 0 ? '' : `<p class="group">finally: <span class="dim">run after the steps, whatever happened to them</span></p>${list(cleanup, 'steps finally')}`) +
    '</div>'
  );
};
