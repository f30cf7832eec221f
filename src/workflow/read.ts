/**
 * Reading a workflow file and the playbooks it calls: the one effectful part of src/workflow.
 *
 * A step with `uses: ./playbooks/x.yaml` calls a playbook, a path relative to the calling file. Every
 * playbook reached is read, loaded and validated once; what each declares (inputs, outputs) goes to the
 * validation of its callers, which stays pure. Problems with a call itself (the file cannot be read, a
 * cycle, nesting too deep) point at its `uses:`; problems inside a playbook point into the playbook.
 */

import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { DEFAULT_MAX_BYTES, loadWorkflow } from './load.js';
import type { LoadedWorkflow, LoadOptions } from './load.js';
import { lazyLocator } from './locate.js';
import { isRecord, stepItems } from './rules/context.js';
import type { PlaybookInterface } from './rules/context.js';
import { PLAYBOOK_USES_PATTERN } from './schema-playbook.js';
import type { Workflow } from './types.js';
import { isTemplatePath, uploadFields } from './rules/uploads.js';
import type { StepDefinition } from '../steps/define.js';
import { stepRegistry } from '../steps/registry.js';
import { inspectDocumentFile, type DocumentFileFacts } from '../util/document-file.js';
import { prepareSchemaCheck } from './rules/schema.js';
import { validateWorkflow } from './validate.js';
import type { ValidateOptions, ValidationResult } from './validate.js';

export interface ReadWorkflowOptions extends LoadOptions, ValidateOptions {
  /** Directory that a relative path is resolved against. @default process.cwd() */
  cwd?: string;
  /**
   * The workflow's text, taken instead of reading `file` (which still names it in diagnostics and is
   * where its playbook paths start). @default the file's content
   */
  source?: string;
}

/** How many playbook calls may nest: the workflow calls a playbook (1) that calls one (2) ... */
export const MAX_PLAYBOOK_DEPTH = 8;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const USES = new RegExp(PLAYBOOK_USES_PATTERN);

type Source = { ok: true; source: string } | { ok: false; code: 'FILE_UNREADABLE' | 'FILE_TOO_LARGE' | 'FILE_NOT_UTF8'; message: string };

/** The text of a file, or why it cannot be had. Never throws for a bad file. */
const readSource = async (path: string, maxBytes: number): Promise<Source> => {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, code: 'FILE_UNREADABLE', message: 'this is not a file' };
    // Refuse before reading, so a huge file never reaches memory.
    if (info.size > maxBytes) return { ok: false, code: 'FILE_TOO_LARGE', message: `the file has ${info.size} bytes; the limit is ${maxBytes}` };
    bytes = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { ok: false, code: 'FILE_UNREADABLE', message: `cannot read the file (${reason})` };
  }
  try {
    return { ok: true, source: utf8.decode(bytes) };
  } catch {
    return { ok: false, code: 'FILE_NOT_UTF8', message: 'the file is not UTF-8 text' };
  }
};

/** A playbook call found in a file. */
interface Call {
  uses: string;
  /** Where `uses:` is, as a diagnostic position in the calling file. */
  at: { line: number; col: number };
  target: string;
  targetName: string;
}

/** One file reached: the workflow, or a playbook. */
interface Entry {
  path: string;
  /** The name diagnostics give: the workflow's as the user gave it, a playbook's joined to its caller's. */
  name: string;
  source: Source;
  loaded?: LoadedWorkflow;
  calls: Call[];
  /** Problems of its calls (unreadable, cycle, too deep), each once. */
  callProblems: Map<string, Diagnostic>;
  /** The deepest level this file was explored at. */
  depth: number;
}

