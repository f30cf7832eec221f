/**
 * Static checks of `expect:` on steps: every output field path exists in the step type's output, `error`
 * stands alone, its `code` is one a step can fail with, and `matches` patterns compile. The schema
 * checks the shapes of the values.
 */

import { expectableCodes } from '../../step-codes.js';
import type { JsonSchema } from '../../steps/define.js';
import { didYouMean } from '../../util/suggest.js';
import { findDefinition, isRecord, stepsOf } from './context.js';
import type { Finding, RuleContext } from './context.js';
import { fieldList, findUnknownField } from './references.js';
import { quoteName } from './schema-errors.js';
import { isWithin } from './unquoted-template.js';

/**
 * The output of a step whose `expect.error` held: the error it failed with. Later steps read it as
 * `steps.<id>.error.type`.
 */
export const EXPECTED_ERROR_OUTPUT: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      description: 'How the step failed, as expected.',
      properties: {
        code: { type: 'string', description: 'paxflow error code, e.g. PAXOS_INSUFFICIENT_FUNDS.' },
        message: { type: 'string', description: 'What happened, as reports show it.' },
        status: { type: 'integer', description: 'HTTP status, for failures that came from an API answer.' },
        type: { type: 'string', description: 'Problem type slug (insufficient-funds) or about:blank, for API answers.' },
      },
    },
  },
};

/**
 * The parts of an expectation field path: `by_asset.USD.available` -> `[by_asset, USD, available]`. List
 * items may be written `members.0.id`, `members[0].id` or `members.[0].id`. An empty part (`a..b`) stays
 * empty, so callers can refuse it.
 */
export const splitFieldPath = (path: string): string[] => path.replace(/\.?\[(\d+)\]/g, '.$1').split('.');

const unknownField = (key: string, step: Record<string, unknown>, output: JsonSchema): string | undefined => {
  const parts = splitFieldPath(key);
  if (parts.some((part) => part === '')) return `${quoteName(key, 'this key')} is not a field path: it has an empty part. Write fields as by_asset.USD.available.`;
  const unknown = findUnknownField(output, parts);
  if (!unknown) return undefined;
  const field = parts[unknown.index]!;
  const where =
    unknown.index === 0
      ? `the output of ${String(step.uses)}`
      : quoteName(parts.slice(0, unknown.index).join('.'), 'that part of the output');
  return `${quoteName(key, 'this field path')}: ${where} has no field ${quoteName(field, 'of that name')}.${didYouMean(field, unknown.known)} It has: ${fieldList(unknown.known)}.`;
};

const badPattern = (value: unknown): boolean => {
  if (!isRecord(value) || typeof value.matches !== 'string' || value.matches.includes('{{')) return false;
  try {
    new RegExp(value.matches);
    return false;
  } catch {
    return true;
  }
};

export const checkExpectations = ({ data, locator, registry, suppressed }: RuleContext): Finding[] =>
  stepsOf(data).flatMap(({ step, path: stepPath }) => {
    const { expect } = step;
    if (!isRecord(expect)) return [];
    const at = (path: (string | number)[], target: 'key' | 'value' = 'key') => locator.nearestOffset([...stepPath, 'expect', ...path], target);
    const findings: Finding[] = [];
    const fields = Object.keys(expect).filter((key) => key !== 'error');
    if ('error' in expect && fields.length > 0) {
      findings.push({
        code: 'CONFLICTING_KEYS',
        message: 'expect: takes either error (the step must fail) or output fields (the step must succeed), not both.',
        offset: at(['error']),
      });
    }
    const code = isRecord(expect.error) ? expect.error.code : undefined;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) && !expectableCodes().has(code)) {
      findings.push({
        code: 'EXPECT_UNKNOWN_CODE',
        message:
          `${code} is not a code a step can fail with as expected.${didYouMean(code, [...expectableCodes().keys()])} ` +
          'The codes are listed in docs/error-codes.md; for a Paxos problem type paxflow does not list, expect its type: (the slug) instead.',
        offset: at(['error', 'code'], 'value'),
      });
    }
    const definition = findDefinition(registry, step.uses);
    for (const key of fields) {
      if (suppressed.some((path) => isWithin([...stepPath, 'expect', key], path))) continue;
      const problem = definition ? unknownField(key, step, definition.output) : undefined;
      if (problem) findings.push({ code: 'EXPECT_UNKNOWN_FIELD', message: problem, offset: at([key]) });
      if (badPattern(expect[key])) {
        findings.push({
          code: 'BAD_VALUE',
          message: `the matches: of ${quoteName(key, 'this field')} is not a valid regular expression (JavaScript syntax).`,
          offset: at([key, 'matches'], 'value'),
        });
      }
    }
    return findings;
  });
