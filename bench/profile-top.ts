/**
 * The top self-time entries of a V8 CPU profile (`node --cpu-prof`), by function and by file, for
 * bench/README.md's "Where the time goes". Lines of the esbuild bundle (dist/paxflow.js and its chunks in
 * dist/chunks/) are mapped back to their source module through the `// src/...` comments esbuild leaves
 * between modules.
 *
 * Usage: npx tsx bench/profile-top.ts FILE.cpuprofile [--top 20]
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  name: string;
  selfMs: number;
  share: number;
}

/** Module start lines of an esbuild bundle: `[line, module]`, ascending. */
const bundleModules = new Map<string, Array<[number, string]>>();
const moduleOfBundleLine = (path: string, line: number): string | undefined => {
  let starts = bundleModules.get(path);
  if (!starts) {
    starts = [];
    try {
      readFileSync(path, 'utf8').split('\n').forEach((text, index) => {
        const match = /^\/\/ ((?:src|bench|node_modules)\/\S+)$/.exec(text);
        if (match) starts!.push([index, match[1]!]);
      });
    } catch {
      // Not readable: locations stay as they are.
    }
    bundleModules.set(path, starts);
  }
  let found: string | undefined;
  for (const [start, module] of starts) {
    if (start > line) break;
    found = module;
  }
  return found;
};

/** `src/workflow/load.ts`, `node_modules/yaml/...`, `node:internal/...` or a V8 pseudo-frame name. */
const locate = (frame: ProfileNode['callFrame']): string => {
  const { url, functionName, lineNumber } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (!url.startsWith('file://')) return url;
  const path = fileURLToPath(url);
  // The entry, its split chunks (dist/chunks/*.js) and the profiling bundles all carry esbuild's comments.
  if (/[\\/]dist[\\/](?:paxflow\.js|chunks[\\/][^\\/]+\.js)$/.test(path) || path.endsWith('.mjs')) {
    return `${moduleOfBundleLine(path, lineNumber) ?? path.replace(/^.*[\\/]dist[\\/]/, 'dist/')} (bundled)`;
  }
  const inRepo = /\/((?:src|bench|node_modules)\/.*)$/.exec(path);
  return inRepo ? inRepo[1]! : path;
};

/** A file's area: `node_modules/<package>` or the file itself. */
const fileOf = (location: string): string => {
  const packaged = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(location);
  return packaged ? `node_modules/${packaged[1]}` : location.replace(/ \(bundled\)$/, '').replace(/:\d+$/, '');
};

const frameName = (frame: ProfileNode['callFrame']): string =>
  `${frame.functionName || '(anonymous)'}  ${locate(frame)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;

export interface Summary {
  total: number;
  functions: Entry[];
  files: Entry[];
  /** paxflow's own functions (src/) by inclusive time: what each costs with everything it calls. */
  inclusive: Entry[];
}

export const summarise = (profile: CpuProfile, top: number): Summary => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, ms] of self) {
    const { callFrame } = byId.get(id)!;
    const location = locate(callFrame);
    const name = frameName(callFrame);
    functions.set(name, (functions.get(name) ?? 0) + ms);
    files.set(fileOf(location), (files.get(fileOf(location)) ?? 0) + ms);
  }
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { callFrame } = byId.get(at)!;
      if (!locate(callFrame).startsWith('src/')) continue;
      const name = frameName(callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    }
  }
  const rank = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, selfMs]) => ({ name, selfMs, share: selfMs / total }));
  return { total, functions: rank(functions), files: rank(files), inclusive: rank(inclusive) };
};

const show = (entries: readonly Entry[]): string =>
  entries.map((entry) => `${entry.selfMs.toFixed(1).padStart(9)} ms ${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.name}`).join('\n');

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '20' } } });
  for (const file of positionals) {
    const { total, functions, files, inclusive } = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(values.top));
    process.stdout.write(
      `${file}: ${total.toFixed(0)} ms sampled\n\nBy function (self time):\n${show(functions)}\n\nBy file (self time):\n${show(files)}\n\n` +
        `paxflow functions (src/) by inclusive time:\n${show(inclusive)}\n\n`,
    );
  }
}
