import { readFileSync } from 'node:fs';
import { ENTRY_TYPES, JOURNAL_VERSION, type JournalEntry } from './entries.js';
import { JournalError } from './errors.js';

export interface JournalContents {
  entries: JournalEntry[];
  /** Lines left cut off by a crash (the last line, or one just before a resume), which were skipped. */
  skippedLines: number;
  /** The size of the file as read, in bytes. */
  bytes: number;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The fields each entry type must have for the journal's readers to rely on them. */
const REQUIRED: Record<JournalEntry['type'], Record<string, (value: unknown) => boolean>> = {
  'run:start': { run_id: isString, started_at: isString, salt: isString, steps: Array.isArray, workflow: (v) => typeof v === 'object' && v !== null },
  'run:resume': { steps: Array.isArray },
  'step:start': { id: isString, index: isNumber, hash: isString, ref_ids: Array.isArray },
  'step:end': { id: isString, index: isNumber, status: isString },
  'run:end': { status: isString },
};

/** The entry on one line, `undefined` for a line that is not one, or a throw for a newer format. */
const parseLine = (line: string, number: number, file: string): JournalEntry | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entry = value as Record<string, unknown>;
  if (isNumber(entry.v) && entry.v !== JOURNAL_VERSION) {
    throw new JournalError('JOURNAL_UNSUPPORTED', `${file}:${number} is journal format ${entry.v}; this paxflow reads format ${JOURNAL_VERSION}`);
  }
  if (entry.v !== JOURNAL_VERSION || !isString(entry.type) || !ENTRY_TYPES.has(entry.type)) return undefined;
  const required = REQUIRED[entry.type as JournalEntry['type']];
  return Object.entries(required).every(([key, check]) => check(entry[key])) ? (entry as unknown as JournalEntry) : undefined;
};

/**
 * Reads a journal. A line cut off by a crash is skipped when it is the last one, or when the entry after
 * it is a `run:resume` (the resumed run appended after the cut line); any other bad line is
 * `JOURNAL_CORRUPT`, since skipping it could hide a step that started.
 */
export const readJournal = (file: string): JournalContents => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new JournalError('RUN_NOT_FOUND', `cannot read the journal ${file}`);
  }
  const lines = text.split('\n');
  const entries: JournalEntry[] = [];
  let pendingBad: number | undefined;
  let skippedLines = 0;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const entry = parseLine(line, index + 1, file);
    if (entry === undefined) {
      if (pendingBad !== undefined) throw corrupt(file, pendingBad);
      pendingBad = index + 1;
      return;
    }
    if (pendingBad !== undefined) {
      if (entry.type !== 'run:resume') throw corrupt(file, pendingBad);
      skippedLines += 1;
      pendingBad = undefined;
    }
    entries.push(entry);
  });
  if (pendingBad !== undefined) skippedLines += 1;
  if (entries[0]?.type !== 'run:start') {
    throw new JournalError('JOURNAL_CORRUPT', `${file} does not start with a run:start entry`);
  }
  return { entries, skippedLines, bytes: Buffer.byteLength(text, 'utf8') };
};

const corrupt = (file: string, line: number): JournalError =>
  new JournalError('JOURNAL_CORRUPT', `${file}:${line} is not a journal entry; only a cut-off last line is tolerated`);
