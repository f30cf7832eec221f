/** Rules across the step lists (steps: and finally:): unique ids, retry only where safe, durations within range. */

import { DURATION_PATTERN, tryParseDuration } from '../duration.js';
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

/** Durations that have the right form but do not fit a timer (the schema checks the form). */
export const checkDurations = ({ data, locator }: RuleContext): Finding[] =>
  stepsOf(data).flatMap(({ step, path: at }) => {
    const retry = step.retry !== null && typeof step.retry === 'object' ? (step.retry as Record<string, unknown>) : {};
    const fields: [(string | number)[], unknown][] = [
      [[...at, 'timeout'], step.timeout],
      [[...at, 'retry', 'delay'], retry.delay],
    ];
    return fields.flatMap(([path, value]) =>
      typeof value === 'string' && DURATION.test(value) && tryParseDuration(value) === undefined
        ? [{ code: 'BAD_DURATION', message: `${formatDataPath(path.map(String))} is too long: durations can be at most 24 days.`, offset: locator.nearestOffset(path, 'value') }]
        : [],
    );
  });
