/**
 * Data files for data-driven runs (`paxflow run FILE --data customers.csv`): CSV with a header row,
 * JSON Lines, or a JSON array of objects. Rows are pulled one at a time as the runs need them.
 */

import { readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { csvRows, headerProblem, jsonRows, jsonlRows, readTextChunks, type DataRow } from './rows.js';

export { createCsvParser } from './csv.js';
export type { CsvParser, CsvRecord, RecordProblem } from './csv.js';
export { csvRows, jsonRows, jsonlRows, readTextChunks } from './rows.js';
export type { DataRow, RowProblem } from './rows.js';

export type DataFormat = 'csv' | 'jsonl' | 'json';

/** An opened data file: its format, its columns when the file has a header, and its rows. */
export interface DataSource {
  /** As the user named it. */
  file: string;
  format: DataFormat;
  /** The CSV header's column names; undefined for JSONL and JSON, whose columns are known per row. */
  columns?: readonly string[];
  /** The rows, read from the file again on each call, a chunk at a time as they are pulled. */
  rows(): AsyncIterable<DataRow>;
}

/** Biggest JSON data file: a JSON array is read whole; use CSV or JSONL for more. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

const FORMATS: Record<string, DataFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'json' };

const unreadable = (file: string, error: unknown): UsageError =>
  new UsageError('DATA_UNREADABLE', `cannot read the data file ${file} (${(error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error'})`, { cause: error });

/**
 * Opens `--data FILE`: picks the format by extension, reads a CSV header and checks that the file
 * holds at least one row. Throws a `UsageError` (exit 2) for a file that cannot be used at all:
 * `DATA_UNREADABLE`, `DATA_FORMAT`, `DATA_BAD_HEADER`, `DATA_EMPTY`. A bad row is not an error here:
 * it comes out of `rows()` with its `problem`, and fails alone.
 */
export const openDataSource = async (file: string, cwd: string): Promise<DataSource> => {
  const format = FORMATS[extname(file).toLowerCase()];
  if (!format) throw new UsageError('DATA_FORMAT', `--data takes a .csv, .jsonl (or .ndjson) or .json file, not ${file}`);
  const path = resolve(cwd, file);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    if (format === 'json' && info.size > MAX_JSON_BYTES) {
      throw new UsageError('DATA_TOO_LARGE', `${file} has ${info.size} bytes; a JSON data file may have ${MAX_JSON_BYTES}: use CSV or JSON Lines, which are streamed`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw unreadable(file, error);
  }
  const empty = (): UsageError => new UsageError('DATA_EMPTY', `the data file ${file} holds no rows`);

  if (format === 'json') {
    const text = await readFile(path, 'utf8').catch((error: unknown) => {
      throw unreadable(file, error);
    });
    const parsed = jsonRows(text.replace(/^\uFEFF/, ''));
    if (!parsed.rows) throw new UsageError('DATA_BAD_JSON', `${file}: ${parsed.problem}`);
    if (parsed.rows.length === 0) throw empty();
    const rows = parsed.rows;
    return {
      file,
      format,
      rows: async function* () {
        yield* rows;
      },
    };
  }

  const rows = format === 'csv' ? () => csvRows(readTextChunks(path)) : () => jsonlRows(readTextChunks(path));
  let columns: string[] | undefined;
  let any = false;
  try {
    // Only the header and the first row are read now; the generator closes the file on return.
    for await (const item of rows()) {
      if ('header' in item) {
        const problem = headerProblem(item.header);
        if (problem) throw new UsageError('DATA_BAD_HEADER', `${file}: ${problem}`);
        columns = item.header.fields.map((field) => field.trim());
        continue;
      }
      any = true;
      break;
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw unreadable(file, error);
  }
  if (!any) throw empty();
  return {
    file,
    format,
    ...(columns ? { columns } : {}),
    rows: async function* () {
      try {
        for await (const item of rows()) if (!('header' in item)) yield item;
      } catch (error) {
        // Deleted or unreadable while the batch goes on: the rows read so far have run.
        throw unreadable(file, error);
      }
    },
  };
};
