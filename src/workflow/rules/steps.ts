/**
 * Rules across the step lists (steps: and finally:): unique ids, retry only where safe, durations within
 * range, one operator per assert check.
 */

import { checkOperators } from '../../steps/assert.js';
import { DURATION_PATTERN, MIN_POLL_INTERVAL_MS, MIN_TIMEOUT_MS, tryParseDuration } from '../duration.js';
import { findDefinition, stepsOf } from './context.js';
import type { Finding, RuleContext } from './context.js';
import { formatDataPath, quoteName } from './schema-errors.js';
import type { DocPath } from '../types.js';

const DURATION = new RegExp(DURATION_PATTERN);

export const checkDuplicateStepIds = ({ data, locator }: RuleContext): Finding[] => {
  const first = new Map<string, DocPath>();
  const findings: Finding[] = [];
  for (const { step, path } of stepsOf(data)) {
    if (typeof step.id !== 'string') continue;
    const earlier = first.get(step.id);
    if (earlier === undefined) {
      first.set(step.id, path);
      continue;
    }
    const { line } = locator.position(locator.nearestOffset([...earlier, 'id'], 'value'));
    findings.push({
      code: 'DUPLICATE_STEP_ID',
      message: `${quoteName(step.id, 'this step id')} is already the id of the step on line ${line}; step ids must be unique.`,
      offset: locator.nearestOffset([...path, 'id'], 'value'),
    });
  }
  return findings;
};

export const checkRetrySafety = ({ data, locator, registry }: RuleContext): Finding[] =>
  stepsOf(data).flatMap(({ step, path }) => {
    const definition = findDefinition(registry, step.uses);
    if (step.retry === undefined || !definition || definition.retrySafe) return [];
    return [{
      code: 'RETRY_NOT_SAFE',
      message: `step type ${definition.type} cannot be repeated safely, so it takes no retry:; remove it.`,
      offset: locator.nearestOffset([...path, 'retry'], 'key'),
    }];
  });

/**
 * Durations that have the right form but do not fit a timer (the schema checks the form), or are below
 * their documented minimum: a timeout under 10ms, a polling interval under 10ms. A duration given by a
 * template is checked when it renders.
 */
export const checkDurations = ({ data, locator, registry }: RuleContext): Finding[] =>
  stepsOf(data).flatMap(({ step, path: at }) => {
    const record = (value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
    const retry = record(step.retry);
    const input = findDefinition(registry, step.uses)?.input as { properties?: Record<string, { pattern?: string }> } | undefined;
    const polls = input?.properties?.interval?.pattern === DURATION_PATTERN;
    const fields: [(string | number)[], unknown, number, string][] = [
      [[...at, 'timeout'], step.timeout, MIN_TIMEOUT_MS, 'a timeout'],
      [[...at, 'retry', 'delay'], retry.delay, 0, 'a delay'],
      ...(polls ? [[[...at, 'with', 'interval'], record(step.with).interval, MIN_POLL_INTERVAL_MS, 'the interval between checks'] as [(string | number)[], unknown, number, string]] : []),
    ];
    return fields.flatMap(([path, value, minimum, what]) => {
      if (typeof value !== 'string' || !DURATION.test(value)) return [];
      const ms = tryParseDuration(value);
      if (ms !== undefined && ms >= minimum) return [];
      // Placed only for a problem: a position needs yaml's document, which a valid file never builds.
      const offset = locator.nearestOffset(path, 'value');
      const label = formatDataPath(path.map(String));
      if (ms === undefined) return [{ code: 'BAD_DURATION', message: `${label} is too long: durations can be at most 24 days.`, offset }];
      return [{ code: 'BAD_DURATION', message: `${label} is below the minimum: ${what} is at least ${minimum}ms.`, offset }];
    });
  });

const OPERATORS = Object.keys(checkOperators);

/** An assert check takes exactly one operator; with two, one of them would be ignored or the run would fail. */
export const checkAssertOperators = ({ data, locator }: RuleContext): Finding[] =>
  stepsOf(data).flatMap(({ step, path: at }) => {
    const checks = step.uses === 'assert' && step.with !== null && typeof step.with === 'object' ? (step.with as Record<string, unknown>).checks : undefined;
    if (!Array.isArray(checks)) return [];
    return checks.flatMap((check, index) => {
      if (check === null || typeof check !== 'object' || Array.isArray(check)) return [];
      const given = Object.keys(check).filter((key) => OPERATORS.includes(key));
      if (given.length < 2) return [];
      return [{
        code: 'CONFLICTING_KEYS',
        message: `${formatDataPath([...at.map(String), 'with', 'checks', String(index)])} has ${given.length} operators (${given.join(', ')}); a check takes exactly one: split it into one check per operator.`,
        offset: locator.nearestOffset([...at, 'with', 'checks', index, given[1]!], 'key'),
      }];
    });
  });
