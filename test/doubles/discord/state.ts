/** The Discord double's world: one guild, its channels and threads, messages, interactions, calls. */

export type Json = Record<string, unknown>;

export interface DoubleUser {
  id: string;
  username: string;
  globalName: string | null;
  /** Role ids in the guild. */
  roles: string[];
  nick?: string | null;
  bot?: boolean;
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  author: Json;
  content: string;
  embeds: Json[];
  components: Json[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  nonce?: string;
  /** Interaction that produced this message (responses and follow-ups), if any; double-only field. */
  double_interaction_id?: string;
  [key: string]: unknown;
}

export interface RecordedCall {
  method: string;
  /** Path after /api/v10, without the query. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  status: number;
}

/** One answer a person saw after an interaction: the reply, an edit of it, or a follow-up. */
export interface InteractionAnswer {
  interactionId: string;
  kind: 'reply' | 'edit-original' | 'followup' | 'update';
  ephemeral: boolean;
  body: Json;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  channelId: string;
  userId: string;
  /** The message a component sat on, for updates. */
  messageId: string | null;
  /** Callback type once acknowledged. */
  callback: number | null;
  ephemeral: boolean;
  /** Id of the response message (reply or deferred reply), once there is one. */
  originalId: string | null;
  /** After a deferred reply, the first follow-up edits the original (Discord's documented behaviour). */
  originalFilled: boolean;
  modal: Json | null;
  choices: Json[] | null;
  acked: Promise<number>;
  ack: (type: number) => void;
}

export interface Fault {
  /** Which calls it applies to: `METHOD /path` matched against this pattern. */
  match: RegExp;
  /**
   * `429`: refused, with Retry-After; `500`: the request is carried out, then a 500 is answered;
   * `reset`: carried out, then the connection is cut before any answer (an ambiguous outcome).
   */
  kind: '429' | '500' | 'reset';
  retryAfterS?: number;
  global?: boolean;
}

const EPOCH = 1_420_070_400_000n;

export class DoubleState {
  readonly appId = '900000000000000001';
  readonly guildId = '800000000000000001';
  readonly bot: DoubleUser = { id: '900000000000000002', username: 'vigie', globalName: 'Vigie', roles: [], bot: true };
  readonly channels = new Map<string, { id: string; type: number; name: string; parent_id?: string; owner_id?: string }>();
  readonly messages = new Map<string, StoredMessage[]>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly answers: InteractionAnswer[] = [];
  readonly calls: RecordedCall[] = [];
  readonly commands = new Map<string, Json[]>();
  readonly faults: Fault[] = [];
  /** Broken limits seen in any payload, with where they came from; the REST double also refuses them with 400. */
  readonly violations: string[] = [];
  private sequence = 0n;
  private readonly nonces = new Map<string, string>();

  constructor(private readonly clock: () => number) {}

  /** Snowflakes that grow with time and within a millisecond, like Discord's. */
  snowflake(): string {
    this.sequence += 1n;
    return (((BigInt(this.clock()) - EPOCH) << 22n) + (this.sequence & 0xfffn)).toString();
  }

  now(): string {
    return new Date(this.clock()).toISOString();
  }

  addChannel(id: string, name: string): void {
    this.channels.set(id, { id, type: 0, name });
    if (!this.messages.has(id)) this.messages.set(id, []);
  }

  userJson(user: DoubleUser): Json {
    return { id: user.id, username: user.username, global_name: user.globalName, discriminator: '0', avatar: null, bot: user.bot ?? false };
  }

  memberJson(user: DoubleUser): Json {
    return {
      user: this.userJson(user),
      roles: user.roles,
      nick: user.nick ?? null,
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
      permissions: '2248473465835073',
    };
  }

  createMessage(channelId: string, body: Json, author: DoubleUser, extra: Partial<StoredMessage> = {}): StoredMessage {
    const nonce = typeof body.nonce === 'string' ? body.nonce : undefined;
    if (nonce && body.enforce_nonce === true) {
      const existing = this.nonces.get(`${author.id}:${nonce}`);
      const found = existing ? this.findMessage(existing) : null;
      if (found) return found;
    }
    const message: StoredMessage = {
      id: this.snowflake(),
      channel_id: channelId,
      author: this.userJson(author),
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? (body.embeds as Json[]) : [],
      components: Array.isArray(body.components) ? (body.components as Json[]) : [],
      flags: typeof body.flags === 'number' ? body.flags : 0,
      timestamp: this.now(),
      edited_timestamp: null,
      type: 0,
      tts: false,
      pinned: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      ...(nonce ? { nonce } : {}),
      ...extra,
    };
    if (nonce) this.nonces.set(`${author.id}:${nonce}`, message.id);
    // Ephemeral messages are seen by one person and never stored in the channel's history.
    if ((message.flags & 64) === 0) {
      const list = this.messages.get(channelId) ?? [];
      list.push(message);
      this.messages.set(channelId, list);
    } else {
      this.ephemeral.set(message.id, message);
    }
    return message;
  }

  readonly ephemeral = new Map<string, StoredMessage>();

  findMessage(id: string): StoredMessage | null {
    for (const list of this.messages.values()) {
      const hit = list.find((msg) => msg.id === id);
      if (hit) return hit;
    }
    return this.ephemeral.get(id) ?? null;
  }

  editMessage(message: StoredMessage, body: Json): StoredMessage {
    if (typeof body.content === 'string') message.content = body.content;
    if (Array.isArray(body.embeds)) message.embeds = body.embeds as Json[];
    if (Array.isArray(body.components)) message.components = body.components as Json[];
    message.edited_timestamp = this.now();
    return message;
  }
}
