import { writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createCsvParser, csvRows, jsonRows, jsonlRows, openDataSource, readTextChunks, type DataRow } from '../../src/data/index.js';
import { isUsageError } from '../../src/errors.js';
import { tempFiles } from '../cli/_io.js';

const parse = (text: string, chunk = text.length || 1) => {
  const parser = createCsvParser();
  const records = [];
  for (let i = 0; i < text.length; i += chunk) records.push(...parser.push(text.slice(i, i + chunk)));
  records.push(...parser.end());
  return records;
};

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const collect = async <T>(rows: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
};

const csv = suite('data: CSV (RFC 4180), streamed');

csv('quoted fields hold commas, doubled quotes and line breaks; records keep the line they start on', () => {
  const text = 'a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\nplain,,last\n';
  const records = parse(text);
  assert.equal(records.map((r) => r.fields), [['a', 'b', 'c'], ['x, y', 'say "hi"', 'two\nlines'], ['plain', '', 'last']]);
  assert.equal(records.map((r) => r.line), [1, 2, 4]);
  assert.ok(records.every((r) => r.problem === undefined));
});

csv('the same records whatever the chunk size, a CRLF split across chunks included', () => {
  const text = 'h1,h2\r\n"a\r\nb",c\r\n\r\nd,"e"""\re,f\n"g",h';
  const whole = parse(text);
  for (const size of [1, 2, 3, 5, 7]) assert.equal(parse(text, size), whole, `chunks of ${size}`);
  assert.equal(whole.map((r) => r.fields), [['h1', 'h2'], ['a\r\nb', 'c'], ['d', 'e"'], ['e', 'f'], ['g', 'h']]);
  assert.equal(whole.map((r) => r.line), [1, 2, 5, 6, 7]);
});

csv('empty lines are skipped, a quoted empty field is not', () => {
  assert.equal(parse('\n\na\n\n""\n\n').map((r) => [r.fields, r.line]), [[['a'], 3], [[''], 5]]);
});

csv('bad quoting is a bad record at its line, and the next record parses', () => {
  const records = parse('a,b\nx"y,z\n"open"tail,1\nok,2\n"never closed,3\n');
  assert.equal(records.map((r) => [r.line, r.problem?.code]), [[1, undefined], [2, 'ROW_BAD_CSV'], [3, 'ROW_BAD_CSV'], [4, undefined], [5, 'ROW_BAD_CSV']]);
});

csv('a record past the size limit is ROW_TOO_LARGE and its text is not kept', () => {
  const parser = createCsvParser({ maxRecordChars: 10 });
  const records = [...parser.push(`a,b\n${'x'.repeat(50)},y\nc,d\n`), ...parser.end()];
  assert.equal(records.map((r) => [r.line, r.problem?.code ?? 'ok']), [[1, 'ok'], [2, 'ROW_TOO_LARGE'], [3, 'ok']]);
  assert.ok(!records[1]!.fields.some((field) => field.includes('xxx')));
});

csv('rows: the header names the columns, empty cells are left out, a wrong field count is a bad row with its row and line', async () => {
  const text = 'first_name,last_name,amount\nAda,Byron,10.50\n\nAlan,,7\nonly,two\n';
  const items = await collect(csvRows(chunksOf(text, 4)));
  assert.ok('header' in items[0]!);
  const rows = items.slice(1) as DataRow[];
  assert.equal(rows[0], { number: 1, line: 2, values: { first_name: 'Ada', last_name: 'Byron', amount: '10.50' } });
  assert.equal(rows[1], { number: 2, line: 4, values: { first_name: 'Alan', amount: '7' } });
  assert.is(rows[2]!.problem?.code, 'ROW_BAD_FIELDS');
  assert.is(rows[2]!.number, 3);
  assert.is(rows[2]!.line, 5);
  assert.match(rows[2]!.problem!.message, /^row 3 \(line 5\) has 2 fields; the header has 3$/);
  assert.not.ok(rows[2]!.problem!.message.includes('only'));
});

const jsonl = suite('data: JSON Lines and JSON');

