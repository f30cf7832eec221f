/**
 * A streaming CSV parser (RFC 4180): fields separated by commas, records by CRLF, LF or CR; a field in
 * double quotes may hold commas, line breaks and doubled quotes (`""`). Text goes in by chunks of any
 * size and whole records come out, so a file is never held in memory. Pure: no I/O.
 */

/** A problem with one record, coded; the message names positions, never the record's text. */
export interface RecordProblem {
  code: 'ROW_BAD_CSV' | 'ROW_TOO_LARGE';
  message: string;
}

/** One record: its fields and the line it starts on (1-based). */
export interface CsvRecord {
  fields: string[];
  line: number;
  problem?: RecordProblem;
}

export interface CsvParser {
  /** Parses the next chunk; returns the records it completed. Empty lines give no record. */
  push(text: string): CsvRecord[];
  /** Ends the input; returns the last record, if any. */
  end(): CsvRecord[];
}

export interface CsvParserOptions {
  /** A record holding more characters is a bad row (`ROW_TOO_LARGE`); its text is not kept. @default 1048576 */
  maxRecordChars?: number;
}

type State = 'start' | 'unquoted' | 'quoted' | 'quote';

export const createCsvParser = (options: CsvParserOptions = {}): CsvParser => {
  const { maxRecordChars = 1024 * 1024 } = options;
  let state: State = 'start';
  let field = '';
  let fields: string[] = [];
  let size = 0;
  let quotedAny = false;
  let problem: RecordProblem | undefined;
  let line = 1;
  let recordLine = 1;
  // A CR ended the last record: an LF right after it (maybe in the next chunk) belongs to it.
  let afterCr = false;
  let out: CsvRecord[] = [];

  const fail = (code: RecordProblem['code'], message: string): void => {
    problem ??= { code, message };
  };
  const endField = (): void => {
    fields.push(problem?.code === 'ROW_TOO_LARGE' ? '' : field);
    field = '';
    state = 'start';
  };
  const endRecord = (): void => {
    endField();
    const empty = fields.length === 1 && fields[0] === '' && !quotedAny && !problem;
    if (!empty) out.push({ fields, line: recordLine, ...(problem ? { problem } : {}) });
    fields = [];
    size = 0;
    quotedAny = false;
    problem = undefined;
  };
  const add = (text: string): void => {
    size += text.length;
    if (size > maxRecordChars) {
      fail('ROW_TOO_LARGE', `the record holds more than ${maxRecordChars} characters`);
      field = '';
    } else if (problem?.code !== 'ROW_TOO_LARGE') field += text;
  };

  const push = (text: string): CsvRecord[] => {
    out = [];
    for (const char of text) {
      // Line breaks are CRLF, LF or CR, inside quotes too: count each once, for the line numbers.
      const lf = char === '\n';
      const crlf = lf && afterCr;
      afterCr = char === '\r';
      if (afterCr || (lf && !crlf)) line += 1;
      if (state === 'quoted') {
        if (char === '"') state = 'quote';
        else add(char);
        continue;
      }
      if (afterCr || lf) {
        // The LF of a CRLF: the CR has ended the record already.
        if (crlf) continue;
        endRecord();
        recordLine = line;
        continue;
      }
      if (state === 'quote') {
        if (char === '"') {
          add('"');
          state = 'quoted';
        } else if (char === ',') endField();
        else {
          fail('ROW_BAD_CSV', 'text follows a closing quote; a quoted field must end at a comma or the end of the line');
          add(char);
          state = 'unquoted';
        }
        continue;
      }
      if (char === ',') {
        endField();
        continue;
      }
      if (char === '"') {
        if (state === 'start') {
          state = 'quoted';
          quotedAny = true;
          continue;
        }
        fail('ROW_BAD_CSV', 'a quote inside an unquoted field; quote the whole field and double the quote ("")');
      }
      add(char);
      state = 'unquoted';
    }
    return out;
  };

  return {
    push,
    end() {
      out = [];
      if (state === 'quoted') fail('ROW_BAD_CSV', 'a quoted field is not closed before the end of the file');
      if (state !== 'start' || fields.length > 0 || quotedAny || problem) endRecord();
      return out;
    },
  };
};
