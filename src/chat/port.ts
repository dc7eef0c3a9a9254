import type { Card, CardOption, IgnoreReason, Notice, Platform } from './card.js';

/** Where a posted message lives on its platform. */
export interface MessageRef {
  platform: Platform;
  channel: string;
  /** Slack `ts`, Discord message id, console sequence number. */
  messageId: string;
  /** Thread to reply in (Slack thread ts = messageId; Discord thread channel id). */
  threadId?: string | null;
}

export interface Actor {
  platform: Platform;
  id: string;
  name: string;
  /** Slack user-group ids or Discord role ids, resolved by the adapter; used for permissions. */
  groups?: readonly string[];
}

export type ChatAction =
  | { kind: 'assign'; teamId: string }
  | { kind: 'reply'; templateId: string; variables: Record<string, string>; finalText?: string }
  | { kind: 'ignore'; reason: IgnoreReason; snoozeMinutes?: number }
  | { kind: 'resolve' }
  | { kind: 'reopen' };

export interface ActionRequest {
  ticketId: number;
  /** Card version the actor saw; absent means "whatever is current". */
  version?: number;
  actor: Actor;
  action: ChatAction;
}

export type ActionResult =
  | { status: 'ok'; message: string }
  | { status: 'conflict'; message: string; decidedBy: string; decidedAt: Date }
  | { status: 'forbidden'; message: string }
  | { status: 'invalid'; message: string }
  | { status: 'not_found'; message: string };

export interface TemplateChoice extends CardOption {
  variables: Array<{ name: string; label: string; value: string }>;
  /** Length limit of the network the reply goes to. */
  maxLength: number | null;
  stale: boolean;
}

export interface ReplyOptions {
  ticketId: number;
  templates: TemplateChoice[];
}

export type ReplyPreview =
  | { ok: true; text: string; length: number; maxLength: number | null }
  | { ok: false; message: string; missing: string[] };

export interface CommandRequest {
  actor: Actor;
  /** `vigie` or `crisis` (no slash). */
  command: string;
  /** The text after the command. */
  text: string;
  channel: string;
}

/** What the core answers to a command, a button or an author request. */
export interface ChatReply {
  /** Private (only the asker sees it) or posted in the channel. */
  visibility: 'private' | 'channel';
  notice: Notice;
}

/** What the core offers to every chat adapter. Adapters call these; they never touch the store. */
export interface ChatInbound {
  act(request: ActionRequest): Promise<ActionResult>;
  replyOptions(ticketId: number, actor: Actor): Promise<ReplyOptions | null>;
  previewReply(ticketId: number, templateId: string, variables: Record<string, string>): Promise<ReplyPreview>;
  author(ticketId: number, actor: Actor): Promise<ChatReply>;
  command(request: CommandRequest): Promise<ChatReply>;
  /** A notice button (crisis checklist step, editorial hold choice…). */
  button(buttonId: string, actor: Actor, ref: MessageRef): Promise<ChatReply | null>;
  /** A human reply in a card's thread: recorded on the ticket as a note. */
  threadReply(ref: MessageRef, actor: Actor, text: string): Promise<void>;
  /** An emoji reaction on a card; mapped to a quick decision by configuration. */
  reaction(ref: MessageRef, actor: Actor, emoji: string): Promise<ActionResult | null>;
}

/** Thrown by an adapter when the platform asks us to slow down. */
export class PlatformRateLimitError extends Error {
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number, options?: { cause?: unknown }) {
    super(`rate limited, retry after ${retryAfterMs} ms`, options);
    this.name = 'PlatformRateLimitError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** Thrown when the outcome of a post is unknown (timeout, connection reset after sending). */
export class AmbiguousDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AmbiguousDeliveryError';
  }
}

/**
 * The chat-platform port. Console, Slack and Discord implement it and pass the same contract suite
 * (test/chat/contract.ts). Outbound calls are made by the delivery worker, one at a time per channel.
 */
export interface ChatPlatform {
  readonly platform: Platform;
  /** Connects and starts routing user input to `inbound`. */
  start(inbound: ChatInbound): Promise<void>;
  stop(): Promise<void>;
  /** Posts a card; `key` tags the message (metadata) so `find` can tell whether it landed. */
  postCard(channel: string, card: Card, key: string): Promise<MessageRef>;
  updateCard(ref: MessageRef, card: Card): Promise<void>;
  postNotice(channel: string, notice: Notice, key: string, thread?: MessageRef): Promise<MessageRef>;
  updateNotice(ref: MessageRef, notice: Notice): Promise<void>;
  /**
   * Finds a message posted with `key` in `channel` (after an ambiguous failure), or null. `thread` is
   * the parent a notice was posted under, so a restarted process still looks in the right thread.
   */
  find(channel: string, key: string, thread?: MessageRef): Promise<MessageRef | null>;
  health(): { ok: boolean; detail?: string };
}
