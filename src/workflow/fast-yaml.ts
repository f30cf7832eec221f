/**
 * A fast reader for the plain subset of YAML that workflow files are written in: block mappings and
 * lists by indentation, one-line plain and quoted scalars, `|` and `>` text, one-line flow collections,
 * comments. It builds the JS value directly, without yaml's token stream, CST, document nodes and two
 * copies, which are most of the time of loading a large file (issue 8).
 *
 * It is only a fast path: it gives up (returns undefined) on anything outside the subset or anything yaml
 * might report (anchors, aliases, tags, multi-line plain or quoted scalars, directives, tabs, CR, duplicate
 * or forbidden keys, odd indentation, nesting near the loader's limit...), and the loader then does the
 * full parse. So a value from here
 * is the value yaml gives with the loader's options, for a file on which yaml reports nothing; the tests
 * compare both on every fixture and on generated text. Plain scalars are resolved by yaml's own core
 * schema tags, so `1`, `true`, `~`, `.5` mean what they mean to yaml.
 */

import { blockScalarValue, giveUp, INDICATORS, plainValue, quoteEnd, quotedValue, Unsupported } from './fast-yaml-scalars.js';

export { SCHEMA_OPTIONS } from './fast-yaml-scalars.js';

/** Characters yaml might treat as an error or as more than text, anywhere in the file. */
const UNSUPPORTED_CHARS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
/** Document markers and directives at the start of a line. */
const MARKERS = /^(?:---|\.\.\.|%)/m;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** The loader copies at most 1,000,000 values and 1,000 levels; files near that are left to it. */
const MAX_VALUES = 900_000;
const MAX_DEPTH = 500;
/** Keys longer than this may be over yaml's limit for implicit keys (1024). */
const MAX_KEY_LENGTH = 1000;

export interface FastResult {
  value: Record<string, unknown>;
  /** Deepest nesting of lists and mappings, the root mapping counted as 1. */
  depth: number;
}

/** The key of the root's start in a map of positions. */
const ROOT = {};

/**
 * Source offsets as yaml's locator gives them for `Workflow.locate`, from a second run of the fast reader
 * that keeps positions: the key's start when the path ends at a mapping key, else the value's start
 * (list items, the root). Undefined when the path does not exist. Only for text `fastLoad` took.
 */
export const fastKeyOffsets = (source: string, maxDepth: number): ((path: readonly (string | number)[]) => number | undefined) => {
  const positions = new Map<object, Map<string, number> | number[]>();
  const { value } = new Reader(source, maxDepth, positions).root();
  return (path) => {
    let node: unknown = value;
    let offset = (positions.get(ROOT) as number[])[0];
    for (const segment of path) {
      const at = node !== null && typeof node === 'object' ? positions.get(node) : undefined;
      if (Array.isArray(node)) {
        const index = typeof segment === 'number' ? segment : /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : -1;
        if (index < 0 || index >= node.length) return undefined;
        offset = (at as number[])[index];
        node = node[index];
      } else if (at instanceof Map) {
        offset = at.get(String(segment));
        if (offset === undefined) return undefined;
        node = (node as Record<string, unknown>)[String(segment)];
      } else {
        return undefined;
      }
    }
    return offset;
  };
};

