export { type TemplateEdit, diffAgainstTemplate } from './diff.js';
export { escapeVariable } from './escape.js';
export { daysOverdue, type TemplateFreshness, templateFreshness, templateReviewDates } from './freshness.js';
export { buildLibrary, type LoadedTemplate, loadTemplates, parseTemplateFile } from './load-templates.js';
export { NETWORK_LIMITS, NETWORKS, type Network, networkLength, networkOfSource } from './network.js';
export { type RenderResult, renderTemplate } from './render.js';
export { placeholdersOf, type ReplyTemplate, type TemplateVariable, templateSchema } from './schema.js';
export { GENERIC_CATEGORY, type SuggestOptions, suggestTemplates, type TemplateSuggestion } from './suggest.js';
