/** The veille engine's public surface. */
export { createEngine, type EngineAccount, type EngineOptions } from './create-engine.js';
export { explainQuery, type Explanation } from './explain.js';
export { normalizeText, type NormalizedText } from './normalize/normalize-text.js';
export { parseQuery } from './query/parser.js';
export { RuleSyntaxError } from './query/syntax-error.js';
export { type RiskConfig, type RiskConfigInput, riskConfigSchema } from './risk-config.js';
export { loadRulePack, parseRulePack, queryProblems, type RuleDef, type RulePack, rulePackSchema, validateRulePack } from './rule-pack.js';
export type * from './types.js';
