/** Local doubles of the networks the sources read, each speaking the real wire protocol on 127.0.0.1. */
export { type AtprotoDouble, startAtprotoDouble } from './atproto-double.js';
export { atomDocument, type FeedDouble, rssDocument, startFeedDouble } from './feed-double.js';
export { type JetstreamDouble, type JetstreamEvent, jetstreamIdentity, jetstreamPost, startJetstreamDouble } from './jetstream-double.js';
export { type MastodonDouble, mastodonStatus, startMastodonDouble } from './mastodon-double.js';
export { instantTimers, manualTimers, MemoryCursorStore, RecordingSink, until } from './recording.js';
export { startXDouble, type XDouble, xPostLine } from './x-double.js';
