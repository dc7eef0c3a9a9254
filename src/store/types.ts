import type { Card, CardDecision, Platform, TicketStatus } from '../chat/card.js';
import type { MessageRef } from '../chat/port.js';
import type { Level } from '../core/levels.js';
import type { Reason, RuleHit } from '../engine/types.js';

/** Plain rows the core reads and writes through the store port. */

export interface MentionRow {
  /** Row id, taken from the store beforehand (IngestStore.batchReads). */
  id: number;
  source: string;
  externalId: string;
  url: string | null;
  text: string;
  lang: string | null;
  createdAt: Date;
  account: string | null;
  authorId: string;
  authorHandle: string;
  author: unknown;
  replyTo: string | null;
  repostOf: string | null;
  quoteOf: string | null;
  score: number;
  level: Level;
  category: string | null;
  rules: RuleHit[];
  reasons: Reason[];
  clusterId: string;
}

export interface ClusterDelta {
  id: string;
  firstSeen: Date;
  lastSeen: Date;
  /** Mentions to add to the story's count (a quiet first mention held back by ingest included). */
  added: number;
  level: Level;
  peakScore: number;
  category: string | null;
  account: string | null;
  signature: unknown;
}

export interface ClusterRow {
  id: string;
  firstSeen: Date;
  lastSeen: Date;
  count: number;
  level: Level;
  peakScore: number;
  category: string | null;
  account: string | null;
  headMentionId: number | null;
  signature: unknown;
}

export interface TicketRow {
  id: number;
  clusterId: string;
  status: TicketStatus;
  level: Level;
  category: string | null;
  account: string | null;
  team: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  version: number;
  openedAt: Date;
  firstDecisionAt: Date | null;
  lastDecisionAt: Date | null;
  snoozeUntil: Date | null;
  ignoredAtCount: number | null;
  pendingReply: unknown;
  crisisId: number | null;
}

export interface NewTicket {
  clusterId: string;
  level: Level;
  category: string | null;
  account: string | null;
  team: string | null;
  openedAt: Date;
}

export type DeliveryKind = 'card' | 'update' | 'notice';

export interface NewDelivery {
  key: string;
  kind: DeliveryKind;
  /** `all` for card refreshes, which touch every message of the ticket. */
  platform: Platform | 'all';
  channel: string;
  ticketId: number | null;
  priority: number;
  /** For notices: the Notice to post and, optionally, the key of the message to thread under. */
  payload?: unknown;
}

export interface DeliveryRow extends NewDelivery {
  id: number;
  state: 'pending' | 'sending' | 'done' | 'failed' | 'folded';
  attempts: number;
}

export interface DecisionInput {
  ticketId: number | null;
  crisisId?: number | null;
  action: string;
  actorId: string;
  actorName: string;
  platform: Platform | 'system';
  payload: Record<string, unknown>;
  at: Date;
}

export interface DecisionRow extends DecisionInput {
  id: number;
  prevHash: string;
  hash: string;
}

/** What the store knows of an author: its row, plus count and latest snapshot read from its mentions. */
export interface AuthorProfileRow {
  source: string;
  authorId: string;
  handle: string;
  flags: string[];
  firstSeen: Date;
  lastSeen: Date;
  mentions: number;
  /** The author as their latest mention described them. */
  snapshot: unknown;
}

/** An author as first seen (or seen under a new handle); counts and snapshots come from their mentions. */
export interface AuthorDelta {
  source: string;
  authorId: string;
  handle: string;
  seenAt: Date;
}

export interface VolumeDelta {
  hour: Date;
  account: string;
  source: string;
  count: number;
  risky: number;
}

export interface StoredRef extends MessageRef {
  key: string;
  ticketId: number | null;
  renderedVersion: number;
}

export type { Card, CardDecision };