jsonl('JSON Lines: an object per line, blank lines and CRLF allowed; bad lines are bad rows with their line, never their text', async () => {
  const text = '{"a":1,"b":"x"}\r\n\n   \n[1,2]\n{"a": "secret-ish value"\n{"__proto__":{"polluted":true}}\n{"a":2}';
  const rows = await collect(jsonlRows(chunksOf(text, 3)));
  assert.equal(rows.map((r) => [r.number, r.line, r.problem?.code ?? 'ok']), [
    [1, 1, 'ok'],
    [2, 4, 'ROW_NOT_OBJECT'],
    [3, 5, 'ROW_BAD_JSON'],
    [4, 6, 'ROW_FORBIDDEN_KEY'],
    [5, 7, 'ok'],
  ]);
  assert.equal(rows[0]!.values, { a: 1, b: 'x' });
  assert.equal(rows[4]!.values, { a: 2 });
  assert.not.ok(rows[2]!.problem!.message.includes('secret'));
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

jsonl('JSON: an array of objects, values keep their types; other items are bad rows by number', () => {
  const { rows } = jsonRows('[{"n": 1, "ok": true, "list": [1]}, "text", null]');
  assert.equal(rows!.map((r) => r.problem?.code ?? r.values), [{ n: 1, ok: true, list: [1] }, 'ROW_NOT_OBJECT', 'ROW_NOT_OBJECT']);
  assert.is(jsonRows('{"a":1}').problem, 'the file must hold a JSON array of row objects');
  assert.ok(jsonRows('[{').problem);
});

const open = suite('data: openDataSource');

open('CSV with a BOM: the header is read up front, the rows on demand, again for each pass', async () => {
  const { 'c.csv': file } = tempFiles({ 'c.csv': '\uFEFFname,amount\r\nAda,1\r\nAlan,2\r\n' });
  const source = await openDataSource(file!, process.cwd());
  assert.equal(source.columns, ['name', 'amount']);
  assert.is(source.format, 'csv');
  for (let pass = 0; pass < 2; pass += 1) {
    assert.equal((await collect(source.rows())).map((r) => r.values), [{ name: 'Ada', amount: '1' }, { name: 'Alan', amount: '2' }]);
  }
});

open('files that cannot be used at all are usage errors with their codes', async () => {
  const files = tempFiles({
    'empty.csv': 'a,b\n\n',
    'dup.csv': 'a,a\n1,2\n',
    'blank.csv': 'a,,c\n1,2,3\n',
    'proto.csv': '__proto__\n1\n',
    'rows.txt': 'a\n',
    'object.json': '{"a":1}',
    'none.jsonl': '\n\n',
  });
  const codeOf = async (file: string) => {
    try {
      await openDataSource(file, process.cwd());
      return 'opened';
    } catch (error) {
      return isUsageError(error) ? error.code : 'not a usage error';
    }
  };
  assert.is(await codeOf(files['empty.csv']!), 'DATA_EMPTY');
  assert.is(await codeOf(files['dup.csv']!), 'DATA_BAD_HEADER');
  assert.is(await codeOf(files['blank.csv']!), 'DATA_BAD_HEADER');
  assert.is(await codeOf(files['proto.csv']!), 'DATA_BAD_HEADER');
  assert.is(await codeOf(files['rows.txt']!), 'DATA_FORMAT');
  assert.is(await codeOf(files['object.json']!), 'DATA_BAD_JSON');
  assert.is(await codeOf(files['none.jsonl']!), 'DATA_EMPTY');
  assert.is(await codeOf('no/such/file.csv'), 'DATA_UNREADABLE');
});

open('streaming: a big file is read a chunk at a time, only as far as rows are pulled', async () => {
  const { 'big.csv': file } = tempFiles({ 'big.csv': '' });
  writeFileSync(file!, `n,text\n${Array.from({ length: 20_000 }, (_, i) => `${i},${'x'.repeat(40)}`).join('\n')}\n`);
  let chunks = 0;
  async function* counted(): AsyncGenerator<string> {
    for await (const chunk of readTextChunks(file!, 4096)) {
      chunks += 1;
      yield chunk;
    }
  }
  let rows = 0;
  for await (const item of csvRows(counted())) {
    if ('header' in item) continue;
    rows += 1;
    if (rows === 100) break;
  }
  // 100 rows of ~46 bytes fit in two 4 KiB chunks; the file has over 200.
  assert.ok(chunks <= 3, `read ${chunks} chunks for 100 rows`);
});

csv.run();
jsonl.run();
open.run();