/** The value of `source` when it is within the subset and yaml would report nothing; undefined otherwise. */
export const fastLoad = (source: string, maxDepth: number): FastResult | undefined => {
  if (UNSUPPORTED_CHARS.test(source) || MARKERS.test(source)) return undefined;
  try {
    return new Reader(source, maxDepth).root();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
};

const setKey = (target: Record<string, unknown>, key: string, value: unknown): void => {
  if (FORBIDDEN_KEYS.has(key) || Object.prototype.hasOwnProperty.call(target, key)) giveUp();
  target[key] = value;
};

class Reader {
  private pos = 0;
  /** Offset of the first character of the line `pos` is on. */
  private lineStart = 0;
  private depth = 0;
  private values = 0;

  constructor(
    private readonly src: string,
    private readonly maxDepth: number,
    /** Where each key and list item starts, by the mapping or list that holds it: kept only when asked. */
    private readonly positions?: Map<object, Map<string, number> | number[]>,
  ) {}

  root(): FastResult {
    if (this.nextLine() !== 0) giveUp();
    const start = this.pos;
    const value = this.map(0, 1);
    if (this.pos < this.src.length) giveUp();
    this.positions?.set(ROOT, [start]);
    return { value, depth: this.depth };
  }

  private mapKeyAt(map: object, key: string, offset: number): void {
    if (this.positions === undefined) return;
    let keys = this.positions.get(map) as Map<string, number> | undefined;
    if (keys === undefined) this.positions.set(map, (keys = new Map()));
    keys.set(key, offset);
  }

  private itemAt(list: unknown[], offset: number): void {
    if (this.positions === undefined) return;
    let items = this.positions.get(list) as number[] | undefined;
    if (items === undefined) this.positions.set(list, (items = []));
    items.push(offset);
  }

  private get column(): number {
    return this.pos - this.lineStart;
  }

  private endOfLine(from: number): number {
    const end = this.src.indexOf('\n', from);
    return end === -1 ? this.src.length : end;
  }

  /**
   * Moves to the first text of the next line that has any (not blank, not only a comment) and returns its
   * column, or -1 at the end of the source. `pos` must be at the end of a line or of the source.
   */
  private nextLine(): number {
    const { src } = this;
    while (this.pos < src.length) {
      if (src[this.pos] === '\n') this.pos += 1;
      this.lineStart = this.pos;
      while (src[this.pos] === ' ') this.pos += 1;
      const char = src[this.pos];
      if (char === undefined) break;
      if (char === '\n') continue;
      if (char === '#') {
        this.pos = this.endOfLine(this.pos);
        continue;
      }
      return this.pos - this.lineStart;
    }
    this.lineStart = this.pos = src.length;
    return -1;
  }

  /** After a value: only spaces and a comment (after a space) may follow on its line. */
  private finishLine(): void {
    const { src } = this;
    while (src[this.pos] === ' ') this.pos += 1;
    if (src[this.pos] === '#' && src[this.pos - 1] === ' ') this.pos = this.endOfLine(this.pos);
    if (this.pos < src.length && src[this.pos] !== '\n') giveUp();
  }

  /** Gives up before nesting could be refused (by the loader's estimate, or the copy's limit) or overflow the stack. */
  private enter(depth: number): void {
    if (2 * depth + 2 > this.maxDepth || depth > MAX_DEPTH) giveUp();
    if (depth > this.depth) this.depth = depth;
  }

  /** Counts a value; gives up well before the loader's limit on copied values. */
  private count(): void {
    this.values += 1;
    if (this.values > MAX_VALUES) giveUp();
  }

  /** True when a plain scalar may start at `at`: no indicator, or a `-` that starts a number or a word. */
  private startsPlain(at: number): boolean {
    const char = this.src[at];
    if (char === undefined) return false;
    if (!INDICATORS.has(char)) return true;
    return char === '-' && /[0-9A-Za-z.]/.test(this.src[at + 1] ?? '');
  }

  private isSeqIndicator(at: number): boolean {
    const next = this.src[at + 1];
    return this.src[at] === '-' && (next === ' ' || next === '\n' || next === undefined);
  }

  /** A block mapping whose first key starts at `pos`, in column `indent`. */
  private map(indent: number, depth: number): Record<string, unknown> {
    this.enter(depth);
    const { src } = this;
    const result: Record<string, unknown> = {};
    for (;;) {
      const keyAt = this.pos;
      const key = this.key();
      // pos is just after the ':'.
      while (src[this.pos] === ' ') this.pos += 1;
      const char = src[this.pos];
      let value: unknown;
      let next: number;
      if (char === undefined || char === '\n' || (char === '#' && src[this.pos - 1] === ' ')) {
        this.finishLine();
        next = this.nextLine();
        if (next > indent) {
          value = this.block(next, depth + 1);
          next = this.currentIndent();
        } else if (next === indent && this.isSeqIndicator(this.pos)) {
          value = this.seq(indent, depth + 1);
          next = this.currentIndent();
        } else {
          value = null;
        }
      } else {
        value = this.inlineValue(depth, false, indent);
        this.finishLine();
        next = this.nextLine();
      }
      this.count();
      setKey(result, key, value);
      this.mapKeyAt(result, key, keyAt);
      if (next < indent) return result;
      if (next > indent || this.isSeqIndicator(this.pos)) giveUp();
    }
  }

  /** The column of the line `pos` is on, after `nextLine` stopped there (or -1 at the end). */
  private currentIndent(): number {
    return this.pos >= this.src.length ? -1 : this.column;
  }

  /** A mapping or a list starting at `pos` on its own line, in column `indent`. */
  private block(indent: number, depth: number): unknown {
    if (this.isSeqIndicator(this.pos)) return this.seq(indent, depth);
    if (this.keyEnd(this.pos) === -1) giveUp();
    return this.map(indent, depth);
  }

  /** A block list whose first `-` is at `pos`, in column `indent`. */
  private seq(indent: number, depth: number): unknown[] {
    this.enter(depth);
    const { src } = this;
    const result: unknown[] = [];
    for (;;) {
      this.pos += 1;
      while (src[this.pos] === ' ') this.pos += 1;
      const char = src[this.pos];
      if (char === undefined || char === '\n' || char === '#') giveUp();
      const column = this.column;
      let next: number;
      this.count();
      this.itemAt(result, this.pos);
      if (this.isSeqIndicator(this.pos)) {
        result.push(this.seq(column, depth + 1));
        next = this.currentIndent();
      } else if (char !== '[' && char !== '{' && this.keyEnd(this.pos) !== -1) {
        result.push(this.map(column, depth + 1));
        next = this.currentIndent();
      } else {
        result.push(this.inlineValue(depth, true, indent));
        this.finishLine();
        next = this.nextLine();
      }
      if (next !== indent || !this.isSeqIndicator(this.pos)) {
        if (next > indent) giveUp();
        return result;
      }
    }
  }

  /**
   * If a mapping key starts at `from` (a one-line key followed by `:` and a space or the line's end),
   * the offset of that `:`; otherwise -1. Gives up on keys yaml might read differently.
   */
  private keyEnd(from: number): number {
    const { src } = this;
    const first = src[from];
    if (first === '"' || first === "'") {
      const close = quoteEnd(this.src, from);
      if (src[close] !== ':') return -1;
      const next = src[close + 1];
      return next === ' ' || next === '\n' || next === undefined ? close : giveUp();
    }
    if (first === undefined || INDICATORS.has(first)) return -1;
    for (let at = from; at < src.length; at += 1) {
      const char = src[at];
      if (char === '\n') return -1;
      if (char === '#' && src[at - 1] === ' ') return -1;
      if (char === ':') {
        const next = src[at + 1];
        if (next === ' ' || next === '\n' || next === undefined) return at;
      }
    }
    return -1;
  }

  /** Reads the key at `pos` and moves past its `:`. */
  private key(): string {
    const { src } = this;
    const end = this.keyEnd(this.pos);
    if (end === -1 || end - this.pos > MAX_KEY_LENGTH) giveUp();
    let key: string;
    if (src[this.pos] === '"' || src[this.pos] === "'") {
      if (src[end] !== ':') giveUp();
      key = this.quoted();
    } else {
      key = src.slice(this.pos, end);
      if (key.endsWith(' ') || key.includes(' #')) giveUp();
    }
    this.pos = end + 1;
    return key;
  }

  /** A scalar or flow collection that starts at `pos` and ends on its line. */
  private inlineValue(depth: number, inList: boolean, indent: number): unknown {
    const { src } = this;
    const char = src[this.pos]!;
    if (char === '|' || char === '>') return this.blockScalar(indent);
    if (char === '"' || char === "'") {
      const value = this.quoted();
      if (!inList || src[this.pos] !== ':') return value;
      return giveUp();
    }
    if (char === '[' || char === '{') return this.flow(depth + 1);
    if (!this.startsPlain(this.pos)) giveUp();
    let end = this.pos + 1;
    while (end < src.length && src[end] !== '\n' && !(src[end] === '#' && src[end - 1] === ' ')) end += 1;
    const text = src.slice(this.pos, end).trimEnd();
    // `a: b: c` is an error to yaml; `a: b:` is left to it too.
    if (text.includes(': ') || text.endsWith(':')) giveUp();
    this.pos += text.length;
    return plainValue(text);
  }

  /** A block scalar (see blockScalarValue) whose header is at `pos`, in a collection at column `parentIndent`. */
  private blockScalar(parentIndent: number): string {
    const { src } = this;
    const folded = src[this.pos] === '>';
    this.pos += 1;
    const strip = src[this.pos] === '-';
    if (strip) this.pos += 1;
    this.finishLine();
    const { value, end } = blockScalarValue(src, this.pos, { folded, strip, parentIndent });
    this.pos = end;
    return value;
  }

  /** The one-line quoted scalar at `pos`; moves past it. */
  private quoted(): string {
    const { value, end } = quotedValue(this.src, this.pos);
    this.pos = end;
    return value;
  }

  /** A flow list or mapping that starts at `pos` and closes on the same line. */
  private flow(depth: number): unknown {
    this.enter(depth);
    const { src } = this;
    const isMap = src[this.pos] === '{';
    const close = isMap ? '}' : ']';
    const result: unknown[] | Record<string, unknown> = isMap ? {} : [];
    this.pos += 1;
    this.skipSpaces();
    if (src[this.pos] === close) {
      this.pos += 1;
      return result;
    }
    for (;;) {
      const at = this.pos;
      if (isMap) {
        const key = this.flowScalar(true);
        if (typeof key !== 'string' || src[this.pos] !== ':' || src[this.pos + 1] !== ' ') giveUp();
        this.pos += 1;
        this.skipSpaces();
        this.count();
        setKey(result as Record<string, unknown>, key as string, this.flowItem(depth));
        this.mapKeyAt(result, key as string, at);
      } else {
        this.count();
        this.itemAt(result as unknown[], at);
        (result as unknown[]).push(this.flowItem(depth));
        if (src[this.pos] === ':') giveUp();
      }
      this.skipSpaces();
      const char = src[this.pos];
      this.pos += 1;
      if (char === close) return result;
      if (char !== ',') giveUp();
      this.skipSpaces();
      // A trailing comma and empty entries are left to yaml.
      if (src[this.pos] === close || src[this.pos] === ',') giveUp();
    }
  }

  private skipSpaces(): void {
    while (this.src[this.pos] === ' ') this.pos += 1;
  }

  private flowItem(depth: number): unknown {
    const char = this.src[this.pos];
    if (char === '[' || char === '{') return this.flow(depth + 1);
    const value = this.flowScalar(false);
    this.skipSpaces();
    return value;
  }

  /** A quoted or plain scalar inside a flow collection; a key (`asKey`) is kept as text, as `stringKeys` does. */
  private flowScalar(asKey: boolean): unknown {
    const { src } = this;
    const char = src[this.pos];
    if (char === '"' || char === "'") return this.quoted();
    if (!this.startsPlain(this.pos) || (asKey && char === '-')) giveUp();
    const start = this.pos;
    for (;;) {
      const at = src[this.pos];
      if (at === undefined || at === '\n' || at === '[' || at === '{') giveUp();
      if (at === ',' || at === ']' || at === '}') break;
      if (at === '#' && src[this.pos - 1] === ' ') giveUp();
      if (at === ':') {
        const next = src[this.pos + 1];
        if (next === ' ') break;
        if (next === undefined || next === '\n' || next === ',' || next === '[' || next === ']' || next === '{' || next === '}') giveUp();
      }
      this.pos += 1;
    }
    const text = src.slice(start, this.pos);
    if (!asKey) return plainValue(text.trimEnd());
    // Spaces before the `:` of a key: left to yaml.
    return text.endsWith(' ') ? giveUp() : text;
  }
}
