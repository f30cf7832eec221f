import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ScriptCoverage {
  url: string;
  functions: Array<{ ranges: Array<{ startOffset: number; endOffset: number; count: number }> }>;
}

/** The count V8 gives the code at `offset`: that of the innermost range around it. */
const countAt = (script: ScriptCoverage, offset: number): number => {
  let best: { startOffset: number; endOffset: number; count: number } | undefined;
  for (const range of script.functions.flatMap((fn) => fn.ranges)) {
    if (range.startOffset <= offset && offset < range.endOffset && (!best || range.endOffset - range.startOffset <= best.endOffset - best.startOffset)) best = range;
  }
  return best?.count ?? 0;
};

/**
 * What a process evaluated, from the coverage V8 wrote for it (`NODE_V8_COVERAGE=dir`): Node's own
 * modules by URL (`node:internal/deps/undici/undici`), and the modules of an esbuild bundle by the path
 * esbuild writes in a comment before each (`node_modules/ky/distribution/index.js`, `src/cli.ts`). A
 * module in a chunk that was loaded counts when its code ran: the chunk's top level for an ES module, its
 * wrapper function for a CommonJS module (initialised on its first require, which may never come). Not
 * a matter of timing: counts, not samples.
 */
export const evaluatedModules = (coverageDir: string): Set<string> => {
  const found = new Set<string>();
  for (const name of readdirSync(coverageDir)) {
    const { result } = JSON.parse(readFileSync(`${coverageDir}/${name}`, 'utf8')) as { result: ScriptCoverage[] };
    for (const script of result) {
      if (script.url.startsWith('node:')) found.add(script.url);
      if (!script.url.startsWith('file:')) continue;
      const source = readFileSync(fileURLToPath(script.url), 'utf8');
      const wrapped = new Set<string>();
      // `var require_x = __commonJS({ "node_modules/x/index.js"(exports, module) {`, or `__esm({ "src/y.ts"() {`.
      for (const match of source.matchAll(/\n {2}"((?:node_modules|src)\/[^"]+)"\((?:exports|module|exports, module)?\) \{\n/g)) {
        wrapped.add(match[1]!);
        if (countAt(script, match.index + match[0].length) > 0) found.add(match[1]!);
      }
      for (const match of source.matchAll(/^\/\/ ((?:node_modules|src)\/\S+)$/gm)) {
        if (!wrapped.has(match[1]!) && countAt(script, match.index) > 0) found.add(match[1]!);
      }
    }
  }
  return found;
};
