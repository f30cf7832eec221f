/**
 * From paths in the workflow data (keys and indexes, or ajv's `instancePath`) to offsets in the YAML
 * source, and from offsets to 1-based line:col. `toPosition` is the one place offsets become positions.
 */

import { isAlias, isMap, isScalar, isSeq, LineCounter } from 'yaml';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import type { DocPath, Position } from './types.js';

/** What a problem points at: the key at `path`, the value at `path`, or the first key of the mapping at `path`. */
export type Target = 'key' | 'value' | 'first-key';

/** 1-based line and column of a source offset. */
export const toPosition = (lineCounter: LineCounter, offset: number): Position => {
  const { line, col } = lineCounter.linePos(offset);
  return line === 0 ? { line: 1, col: offset + 1 } : { line, col };
};

/** A LineCounter for text that yaml has not parsed (yet), e.g. to place an error found before parsing. */
export const lineCounterFor = (source: string): LineCounter => {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let index = source.indexOf('\n'); index !== -1; index = source.indexOf('\n', index + 1)) counter.addNewLine(index + 1);
  return counter;
};

/** ajv's `instancePath` (a JSON Pointer such as `/steps/0/with/a~1b`) as path segments. */
export const pointerToPath = (pointer: string): string[] => {
  if (pointer === '') return [];
  const parts = pointer.slice(1).split('/');
  // Most pointers escape nothing; validating a large file converts tens of thousands of them.
  return pointer.includes('~') ? parts.map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')) : parts;
};

/** The minimal shape of an ajv error that locating needs. */
export interface PointedError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/**
 * Where an ajv error points: an unknown key (`additionalProperties`) or a bad key name (`propertyNames`) at
 * that key, a missing key (`required`, `dependencies`) at the mapping's first key, anything else at the value.
 */
export const ajvErrorTarget = (error: PointedError): { path: string[]; target: Target } => {
  const path = pointerToPath(error.instancePath);
  const { additionalProperty, propertyName } = error.params;
  if (error.keyword === 'additionalProperties' && typeof additionalProperty === 'string') {
    return { path: [...path, additionalProperty], target: 'key' };
  }
  if (error.keyword === 'propertyNames' && typeof propertyName === 'string') return { path: [...path, propertyName], target: 'key' };
  if (error.keyword === 'required' || error.keyword === 'dependencies' || error.keyword === 'dependentRequired') {
    return { path, target: 'first-key' };
  }
  return { path, target: 'value' };
};

/** Finds nodes and their offsets in one parsed document. */
export interface Locator {
  /** The node at `path` (aliases followed), or undefined when the path does not exist. */
  node(path: DocPath): Node | undefined;
  /** Offset of `target` at `path`, or undefined when the path does not exist. */
  offset(path: DocPath, target?: Target): number | undefined;
  /** Offset of `target` at `path`, or of the nearest enclosing key or item that exists. */
  nearestOffset(path: DocPath, target?: Target): number;
  position(offset: number): Position;
  /** Position of the key at `path` (for list items and the root: the value), as `Workflow.locate` promises. */
  locate(path: DocPath): Position | undefined;
}

interface Found {
  /** The value node; null for a key without a value node. */
  node: Node | null;
  /** The key node, when the last segment named a mapping key. */
  key: Node | undefined;
}

const MAX_ALIAS_HOPS = 100;

export const createLocator = (document: Document, lineCounter: LineCounter): Locator => {
  const resolve = (node: unknown): Node | null => {
    let current = node;
    for (let hops = 0; isAlias(current) && hops < MAX_ALIAS_HOPS; hops += 1) current = current.resolve(document) ?? null;
    return (current ?? null) as Node | null;
  };

  // Keys of each mapping, indexed on first use: a file with many problems in one big mapping stays fast.
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (index === undefined) {
      index = new Map();
      // The last of duplicate keys wins, as in the data.
      for (const pair of map.items) if (isScalar(pair.key)) index.set(String(pair.key.value), pair as Pair);
      indexes.set(map, index);
    }
    return index.get(key);
  };

  const find = (path: DocPath): Found | undefined => {
    let found: Found = { node: resolve(document.contents), key: undefined };
    for (const segment of path) {
      const node = found.node;
      if (isMap(node)) {
        const pair = pairOf(node, String(segment));
        if (!pair) return undefined;
        found = { node: resolve(pair.value), key: pair.key as Node };
      } else if (isSeq(node)) {
        const index = typeof segment === 'number' ? segment : /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : -1;
        if (index < 0 || index >= node.items.length) return undefined;
        found = { node: resolve(node.items[index]), key: undefined };
      } else {
        return undefined;
      }
    }
    return found;
  };

  const start = (node: Node | null | undefined): number | undefined => node?.range?.[0];
  const isEmptyValue = (node: Node | null): boolean =>
    node === null || (isScalar(node) && node.value === null && node.range != null && node.range[0] === node.range[1]);

  const offset = (path: DocPath, target: Target = 'key'): number | undefined => {
    const found = find(path);
    if (!found) return undefined;
    const keyStart = start(found.key);
    if (target === 'key' && keyStart !== undefined) return keyStart;
    if (target === 'first-key' && isMap(found.node)) {
      const first = start(found.node.items[0]?.key as Node | undefined);
      if (first !== undefined) return first;
    }
    // A key written without a value (`with:`) has an empty node after the colon; point at the key instead.
    if (isEmptyValue(found.node) && keyStart !== undefined) return keyStart;
    return start(found.node) ?? keyStart;
  };

  const nearestOffset = (path: DocPath, target: Target = 'key'): number => {
    for (let length = path.length; length >= 0; length -= 1) {
      const found = offset(path.slice(0, length), length === path.length ? target : 'key');
      if (found !== undefined) return found;
    }
    return 0;
  };

  const position = (at: number): Position => toPosition(lineCounter, at);

  return {
    node: (path) => find(path)?.node ?? undefined,
    offset,
    nearestOffset,
    position,
    locate: (path) => {
      const at = offset(path, 'key');
      return at === undefined ? undefined : position(at);
    },
  };
};

/**
 * A locator that builds what it reads from the first time it is asked: the loader may build yaml's
 * document only on demand (see loadWorkflow), and a valid file needs no position.
 */
export const lazyLocator = (loaded: { readonly document?: Document | undefined; readonly lineCounter?: LineCounter | undefined }): Locator => {
  let locator: Locator | undefined;
  const get = (): Locator => {
    if (locator === undefined) {
      const { document, lineCounter } = loaded;
      if (!document || !lineCounter) throw new Error('the workflow has no document to place positions in');
      locator = createLocator(document, lineCounter);
    }
    return locator;
  };
  return {
    node: (path) => get().node(path),
    offset: (path, target) => get().offset(path, target),
    nearestOffset: (path, target) => get().nearestOffset(path, target),
    position: (offset) => get().position(offset),
    locate: (path) => get().locate(path),
  };
};
