import * as assert from 'uvu/assert';
import type { CallResult } from './_helpers.js';
import { assertSchema, type SchemaName } from './schemas.js';

/** Asserts a successful JSON response that matches `schema`, and returns its body. */
export function expectOk(result: CallResult, schema: SchemaName, status = 200): any {
  assert.is(result.status, status, `expected HTTP ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
  assert.match(result.headers.get('content-type') ?? '', /^application\/json/);
  assertSchema(schema, result.body);
  return result.body;
}

/** Asserts an `application/problem+json` Problem with this status (and detail, when given). */
export function expectProblem(result: CallResult, status: number, detail?: string | RegExp): any {
  assert.is(result.status, status, `expected HTTP ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
  assert.match(result.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assertSchema('Problem', result.body);
  assert.is(result.body.status, status);
  if (typeof detail === 'string') assert.is(result.body.detail, detail);
  else if (detail) assert.match(result.body.detail ?? '', detail);
  return result.body;
}
