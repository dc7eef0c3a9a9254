import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { type Card, IGNORE_REASONS, type Notice } from '../../../src/chat/card.js';
import type { ActionRequest, Actor, ChatInbound, ChatPlatform, ChatReply, MessageRef } from '../../../src/chat/port.js';
import type { Logger } from '../../../src/ops/logger.js';
import { plain, renderCard, renderNotice } from './render.js';

export interface ConsolePlatformOptions {
  output: Writable;
  /** Typed commands; absent means output only (non-interactive runs). */
  input?: Readable | undefined;
  /** Colours for a person at a terminal. */
  color?: boolean;
  /** Who types: the console has one user. */
  actor?: { id: string; name: string };
  /** Posted keys survive a restart here, so a re-sent card is recognised (never twice). */
  journalPath?: string | undefined;
  logger?: Logger;
  /** The channel the person types in: commands run there (the watch channel by default). */
  channel?: string;
}

interface ConsoleMessage {
  ref: MessageRef;
  key: string;
  text: string;
  card: Card | null;
}

export interface ConsolePlatform extends ChatPlatform {
  /** Runs one typed line, as if entered at the prompt. */
  handleLine(line: string): Promise<void>;
  /** Messages currently shown in a channel, updates applied (for tests and the demo summary). */
  shown(channel: string): ConsoleMessage[];
}

const ticketId = z.coerce.number().int().positive();

export const CONSOLE_HELP = [
  'assign ID TEAM          assign the ticket to a team',
  'reply ID TEMPLATE [name=value …]   approve a templated reply',
  'preview ID TEMPLATE [name=value …] show the final text without approving',
  'templates ID            list the templates for this ticket',
  'ignore ID REASON [snooze=MINUTES]  reasons: off-topic, troll, duplicate, handled',
  'resolve ID · reopen ID  close or reopen',
  'author ID               who is talking (shown only to you)',
  'note ID TEXT            add a note to the ticket',
  'press BUTTON-ID         press a notice button (crisis checklist…)',
  '/vigie … · /crisis …    the same commands as in Slack and Discord',
  'help',
];

/** Splits `reply 12 tpl name="Jean Dupont" flight=AF12` respecting quotes. */
export function splitArgs(line: string): string[] {
  const out: string[] = [];
  const re = /(\w[\w-]*=)?"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[3] ?? `${m[1] ?? ''}${(m[2] ?? '').replace(/\\(.)/g, '$1')}`);
  return out;
}

function variables(args: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq > 0) vars[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return vars;
}

/**
 * The terminal as a chat platform: cards are printed, actions are typed. It implements the same port
 * as Slack and Discord and passes the same contract suite.
 */