const callsOf = (loaded: LoadedWorkflow, path: string, name: string): Call[] => {
  const { value } = loaded;
  if (!value) return [];
  // Positions only for files that call playbooks: the loader may build yaml's document on demand.
  const locator = lazyLocator(loaded);
  const seen = new Set<string>();
  return stepItems(value).flatMap(({ item, path: at }) => {
    if (!isRecord(item) || typeof item.uses !== 'string' || !USES.test(item.uses) || seen.has(item.uses)) return [];
    seen.add(item.uses);
    const position = locator.position(locator.nearestOffset([...at, 'uses'], 'value'));
    return [{ uses: item.uses, at: position, target: resolve(dirname(path), item.uses), targetName: join(dirname(name), item.uses) }];
  });
};

/**
 * Inspects every file the file's steps upload (literal paths only; a template is reported by validation),
 * resolved against the file's folder, so validation can say before the run what is wrong with each.
 */
const inspectUploads = async (entry: Entry, registry: readonly StepDefinition[]): Promise<Map<string, DocumentFileFacts>> => {
  const facts = new Map<string, DocumentFileFacts>();
  const value = entry.loaded?.value;
  if (!value) return facts;
  for (const { item } of stepItems(value)) {
    if (!isRecord(item)) continue;
    const definition = typeof item.uses === 'string' ? registry.find((step) => step.type === item.uses) : undefined;
    for (const { value: file } of uploadFields(definition, item.with)) {
      if (typeof file !== 'string' || file === '' || isTemplatePath(file) || facts.has(file)) continue;
      facts.set(file, await inspectDocumentFile(resolve(dirname(entry.path), file)));
    }
  }
  return facts;
};

const interfaceOf = (entry: Entry): PlaybookInterface | undefined => {
  const value = entry.loaded?.value;
  if (!value) return undefined;
  return {
    file: entry.name,
    inputs: isRecord(value.inputs) ? value.inputs : {},
    outputs: isRecord(value.outputs) ? Object.keys(value.outputs) : [],
  };
};

/**
 * What a file may declare only when it is run itself: a called playbook runs once per call, so a
 * `matrix:` of its own would be silently ignored.
 */
const calledFileProblems = (entry: Entry): Diagnostic[] => {
  const { loaded } = entry;
  if (!loaded?.value || !('matrix' in loaded.value)) return [];
  const message = 'this file is called as a playbook, which runs once per call, so its matrix: would be ignored; move matrix: to the workflow that calls it';
  return [{ code: 'PLAYBOOK_MATRIX', message, file: entry.name, ...lazyLocator(loaded).locate(['matrix']) }];
};

const byPosition = (a: Diagnostic, b: Diagnostic): number =>
  (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0) || a.code.localeCompare(b.code);

/**
 * Reads, loads and validates one workflow file and every playbook it calls. Problems with the file itself
 * (missing, too large, not UTF-8) are diagnostics too; this never throws for bad input. Diagnostics name
 * the workflow as given, and a playbook by its path joined to its caller's (`workflows/playbooks/x.yaml`);
 * those of the workflow come first, then each playbook's, each sorted by position.
 */
