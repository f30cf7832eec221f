/**
 * Playbook rules: a call gives every required input, no unknown one, and values of the declared types
 * (templates are checked once rendered, when the call runs); a playbook's own input declarations are
 * consistent. Reading the called files is read.ts's part; here their declarations arrive as data.
 */

import { didYouMean } from '../../util/suggest.js';
import { INPUT_TYPES, isPlaybookUses, isRequiredInput, jsonTypeOf, typeWords } from '../schema-playbook.js';
import type { DocPath } from '../types.js';
import { isRecord, stepsOf } from './context.js';
import type { Finding, RuleContext } from './context.js';
import { quoteName } from './schema-errors.js';
import { isWithin } from './unquoted-template.js';

/** The declared type, when it is one of the input types (anything else is the schema's error). */
const declaredType = (declaration: unknown): string | undefined =>
  isRecord(declaration) && (INPUT_TYPES as readonly unknown[]).includes(declaration.type) ? (declaration.type as string) : undefined;

const isTemplate = (value: unknown): boolean => typeof value === 'string' && value.includes('{{');

export const checkPlaybookCalls = ({ data, locator, playbooks, suppressed }: RuleContext): Finding[] =>
  stepsOf(data).flatMap(({ step, path }) => {
    if (!isPlaybookUses(step.uses)) return [];
    const called = playbooks.get(step.uses);
    if (!called) return [];
    const findings: Finding[] = [];
    const given = isRecord(step.with) ? step.with : {};
    const names = Object.keys(called.inputs);
    const at = (rest: DocPath, target: 'key' | 'value' = 'key') => locator.nearestOffset([...path, ...rest], target);

    for (const [name, value] of Object.entries(given)) {
      if (suppressed.some((written) => isWithin([...path, 'with', name], written))) continue;
      const declaration = called.inputs[name];
      if (declaration === undefined) {
        const known = names.length === 0 ? ' It declares no inputs.' : ` Its inputs: ${names.join(', ')}.`;
        findings.push({
          code: 'PLAYBOOK_UNKNOWN_INPUT',
          message: `${quoteName(name, 'this input')} is not an input of the playbook ${called.file}.${didYouMean(name, names)}${known}`,
          offset: at(['with', name]),
        });
        continue;
      }
      const type = declaredType(declaration);
      if (type === undefined || isTemplate(value) || jsonTypeOf(value) === type) continue;
      const quote = type === 'string' && (typeof value === 'number' || typeof value === 'boolean') ? ' Put the value in quotes.' : '';
      findings.push({
        code: 'PLAYBOOK_INPUT_TYPE',
        message: `the input ${quoteName(name, 'given here')} of ${called.file} must be ${typeWords(type)} (type: ${type}), not ${typeWords(jsonTypeOf(value))}.${quote}`,
        offset: at(['with', name], 'value'),
      });
    }

    // A with: that is not a mapping is the schema's error; what it lacks is not worth saying as well.
    if (step.with !== undefined && !isRecord(step.with)) return findings;
    const missing = names.filter((name) => isRequiredInput(called.inputs[name]) && !Object.hasOwn(given, name));
    if (missing.length > 0) {
      const list = missing.map((name) => `\`${name}\``).join(', ');
      findings.push({
        code: 'PLAYBOOK_MISSING_INPUT',
        message: `the playbook ${called.file} requires the input${missing.length === 1 ? '' : 's'} ${list}; give ${missing.length === 1 ? 'it' : 'them'} under with:.`,
        offset: at(isRecord(step.with) ? ['with'] : ['uses']),
      });
    }
    return findings;
  });

/** A playbook's `inputs:`: a default of the declared type, and not both required and a default. */
export const checkInputDeclarations = ({ data, locator }: RuleContext): Finding[] => {
  if (!isRecord(data.inputs)) return [];
  return Object.entries(data.inputs).flatMap(([name, declaration]): Finding[] => {
    if (!isRecord(declaration) || !('default' in declaration)) return [];
    const at = (key: string, target: 'key' | 'value') => locator.nearestOffset(['inputs', name, key], target);
    if (declaration.required === true) {
      return [{
        code: 'CONFLICTING_KEYS',
        message: `the input ${quoteName(name, 'declared here')} is required and has a default; a caller of a required input always gives it, so drop one of them.`,
        offset: at('default', 'key'),
      }];
    }
    const type = declaredType(declaration);
    const actual = jsonTypeOf(declaration.default);
    if (type === undefined || actual === type) return [];
    return [{
      code: 'PLAYBOOK_INPUT_TYPE',
      message: `the default of the input ${quoteName(name, 'declared here')} must be ${typeWords(type)} (type: ${type}), not ${typeWords(actual)}.`,
      offset: at('default', 'value'),
    }];
  });
};