export function createConsolePlatform(options: ConsolePlatformOptions): ConsolePlatform {
  const color = options.color ?? false;
  const actor: Actor = { platform: 'console', id: options.actor?.id ?? 'console', name: options.actor?.name ?? 'console' };
  const messages: ConsoleMessage[] = [];
  const byKey = new Map<string, MessageRef>();
  let seq = 0;
  const here = options.channel ?? 'console';
  let inbound: ChatInbound | null = null;
  let rl: Interface | null = null;

  if (options.journalPath) {
    try {
      for (const line of readFileSync(options.journalPath, 'utf8').split('\n')) {
        if (!line) continue;
        const entry = JSON.parse(line) as { key: string; ref: MessageRef };
        byKey.set(entry.key, entry.ref);
        seq = Math.max(seq, Number(entry.ref.messageId) || 0);
      }
    } catch {
      // no journal yet
    }
  }

  function write(text: string): void {
    options.output.write(`${text}\n`);
  }

  function remember(key: string, ref: MessageRef): void {
    byKey.set(key, ref);
    if (options.journalPath) {
      mkdirSync(dirname(options.journalPath), { recursive: true });
      appendFileSync(options.journalPath, `${JSON.stringify({ key, ref })}\n`);
    }
  }

  function showReply(reply: ChatReply, channel: string): void {
    write(renderNotice(reply.notice, channel, color, reply.visibility === 'private' ? '(only you) ' : ''));
  }

  function answer(text: string): void {
    write(`(only you) ${plain(text)}`);
  }

  function lastCard(id: number): Card | null {
    for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.card?.ticketId === id) return messages[i]!.card;
    return null;
  }

  async function act(id: number, action: ActionRequest['action']): Promise<void> {
    if (!inbound) return;
    const seen = lastCard(id);
    const request: ActionRequest = { ticketId: id, actor, action, ...(seen ? { version: seen.version } : {}) };
    const result = await inbound.act(request);
    answer(result.message);
  }

  async function handleLine(raw: string): Promise<void> {
    const line = raw.trim();
    if (!line || !inbound) return;
    try {
      if (line.startsWith('/')) {
        const [command, ...rest] = line.slice(1).split(/\s+/);
        const reply = await inbound.command({ actor, command: command ?? '', text: rest.join(' '), channel: here });
        showReply(reply, here);
        return;
      }
      const [verb, idText, ...args] = splitArgs(line);
      if (verb === 'help' || verb === '?') {
        write(CONSOLE_HELP.map((l) => `  ${l}`).join('\n'));
        return;
      }
      if (verb === 'press' && idText) {
        const last = messages.findLast((m) => m.card === null);
        const reply = await inbound.button(idText, actor, last?.ref ?? { platform: 'console', channel: here, messageId: '0' });
        if (reply) showReply(reply, here);
        return;
      }
      const parsed = ticketId.safeParse(idText);
      if (!parsed.success) {
        answer(`"${verb ?? ''}": a ticket number is expected (type help)`);
        return;
      }
      const id = parsed.data;
      switch (verb) {
        case 'assign':
          return act(id, { kind: 'assign', teamId: args[0] ?? '' });
        case 'ignore': {
          const reason = z.enum(IGNORE_REASONS).safeParse(args[0]);
          if (!reason.success) return answer(`reason: one of ${IGNORE_REASONS.join(', ')}`);
          const snooze = Number(variables(args.slice(1)).snooze ?? Number.NaN);
          return act(id, { kind: 'ignore', reason: reason.data, ...(Number.isFinite(snooze) && snooze > 0 ? { snoozeMinutes: snooze } : {}) });
        }
        case 'resolve':
          return act(id, { kind: 'resolve' });
        case 'reopen':
          return act(id, { kind: 'reopen' });
        case 'reply':
        case 'preview': {
          const templateId = args[0];
          if (!templateId) return answer('template: required (type "templates ID" to list them)');
          const vars = variables(args.slice(1));
          if (verb === 'reply') return act(id, { kind: 'reply', templateId, variables: vars });
          const preview = await inbound.previewReply(id, templateId, vars);
          return answer(preview.ok ? `${preview.text}\n(${preview.length}${preview.maxLength ? `/${preview.maxLength}` : ''})` : preview.message);
        }
        case 'templates': {
          const opts = await inbound.replyOptions(id, actor);
          if (!opts || opts.templates.length === 0) return answer('no template for this ticket');
          return answer(
            opts.templates
              .map((t) => `${t.id}${t.stale ? ' (review due)' : ''}: ${t.label} — ${t.variables.map((v) => `${v.name}=${v.value || '…'}`).join(' ')}`)
              .join('\n'),
          );
        }
        case 'author':
          return showReply(await inbound.author(id, actor), here);
        case 'note': {
          const ref = lastCardRef(id);
          if (!ref) return answer(`ticket ${id} has no card here`);
          await inbound.threadReply(ref, actor, args.join(' '));
          return answer('note recorded');
        }
        default:
          return answer(`unknown command "${verb ?? ''}" (type help)`);
      }
    } catch (err) {
      options.logger?.error({ err }, 'console command failed');
      answer('Sorry, that did not work. The error was logged.');
    }
  }

  function lastCardRef(id: number): MessageRef | null {
    for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.card?.ticketId === id) return messages[i]!.ref;
    return null;
  }

  function put(channel: string, key: string, text: string, card: Card | null, thread?: MessageRef): MessageRef {
    seq++;
    const ref: MessageRef = { platform: 'console', channel, messageId: String(seq), threadId: thread ? thread.threadId ?? thread.messageId : String(seq) };
    if (thread) ref.threadId = thread.threadId ?? thread.messageId;
    messages.push({ ref: thread ? ref : { ...ref, threadId: null }, key, text, card });
    write(text);
    remember(key, ref);
    return ref;
  }

  return {
    platform: 'console',
    handleLine,
    shown: (channel) => messages.filter((m) => m.ref.channel === channel).map((m) => ({ ...m })),
    async start(core) {
      inbound = core;
      if (options.input) {
        rl = createInterface({ input: options.input, terminal: false });
        rl.on('line', (line) => {
          void handleLine(line);
        });
      }
    },
    async stop() {
      rl?.close();
      rl = null;
      inbound = null;
    },
    async postCard(channel, card, key) {
      return put(channel, key, renderCard(card, channel, color, false), card);
    },
    async updateCard(ref, card) {
      const text = renderCard(card, ref.channel, color, true);
      const m = messages.find((x) => x.ref.messageId === ref.messageId);
      if (m) {
        m.text = text;
        m.card = card;
      }
      write(text);
    },
    async postNotice(channel, notice: Notice, key, thread) {
      return put(channel, key, renderNotice(notice, channel, color, thread ? `  ↳ #${thread.messageId} ` : ''), null, thread);
    },
    async updateNotice(ref, notice) {
      const text = renderNotice(notice, ref.channel, color, '(updated) ');
      const m = messages.find((x) => x.ref.messageId === ref.messageId);
      if (m) m.text = text;
      write(text);
    },
    async find(channel, key) {
      const ref = byKey.get(key);
      return ref && ref.channel === channel ? ref : null;
    },
    health() {
      return { ok: true };
    },
  };
}

/** For tests: the messages currently shown, updates applied. */
export type { ConsoleMessage };
