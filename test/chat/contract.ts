import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatPlatform, MessageRef } from '../../src/chat/port.js';
import { HOSTILE_TEXT, assignedCard, sampleCard, sampleNotice } from './fixtures.js';
import type { RecordingInbound } from './recording-inbound.js';

/** A message as it stands on the platform side, whatever the platform. */
export interface PlatformMessage {
  messageId: string;
  /** Thread the message is in (its parent's id), or null for a top-level message. */
  threadId: string | null;
  /** Every piece of text of the rendered payload, flattened (markup escapes may remain). */
  text: string;
}

/** An answer the platform showed to a person after a click or a command. */
export interface PlatformAnswer {
  visibility: 'private' | 'channel';
  /** Flattened text of the answer. */
  text: string;
}

export type CardActionName = 'assign' | 'ignore' | 'author' | 'reopen' | 'resolve';

/**
 * What each adapter's test provides so the shared suite can drive it. Implementable by the console
 * adapter (platform side = its output stream, clicks = typed lines) as well as by Slack and Discord
 * (platform side = a local protocol double).
 */
export interface ChatHarness {
  /** Started with `inbound` already. */
  platform: ChatPlatform;
  inbound: RecordingInbound;
  /** A channel the platform may post in. */
  channel: string;
  /** Every message currently in `channel` on the platform side, updates applied, oldest first. */
  messages(): Promise<PlatformMessage[]>;
  /** Every answer shown to users so far (private and in-channel), oldest first. */
  answers(): Promise<PlatformAnswer[]>;
  /**
   * Every raw payload sent to the platform so far (JSON bodies, console output chunks…), for the
   * injection and limit checks.
   */
  rawPayloads(): Promise<string[]>;
  /** True when this raw payload would notify someone on this platform (@channel, user or role ping). */
  wouldPing(raw: string): boolean;
  /** Platform limits broken by the payloads sent so far, in words; empty when all is within limits. */
  limitViolations(): Promise<string[]>;
  /**
   * Simulates a user pressing the card's action: `value` is the team id for assign, the reason id for
   * ignore. Resolves once the platform got its acknowledgement; the core call may come after.
   */
  click(ref: MessageRef, action: CardActionName, value?: string): Promise<void>;
  /** Simulates a user running `/<command> <text>` in `channel`. */
  sendCommand(command: string, text: string): Promise<void>;
  close(): Promise<void>;
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The chat-platform contract: every adapter (console, Slack, Discord) runs it with its own harness. */
export function chatContract(name: string, setup: () => Promise<ChatHarness>): void {
  describe(`chat contract: ${name}`, () => {
    let h: ChatHarness;
    beforeEach(async () => {
      h = await setup();
    });
    afterEach(async () => {
      await h.close();
    });

    it('posts a card that find() locates by its key, and only by its key', async () => {
      const ref = await h.platform.postCard(h.channel, sampleCard(), 'ticket-42');
      expect(ref.platform).toBe(h.platform.platform);
      expect(ref.channel).toBe(h.channel);
      const found = await h.platform.find(h.channel, 'ticket-42');
      expect(found?.messageId).toBe(ref.messageId);
      expect(await h.platform.find(h.channel, 'ticket-43')).toBeNull();
      const messages = await h.messages();
      expect(messages).toHaveLength(1);
      expect(messages[0]?.text).toContain('42');
      expect(messages[0]?.text).toContain('jdupont');
    });

    it('updates a card in place: same message, new state visible', async () => {
      const ref = await h.platform.postCard(h.channel, sampleCard(), 'ticket-42');
      await h.platform.updateCard(ref, assignedCard());
      const messages = await h.messages();
      expect(messages).toHaveLength(1);
      expect(messages[0]?.messageId).toBe(ref.messageId);
      expect(messages[0]?.text).toContain('Camille Martin');
      expect(messages[0]?.text).toContain('Passengers');
    });

    it("posts a notice in the card's thread and updates it in place", async () => {
      const card = await h.platform.postCard(h.channel, sampleCard(), 'ticket-42');
      const note = await h.platform.postNotice(h.channel, sampleNotice(), 'note-1', card);
      expect(note.messageId).not.toBe(card.messageId);
      const thread = card.threadId ?? card.messageId;
      let inThread = (await h.messages()).filter((m) => m.threadId === thread);
      expect(inThread).toHaveLength(1);
      expect(inThread[0]?.text).toContain('Camille Martin assigned this card');
      await h.platform.updateNotice(note, sampleNotice({ sections: [{ lines: ['Reassigned to Field ambassadors.'] }] }));
      inThread = (await h.messages()).filter((m) => m.threadId === thread);
      expect(inThread).toHaveLength(1);
      expect(inThread[0]?.text).toContain('Reassigned to Field ambassadors.');
      expect(await h.platform.find(h.channel, 'note-1')).toMatchObject({ messageId: note.messageId });
    });

    it('neutralises pings and markup in outside text', async () => {
      const hostile = sampleCard({
        text: HOSTILE_TEXT,
        author: { handle: '<!channel>', name: '<@U0123ABCD> @everyone', followers: 1, source: 'twitter' },
        accountLabel: '<!here>',
        reasons: ['<!subteam^S0123ABCD> @here'],
        category: '<!everyone>',
        notices: ['@everyone <@&123456789012345678>'],
        teams: [{ id: 'passengers', label: '<!channel> team' }],
      });
      const ref = await h.platform.postCard(h.channel, hostile, 'ticket-42');
      await h.platform.postNotice(
        h.channel,
        sampleNotice({ title: '<!channel> @everyone', sections: [{ heading: '<!here>', lines: [HOSTILE_TEXT] }] }),
        'note-1',
        ref,
      );
      const raws = await h.rawPayloads();
      expect(raws.length).toBeGreaterThan(0);
      for (const raw of raws) expect(h.wouldPing(raw), raw).toBe(false);
      // The text is still shown, as text.
      const messages = await h.messages();
      expect(messages.map((m) => m.text).join('\n')).toContain('Roissy');
    });

    it('stays within platform limits with a huge text and 200 teams', async () => {
      const teams = Array.from({ length: 200 }, (_, i) => ({ id: `team-${i}`, label: `Team ${i} ${'x'.repeat(120)}` }));
      const huge = sampleCard({
        text: `Roissy ${'très long texte '.repeat(3_000)}`,
        author: { handle: 'h'.repeat(500), name: 'n'.repeat(500), followers: 1, source: 'twitter' },
        reasons: Array.from({ length: 300 }, (_, i) => `reason ${i} ${'r'.repeat(200)}`),
        notices: Array.from({ length: 100 }, (_, i) => `notice ${i} ${'n'.repeat(300)}`),
        category: 'c'.repeat(400),
        trend: Array.from({ length: 500 }, (_, i) => i % 17),
        teams,
        templates: Array.from({ length: 150 }, (_, i) => ({ id: `tpl-${i}`, label: `Template ${i} ${'t'.repeat(100)}` })),
      });
      const ref = await h.platform.postCard(h.channel, huge, 'ticket-42');
      await h.platform.updateCard(ref, { ...huge, version: 4 });
      await h.platform.postNotice(
        h.channel,
        sampleNotice({
          title: 'T'.repeat(1_000),
          sections: Array.from({ length: 80 }, (_, i) => ({ heading: `H${i}`, lines: Array.from({ length: 50 }, () => 'l'.repeat(100)) })),
          buttons: Array.from({ length: 40 }, (_, i) => ({ id: `b-${i}`, label: 'b'.repeat(200) })),
        }),
        'note-1',
      );
      expect(await h.limitViolations()).toEqual([]);
      const messages = await h.messages();
      expect(messages).toHaveLength(2);
      expect(messages[0]?.text).toContain('Roissy');
    });

    it('routes an Assign click to the core with ticket id, version and team', async () => {
      const ref = await h.platform.postCard(h.channel, sampleCard(), 'ticket-42');
      await h.click(ref, 'assign', 'field');
      const [call] = await h.inbound.waitFor('act');
      expect(call?.request).toMatchObject({ ticketId: 42, version: 3, action: { kind: 'assign', teamId: 'field' } });
      expect(call?.request.actor.platform).toBe(h.platform.platform);
      expect(call?.request.actor.id).not.toBe('');
    });

    it('routes an Ignore click with its reason', async () => {
      const ref = await h.platform.postCard(h.channel, sampleCard(), 'ticket-42');
      await h.click(ref, 'ignore', 'troll');
      const [call] = await h.inbound.waitFor('act');
      expect(call?.request).toMatchObject({ ticketId: 42, version: 3, action: { kind: 'ignore', reason: 'troll' } });
    });

    it('routes Resolve and Reopen clicks', async () => {
      const ref = await h.platform.postCard(h.channel, assignedCard({ actions: ['resolve', 'reopen'] }), 'ticket-42');
      await h.click(ref, 'resolve');
      await h.click(ref, 'reopen');
      const calls = await h.inbound.waitFor('act', 2);
      expect(calls.map((c) => c.request.action.kind).sort()).toEqual(['reopen', 'resolve']);
      for (const c of calls) expect(c.request).toMatchObject({ ticketId: 42, version: 4 });
    });

    it('tells only the clicker who already decided, on a conflict', async () => {
      h.inbound.onAct = () => ({
        status: 'conflict',
        message: 'Already assigned by Camille Martin at 09:05',
        decidedBy: 'Camille Martin',
        decidedAt: new Date('2026-11-28T08:05:00Z'),
      });
      const ref = await h.platform.postCard(h.channel, sampleCard(), 'ticket-42');
      await h.click(ref, 'assign', 'passengers');
      await h.inbound.waitFor('act');
      const answer = await eventually(
        async () => (await h.answers()).find((a) => a.text.includes('Camille Martin')),
        'a conflict answer',
      );
      expect(answer.visibility).toBe('private');
      // Nothing new in the channel: the card stays as the core last rendered it.
      expect(await h.messages()).toHaveLength(1);
    });

    it("shows the author card privately to whoever asked", async () => {
      const ref = await h.platform.postCard(h.channel, sampleCard(), 'ticket-42');
      await h.click(ref, 'author');
      const [call] = await h.inbound.waitFor('author');
      expect(call?.ticketId).toBe(42);
      const answer = await eventually(
        async () => (await h.answers()).find((a) => a.text.includes('Author of ticket 42')),
        'the author card',
      );
      expect(answer.visibility).toBe('private');
    });

    it('passes a command to the core and shows its private reply', async () => {
      await h.sendCommand('vigie', 'help');
      const [call] = await h.inbound.waitFor('command');
      expect(call?.request).toMatchObject({ command: 'vigie', text: 'help', channel: h.channel });
      const answer = await eventually(
        async () => (await h.answers()).find((a) => a.text.includes('Usage of /vigie')),
        'the command reply',
      );
      expect(answer.visibility).toBe('private');
    });

    it('shows a channel-visible command reply in the channel', async () => {
      h.inbound.onCommand = () => ({
        visibility: 'channel',
        notice: { title: 'Crisis opened: Roissy T2E', sections: [{ lines: ['Checklist follows.'] }] },
      });
      await h.sendCommand('crisis', 'open Roissy T2E');
      await h.inbound.waitFor('command');
      const answer = await eventually(
        async () => (await h.answers()).find((a) => a.text.includes('Crisis opened: Roissy T2E')),
        'the channel reply',
      );
      expect(answer.visibility).toBe('channel');
    });

    it('never shows internal error text when the core throws on a command', async () => {
      h.inbound.onCommand = () => {
        throw new Error('secret-internal-detail at db.ts:12');
      };
      await h.sendCommand('vigie', 'ticket 42');
      await h.inbound.waitFor('command');
      const answer = await eventually(async () => (await h.answers())[0], 'an apology');
      expect(answer.visibility).toBe('private');
      const everything = [...(await h.answers()).map((a) => a.text), ...(await h.rawPayloads())].join('\n');
      expect(everything).not.toContain('secret-internal-detail');
    });
  });
}
