/** What the organisation can watch on a Mastodon instance. */
export type MastodonStream =
  | { kind: 'hashtag'; tag: string; local: boolean }
  | { kind: 'public'; local: boolean }
  | { kind: 'notifications' };

/** `hashtag:tag`, `hashtag:local:tag`, `public`, `public:local`, `notifications` → a stream; null if unknown. */
export function parseStream(spec: string): MastodonStream | null {
  const s = spec.trim();
  if (s === 'public') return { kind: 'public', local: false };
  if (s === 'public:local') return { kind: 'public', local: true };
  if (s === 'notifications' || s === 'user:notification') return { kind: 'notifications' };
  const tag = /^hashtag:(local:)?#?([\p{L}\p{N}_]+)$/u.exec(s);
  if (tag) return { kind: 'hashtag', tag: tag[2]!, local: tag[1] !== undefined };
  return null;
}

export function streamName(s: MastodonStream): string {
  if (s.kind === 'hashtag') return `hashtag:${s.local ? 'local:' : ''}${s.tag}`;
  if (s.kind === 'public') return s.local ? 'public:local' : 'public';
  return 'notifications';
}

/** Query parameters of `GET /api/v1/streaming` (WebSocket) for this stream. */
export function websocketParams(s: MastodonStream): Record<string, string> {
  if (s.kind === 'hashtag') return { stream: s.local ? 'hashtag:local' : 'hashtag', tag: s.tag };
  if (s.kind === 'public') return { stream: s.local ? 'public:local' : 'public' };
  return { stream: 'user:notification' };
}

/** Path and query of the server-sent-events endpoint for this stream. */
export function ssePath(s: MastodonStream): string {
  if (s.kind === 'hashtag') return `/api/v1/streaming/hashtag${s.local ? '/local' : ''}?tag=${encodeURIComponent(s.tag)}`;
  if (s.kind === 'public') return `/api/v1/streaming/public${s.local ? '/local' : ''}`;
  return '/api/v1/streaming/user/notification';
}

/** The REST timeline that covers the same posts, to fill a gap after a disconnect. */
export function timelinePath(s: MastodonStream, minId: string, limit: number): string {
  const q = new URLSearchParams({ min_id: minId, limit: String(limit) });
  if (s.kind === 'hashtag') {
    if (s.local) q.set('local', 'true');
    return `/api/v1/timelines/tag/${encodeURIComponent(s.tag)}?${q}`;
  }
  if (s.kind === 'public') {
    if (s.local) q.set('local', 'true');
    return `/api/v1/timelines/public?${q}`;
  }
  q.append('types[]', 'mention');
  q.append('types[]', 'quote');
  return `/api/v1/notifications?${q}`;
}

/** Mastodon ids are decimal snowflakes as strings (other servers: sortable flakes): order by length, then text. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
