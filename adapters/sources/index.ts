/** Network mention sources: what the application wires in (see src/sources/port.ts for the port). */
export { createSources, parseSourcesConfig, SOURCE_ENV_VARS, type SourceConfig, type SourcesConfig, sourcesConfigSchema, type SourcesDeps } from './config.js';
export { JetstreamSource } from './jetstream/jetstream-source.js';
export { MastodonSource } from './mastodon/mastodon-source.js';
export { RssSource } from './rss/rss-source.js';
export { describeSourceNotice, formatSourcesStatus, SourceDownReporter, type SourceNotice } from './status.js';
export { translateQueryToXRule } from './x/query-to-rule.js';
export { type RulesSyncReport, type WatchRuleQuery, XSource } from './x/x-source.js';