export const readWorkflowFile = async (file: string, options: ReadWorkflowOptions = {}): Promise<ValidationResult> => {
  const { cwd = process.cwd(), maxBytes = DEFAULT_MAX_BYTES, extraVars, rowColumns, source: text, ...rest } = options;
  const entries = new Map<string, Entry>();

  const enter = async (path: string, name: string): Promise<Entry> => {
    let entry = entries.get(path);
    if (entry === undefined) {
      const source: Source = text !== undefined && entries.size === 0 ? { ok: true, source: text } : await readSource(path, maxBytes);
      const loaded = source.ok ? loadWorkflow(source.source, name, options) : undefined;
      entry = { path, name, source, ...(loaded ? { loaded } : {}), calls: loaded ? callsOf(loaded, path, name) : [], callProblems: new Map(), depth: -1 };
      entries.set(path, entry);
    }
    return entry;
  };

  const root = await enter(resolve(cwd, file), file);
  if (!root.source.ok) return { diagnostics: [{ code: root.source.code, message: root.source.message, file }] };

  // Depth first along each chain of calls, so that a cycle can be named. A file is explored again only
  // when reached deeper than before (which can only find more nesting), so the walk stays bounded.
  const explore = async (entry: Entry, chain: readonly Entry[]): Promise<void> => {
    const depth = chain.length - 1;
    if (depth <= entry.depth) return;
    entry.depth = depth;
    for (const call of entry.calls) {
      const problem = (code: string, message: string): void => {
        entry.callProblems.set(`${code} ${call.uses}`, { code, message, file: entry.name, ...call.at });
      };
      const names = (files: readonly Entry[]) => [...files.map((item) => item.name), call.targetName].join(' -> ');
      const loop = chain.findIndex((item) => item.path === call.target);
      if (loop !== -1) {
        problem('PLAYBOOK_CYCLE', `playbooks call each other in a cycle: ${names(chain.slice(loop))}`);
        continue;
      }
      if (depth + 1 > MAX_PLAYBOOK_DEPTH) {
        problem('PLAYBOOK_TOO_DEEP', `playbooks nest more than ${MAX_PLAYBOOK_DEPTH} calls deep: ${names(chain)}`);
        continue;
      }
      const target = await enter(call.target, call.targetName);
      if (!target.source.ok) {
        problem('PLAYBOOK_UNREADABLE', `cannot use the playbook ${call.targetName}: ${target.source.message}`);
        continue;
      }
      await explore(target, [...chain, target]);
    }
  };
  await explore(root, [root]);

  // Validation is synchronous: ajv's compiler, when it is needed (from source, or for a registry of
  // your own), is loaded first. The step input validators are prebuilt with the workflow validator or
  // not at all, so every workflow read this way can also be planned and its inputs checked.
  await prepareSchemaCheck(rest.registry ?? stepRegistry);
  const results = new Map<Entry, ValidationResult>();
  for (const entry of entries.values()) {
    if (!entry.loaded) continue;
    const playbooks = new Map<string, PlaybookInterface>();
    for (const call of entry.calls) {
      const target = entries.get(call.target);
      const declared = target ? interfaceOf(target) : undefined;
      if (declared) playbooks.set(call.uses, declared);
    }
    // --var and --data rows are the workflow's: a playbook reads only its inputs (and its own vars: defaults).
    const given = entry === root ? { ...(extraVars ? { extraVars } : {}), ...(rowColumns ? { rowColumns } : {}) } : {};
    const uploadFiles = await inspectUploads(entry, rest.registry ?? stepRegistry);
    const own = validateWorkflow(entry.loaded, entry.name, { ...rest, ...given, playbooks, ...(uploadFiles.size > 0 ? { uploadFiles } : {}) });
    const called = entry === root ? [] : calledFileProblems(entry);
    const diagnostics = [...own.diagnostics, ...entry.callProblems.values(), ...called].sort(byPosition);
    results.set(entry, { ...(own.workflow ? { workflow: own.workflow } : {}), diagnostics });
  }

  const diagnostics = [...results.values()].flatMap((result) => result.diagnostics);
  if (diagnostics.some((d) => (d.severity ?? 'error') === 'error')) return { diagnostics };

  // Every file is valid, so there is no cycle: each workflow gets the playbooks it calls, already linked.
  const linked = new Map<Entry, Workflow>();
  const link = (entry: Entry): Workflow => {
    let workflow = linked.get(entry);
    if (workflow === undefined) {
      const playbooks = new Map<string, Workflow>();
      for (const call of entry.calls) playbooks.set(call.uses, link(entries.get(call.target)!));
      workflow = { ...results.get(entry)!.workflow!, ...(playbooks.size > 0 ? { playbooks } : {}), dir: dirname(entry.path) };
      linked.set(entry, workflow);
    }
    return workflow;
  };
  return { workflow: link(root), diagnostics };
};
