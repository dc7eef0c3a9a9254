import type {
  ActionRequest,
  ActionResult,
  Actor,
  ChatInbound,
  ChatReply,
  CommandRequest,
  MessageRef,
  ReplyOptions,
  ReplyPreview,
} from '../../src/chat/port.js';

/** One call the adapter made into the core, as recorded by {@link RecordingInbound}. */
export type InboundCall =
  | { kind: 'act'; request: ActionRequest }
  | { kind: 'replyOptions'; ticketId: number; actor: Actor }
  | { kind: 'previewReply'; ticketId: number; templateId: string; variables: Record<string, string> }
  | { kind: 'author'; ticketId: number; actor: Actor }
  | { kind: 'command'; request: CommandRequest }
  | { kind: 'button'; buttonId: string; actor: Actor; ref: MessageRef }
  | { kind: 'threadReply'; ref: MessageRef; actor: Actor; text: string }
  | { kind: 'reaction'; ref: MessageRef; actor: Actor; emoji: string };

export type InboundCallKind = InboundCall['kind'];
export type CallOf<K extends InboundCallKind> = Extract<InboundCall, { kind: K }>;

/**
 * A fake core for adapter tests: records every call and answers with scripted results.
 * Replace a handler (`inbound.onAct = …`) to script an answer; the defaults answer "ok".
 */
export class RecordingInbound implements ChatInbound {
  readonly calls: InboundCall[] = [];

  onAct: (request: ActionRequest) => ActionResult | Promise<ActionResult> = () => ({ status: 'ok', message: 'done' });
  onReplyOptions: (ticketId: number, actor: Actor) => ReplyOptions | null | Promise<ReplyOptions | null> = (ticketId) => ({
    ticketId,
    templates: [
      {
        id: 'airline-contact',
        label: 'Contact the airline',
        variables: [
          { name: 'airline', label: 'Airline', value: 'Air France' },
          { name: 'phone', label: 'Phone', value: '3654' },
        ],
        maxLength: 280,
        stale: false,
      },
    ],
  });
  onPreviewReply: (
    ticketId: number,
    templateId: string,
    variables: Record<string, string>,
  ) => ReplyPreview | Promise<ReplyPreview> = (_ticketId, templateId, variables) => {
    const missing = Object.entries(variables)
      .filter(([, value]) => value.trim() === '')
      .map(([name]) => name);
    if (missing.length > 0) return { ok: false, message: `missing: ${missing.join(', ')}`, missing };
    const text = `[${templateId}] ${Object.values(variables).join(' / ')}`;
    return { ok: true, text, length: text.length, maxLength: 280 };
  };
  onAuthor: (ticketId: number, actor: Actor) => ChatReply | Promise<ChatReply> = (ticketId) => ({
    visibility: 'private',
    notice: { title: `Author of ticket ${ticketId}`, sections: [{ lines: ['8,200 followers', 'no earlier decisions'] }] },
  });
  onCommand: (request: CommandRequest) => ChatReply | Promise<ChatReply> = (request) => ({
    visibility: 'private',
    notice: { title: `Usage of /${request.command}`, sections: [{ lines: ['help · ticket ID'] }] },
  });
  onButton: (buttonId: string, actor: Actor, ref: MessageRef) => ChatReply | null | Promise<ChatReply | null> = () => null;
  onThreadReply: (ref: MessageRef, actor: Actor, text: string) => void | Promise<void> = () => {};
  onReaction: (ref: MessageRef, actor: Actor, emoji: string) => ActionResult | null | Promise<ActionResult | null> = () => null;

  async act(request: ActionRequest): Promise<ActionResult> {
    this.calls.push({ kind: 'act', request });
    return this.onAct(request);
  }
  async replyOptions(ticketId: number, actor: Actor): Promise<ReplyOptions | null> {
    this.calls.push({ kind: 'replyOptions', ticketId, actor });
    return this.onReplyOptions(ticketId, actor);
  }
  async previewReply(ticketId: number, templateId: string, variables: Record<string, string>): Promise<ReplyPreview> {
    this.calls.push({ kind: 'previewReply', ticketId, templateId, variables });
    return this.onPreviewReply(ticketId, templateId, variables);
  }
  async author(ticketId: number, actor: Actor): Promise<ChatReply> {
    this.calls.push({ kind: 'author', ticketId, actor });
    return this.onAuthor(ticketId, actor);
  }
  async command(request: CommandRequest): Promise<ChatReply> {
    this.calls.push({ kind: 'command', request });
    return this.onCommand(request);
  }
  async button(buttonId: string, actor: Actor, ref: MessageRef): Promise<ChatReply | null> {
    this.calls.push({ kind: 'button', buttonId, actor, ref });
    return this.onButton(buttonId, actor, ref);
  }
  async threadReply(ref: MessageRef, actor: Actor, text: string): Promise<void> {
    this.calls.push({ kind: 'threadReply', ref, actor, text });
    await this.onThreadReply(ref, actor, text);
  }
  async reaction(ref: MessageRef, actor: Actor, emoji: string): Promise<ActionResult | null> {
    this.calls.push({ kind: 'reaction', ref, actor, emoji });
    return this.onReaction(ref, actor, emoji);
  }

  /** Calls of one kind, in order. */
  of<K extends InboundCallKind>(kind: K): Array<CallOf<K>> {
    return this.calls.filter((call): call is CallOf<K> => call.kind === kind);
  }

  /**
   * Resolves once `count` calls of `kind` were recorded. Adapters acknowledge the platform first and
   * call the core afterwards, so tests wait for the call instead of assuming it already happened.
   */
  async waitFor<K extends InboundCallKind>(kind: K, count = 1, timeoutMs = 5_000): Promise<Array<CallOf<K>>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.of(kind);
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} "${kind}" call(s), got ${found.length}; calls: ${this.calls.map((c) => c.kind).join(', ') || 'none'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
