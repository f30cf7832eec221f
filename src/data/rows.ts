/**
 * Rows of a data file, pulled one at a time: CSV and JSONL are read by chunks as rows are asked for, so
 * memory holds one chunk and the rows in flight, whatever the size of the file. Pure but for reading.
 */

import { open } from 'node:fs/promises';
import { createCsvParser, type CsvRecord } from './csv.js';

/** Why a row cannot run. The message names the row, its line and columns, never a value. */
export interface RowProblem {
  code: string;
  message: string;
}

/** One row of a data file (or of a workflow's `matrix:`). */
export interface DataRow {
  /** 1-based among the rows (the header and empty lines not counted). */
  number: number;
  /** Where the row starts in the file, for CSV and JSONL. */
  line?: number;
  /** The row's values by column; an empty CSV cell is left out, so it reads as missing. */
  values?: Record<string, unknown>;
  /** Set when the row cannot be used; `values` is absent then. */
  problem?: RowProblem;
}

const CHUNK_BYTES = 64 * 1024;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
export const MAX_LINE_CHARS = 1024 * 1024;

/** The file as text, a chunk at a time (UTF-8, a leading BOM dropped), read only as the caller pulls. */
export async function* readTextChunks(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<string> {
  const handle = await open(path, 'r');
  try {
    const decoder = new TextDecoder('utf-8');
    const buffer = Buffer.alloc(chunkBytes);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const text = decoder.decode(buffer.subarray(0, bytesRead), { stream: true });
      if (text !== '') yield text;
    }
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  } finally {
    await handle.close();
  }
}

const where = (number: number, line: number | undefined): string => (line === undefined ? `row ${number}` : `row ${number} (line ${line})`);

/** A key that would change an object's prototype if it were copied: refused in rows as in workflows. */
export const findForbiddenKey = (value: unknown, depth = 0): string | undefined => {
  if (depth > 64 || value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(key)) return key;
    const found = findForbiddenKey(item, depth + 1);
    if (found) return found;
  }
  return undefined;
};

/** The CSV records of a file, header first. */
async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const parser = createCsvParser({ maxRecordChars: MAX_LINE_CHARS });
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}

/** Checks a CSV header; returns the problem, or undefined when it is usable. */
export const headerProblem = (record: CsvRecord): string | undefined => {
  if (record.problem) return `the header row (line ${record.line}): ${record.problem.message}`;
  const seen = new Set<string>();
  for (const [index, name] of record.fields.map((field) => field.trim()).entries()) {
    if (name === '') return `column ${index + 1} of the header row has no name`;
    if (FORBIDDEN_KEYS.has(name)) return `the header row names a column '${name}', which is not allowed`;
    if (seen.has(name)) return `the header row names the column '${name}' twice`;
    seen.add(name);
  }
  return undefined;
};

/** The header of a CSV file and its rows after it. The header's problems are thrown by the caller. */
export async function* csvRows(chunks: AsyncIterable<string>): AsyncGenerator<{ header: CsvRecord } | DataRow> {
  let columns: string[] | undefined;
  let number = 0;
  for await (const record of csvRecords(chunks)) {
    if (!columns) {
      columns = record.fields.map((field) => field.trim());
      yield { header: record };
      continue;
    }
    number += 1;
    if (record.problem) {
      yield { number, line: record.line, problem: { code: record.problem.code, message: `${where(number, record.line)}: ${record.problem.message}` } };
      continue;
    }
    if (record.fields.length !== columns.length) {
      const message = `${where(number, record.line)} has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}; the header has ${columns.length}`;
      yield { number, line: record.line, problem: { code: 'ROW_BAD_FIELDS', message } };
      continue;
    }
    const values: Record<string, unknown> = {};
    for (const [index, column] of columns.entries()) {
      const value = record.fields[index]!;
      if (value !== '') values[column] = value;
    }
    yield { number, line: record.line, values };
  }
}

/** One row from one JSON value: it must be an object without forbidden keys. */
const objectRow = (value: unknown, number: number, line: number | undefined): DataRow => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    return { number, ...(line === undefined ? {} : { line }), problem: { code: 'ROW_NOT_OBJECT', message: `${where(number, line)} is ${kind}; each row must be an object of column: value` } };
  }
  const forbidden = findForbiddenKey(value);
  if (forbidden) {
    return { number, ...(line === undefined ? {} : { line }), problem: { code: 'ROW_FORBIDDEN_KEY', message: `${where(number, line)} holds the key '${forbidden}', which is not allowed` } };
  }
  return { number, ...(line === undefined ? {} : { line }), values: value as Record<string, unknown> };
};

/** Rows of a JSON Lines file: one object per line; blank lines are skipped. */
export async function* jsonlRows(chunks: AsyncIterable<string>): AsyncGenerator<DataRow> {
  let pending = '';
  let line = 0;
  let number = 0;
  let overflow = false;
  const take = (text: string): DataRow | undefined => {
    line += 1;
    const source = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (!overflow && source.trim() === '') return undefined;
    number += 1;
    if (overflow) {
      overflow = false;
      return { number, line, problem: { code: 'ROW_TOO_LARGE', message: `${where(number, line)} holds more than ${MAX_LINE_CHARS} characters` } };
    }
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch {
      // JSON.parse's message quotes the text, which may be personal data.
      return { number, line, problem: { code: 'ROW_BAD_JSON', message: `${where(number, line)} is not valid JSON` } };
    }
    return objectRow(value, number, line);
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      const row = take(pending + chunk.slice(start, end));
      pending = '';
      start = end + 1;
      if (row) yield row;
    }
    pending += chunk.slice(start);
    if (pending.length > MAX_LINE_CHARS) {
      overflow = true;
      pending = '';
    }
  }
  if (pending !== '' || overflow) {
    const row = take(pending);
    if (row) yield row;
  }
}

/** Rows of a JSON file: an array of objects. The file is parsed whole (JSON cannot be streamed simply). */
export const jsonRows = (text: string): { rows?: DataRow[]; problem?: string } => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'the file is not valid JSON' };
  }
  if (!Array.isArray(value)) return { problem: 'the file must hold a JSON array of row objects' };
  return { rows: value.map((item, index) => objectRow(item, index + 1, undefined)) };
};
