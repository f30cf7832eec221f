/** Files that steps upload (uploadDocument's file:): literal paths, checked on disk before anything runs. */

import { findDefinition, isRecord, stepsOf } from './context.js';
import type { Finding, RuleContext } from './context.js';

/** The literal file paths a step uploads, with the field that names each. */
export const uploadFields = (definition: { uploads?: readonly string[] } | undefined, input: unknown): { field: string; value: unknown }[] =>
  definition?.uploads && isRecord(input) ? definition.uploads.filter((field) => field in input).map((field) => ({ field, value: input[field] })) : [];

/** Whether a path is a template, which cannot be checked before the run. */
export const isTemplatePath = (value: string): boolean => value.includes('{{');

export const checkUploadFiles = ({ data, locator, registry, uploadFiles }: RuleContext): Finding[] =>
  stepsOf(data).flatMap(({ step, path }) =>
    uploadFields(findDefinition(registry, step.uses), step.with).flatMap(({ field, value }): Finding[] => {
      if (typeof value !== 'string' || value === '') return [];
      // Placed only for a problem: a position needs yaml's document, which a valid file never builds.
      const offset = () => locator.nearestOffset([...path, 'with', field], 'value');
      if (isTemplatePath(value)) {
        return [{ code: 'DOCUMENT_FILE_TEMPLATE', message: `${field}: write the path of the file to upload as it is (relative to this workflow file), not as a template, so it can be checked before the run.`, offset: offset() }];
      }
      const facts = uploadFiles?.get(value);
      if (facts === undefined || facts.ok) return [];
      return [{ code: facts.code, message: `${field}: ${value}: ${facts.message}.`, offset: offset() }];
    }),
  );
