export { analyzeTemplate } from './analyze.js';
export { templateBlockHelpers } from './blocks.js';
export { templateHelpers } from './helpers.js';
export type { TemplateHelperInfo } from './helpers.js';
export { renderString, renderTemplate, renderValue } from './render.js';
export { TEMPLATE_SCOPES } from './scope.js';
export type { TemplateScope } from './scope.js';
export type { TemplateAnalysis, TemplateContext, TemplateProblem, TemplateReference } from './types.js';
