export { renderAuthorNotice } from './author-notice.js';
export {
  AUTHOR_DEFAULTS,
  type AuthorDecision,
  type AuthorFlag,
  type AuthorFlagLists,
  type AuthorOptions,
  type AuthorProfile,
  type AuthorProfileInput,
  type AuthorSnapshot,
  authorProfile,
  type HintReason,
  normalizeHandle,
  type Reach,
  reachOf,
} from './profile.js';
