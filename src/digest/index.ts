export { computeDigest, DECISION_OUTCOMES, type DecisionOutcome, type DigestInput, type DigestModel, type DigestOptions, type OnTime } from './compute.js';
export { renderDigestNotice } from './digest-notice.js';
export { capLines, clip, enforceNoticeLimits, NOTICE_LIMITS } from './notice-limits.js';
export { sparkline } from '../chat/sparkline.js';
