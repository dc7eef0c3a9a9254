import type { MentionInput } from '../mentions/mention.js';

/**
 * Hands mentions to the ingest pipeline. Resolves once they are durably stored (or recognised as
 * duplicates), so a source that awaits it gets back-pressure for free: a slow database slows the
 * source down instead of growing its memory. Rejects when the database cannot take the write.
 */
export type MentionSink = (mentions: readonly MentionInput[]) => Promise<{ accepted: number; duplicates: number }>;

/** Remembers where a source is in its stream (Jetstream cursor, feed ETag…), across restarts. */
export interface CursorStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

export interface SourceHealth {
  id: string;
  kind: string;
  connected: boolean;
  lastEventAt: Date | null;
  /** How far behind real time the last event was, in ms. */
  lagMs: number | null;
  errors: number;
  lastError: string | null;
}

export interface ReplyRequest {
  /** The mention being answered (source-specific id, e.g. an AT URI or a status id). */
  inReplyTo: string;
  text: string;
}

export interface ReplyResult {
  id: string;
  url: string | null;
}

/** A mention source. Same shape for every network; `reply` only where the network allows it. */
export interface Source {
  readonly id: string;
  readonly kind: string;
  start(sink: MentionSink): Promise<void>;
  stop(): Promise<void>;
  health(): SourceHealth;
  /** Max characters of a reply on this network (X 280, Bluesky 300, Mastodon 500). */
  readonly replyMaxLength?: number;
  reply?(request: ReplyRequest): Promise<ReplyResult>;
}
