import { afterEach, describe, expect, it } from 'vitest';
import { AmbiguousDeliveryError, PlatformRateLimitError, type TemplateChoice } from '../../../src/chat/port.js';
import { parseCrisisCommand } from '../../../src/crisis/command.js';
import { HOSTILE_TEXT, assignedCard, sampleCard, sampleNotice } from '../fixtures.js';
import { DOUBLE_USERS, type InteractionRecord, type StoredMessage } from '../../doubles/discord/index.js';
import { CHANNEL, type DiscordHarness, flattenText, messagePayloads, startDiscordHarness } from './harness.js';

let h: DiscordHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});
const start = async (...args: Parameters<typeof startDiscordHarness>) => {
  h = await startDiscordHarness(...args);
  return h;
};

const until = async <T>(probe: () => T | null | undefined, what: string): Promise<T> => {
  for (let i = 0; i < 500; i += 1) {
    const value = probe();
    if (value !== undefined && value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const customIds = (message: StoredMessage): string[] =>
  message.components.flatMap((row) => ((row.components as Array<{ custom_id?: string }>) ?? []).map((c) => c.custom_id ?? ''));

/** The private message an interaction produced (reply or deferred reply), once it has content. */
const privateMessageOf = (harness: DiscordHarness, record: InteractionRecord) =>
  until(() => {
    const id = harness.double.state.interactions.get(record.id)?.originalId;
    const message = id ? harness.double.message(id) : null;
    return message && (message.flags & 64) !== 0 && (message.components.length > 0 || message.embeds.length > 0 || message.content) ? message : undefined;
  }, 'a private message');

const template = (variables: number): TemplateChoice => ({
  id: 'airline-contact',
  label: 'Contact the airline',
  variables: Array.from({ length: variables }, (_, i) => ({ name: `v${i}`, label: `Variable ${i}`, value: `default ${i}` })),
  maxLength: 280,
  stale: false,
});

describe('discord adapter: the reply flow', () => {
  it('goes button → private template select → modal → private preview → approve, and acts once', async () => {
    const t = await start();
    const card = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42');
    const click = await t.double.gateway.clickButton(card.messageId, /^vg:rp:42:3$/, { user: DOUBLE_USERS.hugo });
    await t.inbound.waitFor('replyOptions');
    const picker = await privateMessageOf(t, click);
    expect(customIds(picker)[0]).toMatch(/^vg:tp:42:3:[a-z0-9]+:0$/);

    const pick = await t.double.gateway.selectOption(picker.id, /^vg:tp:/, 'airline-contact', { user: DOUBLE_USERS.hugo });
    expect(pick.callback).toBe(9);
    const inputs = ((pick.modal?.components ?? []) as Array<{ label: string; component: { custom_id: string; value?: string } }>).map((c) => [c.label, c.component.value]);
    expect(inputs).toEqual([
      ['Airline', 'Air France'],
      ['Phone', '3654'],
    ]);

    await t.double.gateway.submitModal(pick, { v1: '36 54' }, { user: DOUBLE_USERS.hugo });
    const [preview] = await t.inbound.waitFor('previewReply');
    expect(preview).toMatchObject({ ticketId: 42, templateId: 'airline-contact', variables: { airline: 'Air France', phone: '36 54' } });
    const previewMessage = await until(() => {
      const m = t.double.message(picker.id);
      return m && m.embeds.length > 0 ? m : undefined;
    }, 'the preview');
    expect(flattenText(previewMessage)).toContain('Air France / 36 54');

    await t.double.gateway.clickButton(picker.id, /^vg:ra:/, { user: DOUBLE_USERS.hugo });
    const [act] = await t.inbound.waitFor('act');
    expect(act?.request).toMatchObject({
      ticketId: 42,
      version: 3,
      actor: { id: DOUBLE_USERS.hugo.id, name: 'Hugo (terrain)', groups: DOUBLE_USERS.hugo.roles },
      action: { kind: 'reply', templateId: 'airline-contact', variables: { airline: 'Air France', phone: '36 54' }, finalText: '[airline-contact] Air France / 36 54' },
    });
    const done = await until(() => (t.double.message(picker.id)?.components.length === 0 ? t.double.message(picker.id) : undefined), 'buttons removed');
    expect(done.content).toBe('Reply approved.');
    // The card itself is untouched by the flow: the core re-renders it.
    expect(t.double.messages(CHANNEL)).toHaveLength(1);
  });

  it('spreads more than five variables over several modals, each reachable from the preview', async () => {
    const t = await start();
    t.inbound.onReplyOptions = (ticketId) => ({ ticketId, templates: [template(7)] });
    const card = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42');
    const click = await t.double.gateway.clickButton(card.messageId, /^vg:rp:/);
    const picker = await privateMessageOf(t, click);
    const pick = await t.double.gateway.selectOption(picker.id, /^vg:tp:/, 'airline-contact');
    expect(pick.modal?.components).toHaveLength(5);
    await t.double.gateway.submitModal(pick, {});
    const preview = await until(() => (t.double.message(picker.id)?.embeds.length ? t.double.message(picker.id) : undefined), 'preview');
    expect(customIds(preview).filter((id) => id.startsWith('vg:re:'))).toHaveLength(2);
    const second = await t.double.gateway.clickButton(picker.id, /^vg:re:.*:1$/);
    const inputs = second.modal?.components as Array<{ component: { custom_id: string; value?: string } }>;
    expect(inputs.map((c) => c.component.value)).toEqual(['default 5', 'default 6']);
    await t.double.gateway.submitModal(second, { v6: 'changed' });
    const calls = await t.inbound.waitFor('previewReply', 2);
    expect(calls[1]?.variables).toMatchObject({ v0: 'default 0', v5: 'default 5', v6: 'changed' });
  });

  it('says the step expired, privately, when the draft is older than an interaction token', async () => {
    let now = Date.UTC(2026, 10, 28, 8, 0, 0);
    const t = await start({ clock: () => new Date(now) });
    const card = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42');
    const picker = await privateMessageOf(t, await t.double.gateway.clickButton(card.messageId, /^vg:rp:/));
    now += 16 * 60_000;
    const late = await t.double.gateway.selectOption(picker.id, /^vg:tp:/, 'airline-contact');
    expect(late.callback).toBe(4);
    const answer = t.double.answers.find((a) => a.interactionId === late.id);
    expect(answer).toMatchObject({ ephemeral: true });
    expect(flattenText(answer?.body)).toContain('expired');
  });

  it('refuses a template picked by someone else than who opened the flow', async () => {
    const t = await start();
    const card = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42');
    const picker = await privateMessageOf(t, await t.double.gateway.clickButton(card.messageId, /^vg:rp:/));
    const other = await t.double.gateway.selectOption(picker.id, /^vg:tp:/, 'airline-contact', { user: DOUBLE_USERS.hugo });
    expect(other.modal).toBeNull();
    expect(t.double.answers.find((a) => a.interactionId === other.id)?.ephemeral).toBe(true);
  });
});

describe('discord adapter: card actions', () => {
  it('offers 24 teams and "more…" on a card with 200 teams, then the next page privately', async () => {
    const t = await start();
    const teams = Array.from({ length: 200 }, (_, i) => ({ id: `team-${i}`, label: `Team ${i}` }));
    const card = await t.platform.postCard(CHANNEL, sampleCard({ teams }), 'card:42');
    const message = t.double.message(card.messageId)!;
    const select = ((message.components[0]?.components ?? []) as Array<{ options: Array<{ value: string }> }>)[0]!;
    expect(select.options).toHaveLength(25);
    expect(select.options.at(-1)?.value).toBe('vg:more');
    const more = await t.double.gateway.selectOption(card.messageId, /^vg:as:/, 'vg:more');
    const page2 = await privateMessageOf(t, more);
    const options = ((page2.components[0]?.components ?? []) as Array<{ options: Array<{ value: string }> }>)[0]!.options;
    expect(options[0]?.value).toBe('team-24');
    expect(options.at(-1)?.value).toBe('vg:more');
    await t.double.gateway.selectOption(page2.id, /^vg:as:42:3:1$/, 'team-30');
    const [act] = await t.inbound.waitFor('act');
    expect(act?.request).toMatchObject({ ticketId: 42, version: 3, action: { kind: 'assign', teamId: 'team-30' } });
    expect(t.inbound.of('act')).toHaveLength(1);
  });

  it('routes Ignore with a snooze', async () => {
    const t = await start();
    const card = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42');
    await t.double.gateway.selectOption(card.messageId, /^vg:ig:/, 'troll:240');
    const [act] = await t.inbound.waitFor('act');
    expect(act?.request.action).toEqual({ kind: 'ignore', reason: 'troll', snoozeMinutes: 240 });
  });

  it('lets two simultaneous clicks reach the core; only the loser is told, privately', async () => {
    const t = await start();
    let first = true;
    t.inbound.onAct = () => {
      if (first) {
        first = false;
        return { status: 'ok', message: 'assigned' };
      }
      return { status: 'conflict', message: 'Already assigned by Camille Martin', decidedBy: 'Camille Martin', decidedAt: new Date('2026-11-28T08:05:00Z') };
    };
    const card = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42');
    const [a, b] = await Promise.all([
      t.double.gateway.selectOption(card.messageId, /^vg:as:/, 'passengers', { user: DOUBLE_USERS.camille }),
      t.double.gateway.selectOption(card.messageId, /^vg:as:/, 'field', { user: DOUBLE_USERS.hugo }),
    ]);
    const calls = await t.inbound.waitFor('act', 2);
    expect(new Set(calls.map((c) => c.request.actor.id))).toEqual(new Set([DOUBLE_USERS.camille.id, DOUBLE_USERS.hugo.id]));
    const answer = await until(() => t.double.answers.find((x) => flattenText(x.body).includes('Camille Martin')), 'the conflict answer');
    expect(answer.ephemeral).toBe(true);
    const loser = calls[1]?.request.actor.id === DOUBLE_USERS.hugo.id ? b : a;
    expect(answer.interactionId).toBe(loser.id);
    expect(t.double.answers.filter((x) => x.interactionId !== loser.id)).toEqual([]);
    // Both clicks were acknowledged without touching the card.
    expect([a.callback, b.callback]).toEqual([6, 6]);
  });

  it('refuses forged or stale custom ids privately, without calling the core', async () => {
    const t = await start();
    const card = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42');
    for (const custom_id of ['vg:rs:abc:1', 'vg:rs:0:1', 'vg:xx:42:3', `vg:rs:42:3:${'x'.repeat(120)}`, 'hello']) {
      const forged = await t.double.gateway.rawInteraction(3, CHANNEL, { custom_id, component_type: 2 }, { messageId: card.messageId });
      expect(t.double.answers.find((x) => x.interactionId === forged.id)?.ephemeral, custom_id).toBe(true);
    }
    const badValue = await t.double.gateway.rawInteraction(3, CHANNEL, { custom_id: 'vg:ig:42:3', component_type: 3, values: ['troll:999'] }, { messageId: card.messageId });
    expect(t.double.answers.find((x) => x.interactionId === badValue.id)?.ephemeral).toBe(true);
    expect(t.inbound.calls).toEqual([]);
  });

  it('shows a notice button answer privately and passes the notice ref to the core', async () => {
    const t = await start();
    t.inbound.onButton = (buttonId) => ({ visibility: 'private', notice: { title: `Step ${buttonId} ticked`, sections: [] } });
    const notice = await t.platform.postNotice(CHANNEL, sampleNotice({ buttons: [{ id: 'crisis:7:step:2', label: 'Press release sent' }] }), 'checklist:7');
    await t.double.gateway.clickButton(notice.messageId, 'vg:nb:crisis:7:step:2');
    const [call] = await t.inbound.waitFor('button');
    expect(call).toMatchObject({ buttonId: 'crisis:7:step:2', ref: { platform: 'discord', channel: CHANNEL, messageId: notice.messageId } });
    const answer = await until(() => t.double.answers.find((a) => flattenText(a.body).includes('Step crisis:7:step:2 ticked')), 'answer');
    expect(answer.ephemeral).toBe(true);
  });
});

describe('discord adapter: commands', () => {
  it('re-serialises subcommands and options into the text the core parses', async () => {
    const t = await start();
    await t.double.gateway.slashCommand('crisis', 'open', { title: 'Alerte bagage', site: 'roissy', severity: 2 });
    await t.double.gateway.slashCommand('crisis', 'update', { text: 'Le terminal "2E" rouvre\nà 10 h', id: '3' });
    await t.double.gateway.slashCommand('crisis', 'close', { id: '#4' });
    await t.double.gateway.slashCommand('vigie', 'ticket', { id: 42 });
    await t.double.gateway.slashCommand('vigie', 'digest', { mode: 'preview' });
    const calls = await t.inbound.waitFor('command', 5);
    const texts = calls.map((c) => `${c.request.command} ${c.request.text}`);
    expect(texts).toEqual([
      'crisis open "Alerte bagage" site:roissy severity:2',
      'crisis update #3 Le terminal "2E" rouvre à 10 h',
      'crisis close #4',
      'vigie ticket 42',
      'vigie digest preview',
    ]);
    expect(parseCrisisCommand(calls[0]!.request.text)).toMatchObject({ ok: true, command: { verb: 'open', title: 'Alerte bagage', site: 'roissy', severity: 2 } });
    expect(parseCrisisCommand(calls[1]!.request.text)).toMatchObject({ ok: true, command: { verb: 'update', crisisId: 3 } });
    expect(parseCrisisCommand(calls[2]!.request.text)).toMatchObject({ ok: true, command: { verb: 'close', crisisId: 4, summary: null } });
    for (const c of calls) expect(c.request).toMatchObject({ channel: CHANNEL, actor: { platform: 'discord', id: DOUBLE_USERS.camille.id, groups: DOUBLE_USERS.camille.roles } });
  });

  it('quotes a title that holds an option-looking word, so the core keeps it whole', async () => {
    const t = await start();
    await t.double.gateway.slashCommand('crisis', 'open', { title: 'Panne site:roissy T2' });
    const [call] = await t.inbound.waitFor('command');
    expect(parseCrisisCommand(call!.request.text)).toMatchObject({ ok: true, command: { title: 'Panne site:roissy T2', site: null } });
  });

  it('refuses a crisis id that is not a number, without calling the core', async () => {
    const t = await start();
    const record = await t.double.gateway.slashCommand('crisis', 'status', { id: 'abc' });
    expect(t.double.answers.find((a) => a.interactionId === record.id)?.ephemeral).toBe(true);
    expect(t.inbound.of('command')).toEqual([]);
  });

  it('defers a slow command privately, then posts a channel answer as a public follow-up', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const t = await start({ commandReplyWithinMs: 0 });
    t.inbound.onCommand = async () => {
      await gate;
      return { visibility: 'channel', notice: { title: 'Crisis opened: Roissy', sections: [] } };
    };
    const record = await t.double.gateway.slashCommand('crisis', 'open', { title: 'Roissy' });
    expect(record.callback).toBe(5);
    expect(t.double.state.interactions.get(record.id)?.ephemeral).toBe(true);
    release();
    const publicAnswer = await until(() => t.double.answers.find((a) => !a.ephemeral), 'the public follow-up');
    expect(flattenText(publicAnswer.body)).toContain('Crisis opened: Roissy');
    expect(t.double.answers.filter((a) => a.ephemeral).map((a) => flattenText(a.body))).toEqual(['Posted in the channel.']);
  });

  it('autocompletes crisis ids from the source, filtered by what was typed', async () => {
    const t = await start({
      autocomplete: {
        crisisIds: async () => [
          { id: '3', label: 'Roissy T2E' },
          { id: '4', label: 'Orly grève' },
        ],
        templateIds: async () => [],
        teams: async () => [],
      },
    });
    const choices = await t.double.gateway.autocomplete('crisis', 'update', { text: 'x', id: 'orly' }, 'id');
    expect(choices).toEqual([{ name: '4 · Orly grève', value: '4' }]);
    expect(t.inbound.calls).toEqual([]);
  });

  it('answers autocompletion with no choice when no source is given', async () => {
    const t = await start();
    expect(await t.double.gateway.autocomplete('crisis', 'status', { id: '' }, 'id')).toEqual([]);
  });
});

describe('discord adapter: threads and reactions', () => {
  it('creates the card thread at the first note, reuses it after a restart, and records human replies', async () => {
    const t = await start();
    const card = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42');
    const note = await t.platform.postNotice(CHANNEL, sampleNotice(), 'note:1', card);
    expect(note).toMatchObject({ channel: CHANNEL, threadId: card.messageId });
    expect(t.double.state.channels.get(card.messageId)).toMatchObject({ type: 11, parent_id: CHANNEL, name: 'Ticket #42 · history' });

    // A new process knows nothing of the thread: Discord says it exists, and the note goes there.
    await t.platform.stop();
    await t.platform.start(t.inbound);
    const again = await t.platform.postNotice(CHANNEL, sampleNotice({ title: 'Resolved' }), 'note:2', card);
    expect(again.threadId).toBe(card.messageId);
    expect(t.double.messages(card.messageId)).toHaveLength(2);

    t.double.gateway.sendMessage(CHANNEL, 'not in a thread');
    t.double.gateway.sendMessage(card.messageId, 'Called the airline, @everyone calm down', { user: DOUBLE_USERS.hugo });
    const [reply] = await t.inbound.waitFor('threadReply');
    expect(reply).toMatchObject({
      ref: { platform: 'discord', channel: CHANNEL, messageId: card.messageId, threadId: card.messageId },
      actor: { id: DOUBLE_USERS.hugo.id, name: 'Hugo (terrain)', groups: DOUBLE_USERS.hugo.roles },
      text: 'Called the airline, @everyone calm down',
    });
    expect(t.inbound.of('threadReply')).toHaveLength(1);
  });

  it('passes reactions on its cards to the core, with the member roles, and ignores others', async () => {
    const t = await start();
    const card = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42');
    const human = t.double.gateway.sendMessage(CHANNEL, 'a human message');
    t.double.gateway.addReaction(CHANNEL, human.id, '✅');
    t.double.gateway.addReaction(CHANNEL, card.messageId, '✅', { user: DOUBLE_USERS.hugo });
    const [reaction] = await t.inbound.waitFor('reaction');
    expect(reaction).toMatchObject({ ref: { channel: CHANNEL, messageId: card.messageId }, emoji: '✅', actor: { id: DOUBLE_USERS.hugo.id, groups: DOUBLE_USERS.hugo.roles } });
    expect(t.inbound.of('reaction')).toHaveLength(1);
  });

  it('identifies with the intents it needs', async () => {
    const t = await start();
    const intents = Number(t.double.gateway.identify()?.intents);
    // Guilds, GuildMessages, GuildMessageReactions, MessageContent.
    expect(intents).toBe((1 << 0) | (1 << 9) | (1 << 10) | (1 << 15));
    await t.platform.stop();
    expect(t.platform.health().ok).toBe(false);
  });
});

describe('discord adapter: safety and limits', () => {
  it('sends allowed_mentions parse [] with every message, edit, reply and follow-up, and defuses the text', async () => {
    const t = await start();
    t.inbound.onAct = () => ({ status: 'forbidden', message: `${HOSTILE_TEXT} not allowed` });
    t.inbound.onAuthor = () => ({ visibility: 'private', notice: { title: '@everyone', sections: [{ lines: [HOSTILE_TEXT] }] } });
    const hostile = sampleCard({ text: HOSTILE_TEXT, author: { handle: '@everyone', name: '<@&123456789012345678>', followers: 1, source: 'x' } });
    const card = await t.platform.postCard(CHANNEL, hostile, 'card:42');
    await t.platform.updateCard(card, assignedCard({ text: HOSTILE_TEXT }));
    await t.platform.postNotice(CHANNEL, sampleNotice({ sections: [{ lines: [HOSTILE_TEXT], links: [{ label: '[x](https://evil.example)', url: 'javascript:alert(1)' }] }] }), 'note:1', card);
    await t.double.gateway.clickButton(card.messageId, /^vg:au:/);
    await t.double.gateway.selectOption(card.messageId, /^vg:ig:/, 'duplicate');
    await t.inbound.waitFor('act');
    await until(() => t.double.answers.find((a) => a.kind === 'followup'), 'the refusal');

    const payloads = messagePayloads(t.double);
    // Card post and edit, thread note, author answer, refusal follow-up.
    expect(payloads.length).toBeGreaterThanOrEqual(5);
    for (const body of payloads) {
      const message = (body as { type?: number; data?: { allowed_mentions?: unknown } }).data ?? (body as { allowed_mentions?: unknown });
      expect(message.allowed_mentions, JSON.stringify(body).slice(0, 200)).toEqual({ parse: [] });
    }
    const text = payloads.map((body) => flattenText(body)).join('\n');
    expect(text).not.toMatch(/@(everyone|here)/);
    expect(text).not.toMatch(/<@[!&]?\d+>|<#\d+>/);
    expect(text).not.toMatch(/\[[^\]]*\]\(https?:/);
    expect(text).not.toContain('javascript:');
    expect(text).toContain('@\u200beveryone');
    expect(text).toContain('\\*bold\\*');
  });

  it('keeps every embed within 6,000 characters and every row within 5 components', async () => {
    const t = await start();
    const card = sampleCard({
      text: 'x'.repeat(10_000),
      reasons: Array.from({ length: 50 }, () => 'r'.repeat(900)),
      notices: Array.from({ length: 50 }, () => 'n'.repeat(900)),
      actions: ['assign', 'reply', 'ignore', 'author', 'reopen', 'resolve'],
      url: 'https://x.com/a/status/1',
    });
    const ref = await t.platform.postCard(CHANNEL, card, 'card:42');
    const message = t.double.message(ref.messageId)!;
    const embed = message.embeds[0] as { description: string; fields: Array<{ name: string; value: string }>; title: string; footer: { text: string } };
    const total = embed.title.length + embed.description.length + embed.footer.text.length + embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6_000);
    expect(embed.description.length).toBeGreaterThan(1_000);
    expect(message.components).toHaveLength(3);
    expect(((message.components[2]?.components ?? []) as unknown[]).length).toBe(5);
    expect(t.double.state.violations).toEqual([]);
  });
});

describe('discord adapter: delivery', () => {
  it('turns a 429 it would have to wait out into PlatformRateLimitError, and sends nothing more meanwhile', async () => {
    const t = await start();
    await t.platform.postCard(CHANNEL, sampleCard(), 'card:41');
    t.double.fail({ match: /^POST \/channels\/\d+\/messages$/, kind: '429', retryAfterS: 7 });
    const error = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRateLimitError);
    expect((error as PlatformRateLimitError).retryAfterMs).toBeGreaterThanOrEqual(7_000);
    expect(t.double.messages(CHANNEL)).toHaveLength(1);
    const posts = () => t.double.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/messages')).length;
    const before = posts();
    await expect(t.platform.postCard(CHANNEL, sampleCard(), 'card:42')).rejects.toBeInstanceOf(PlatformRateLimitError);
    expect(posts()).toBe(before);
  });

  it('reports a lost answer as ambiguous; find() then locates the post and a repeat does not duplicate it', async () => {
    const t = await start();
    t.double.fail({ match: /^POST \/channels\/\d+\/messages$/, kind: 'reset' });
    await expect(t.platform.postCard(CHANNEL, sampleCard(), 'card:42')).rejects.toBeInstanceOf(AmbiguousDeliveryError);
    expect(t.double.messages(CHANNEL)).toHaveLength(1);
    const found = await t.platform.find(CHANNEL, 'card:42');
    expect(found?.messageId).toBe(t.double.messages(CHANNEL)[0]?.id);
    // Even without find, the nonce makes Discord hand back the same message.
    const again = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42');
    expect(again.messageId).toBe(found?.messageId);
    expect(t.double.messages(CHANNEL)).toHaveLength(1);
  });

  it('treats a 500 after a post as ambiguous, and finds thread notes in their thread', async () => {
    const t = await start();
    const card = await t.platform.postCard(CHANNEL, sampleCard(), 'card:42');
    t.double.fail({ match: /^POST \/channels\/\d+\/messages$/, kind: '500' });
    await expect(t.platform.postNotice(CHANNEL, sampleNotice(), 'note:9', card)).rejects.toBeInstanceOf(AmbiguousDeliveryError);
    const found = await t.platform.find(CHANNEL, 'note:9', card);
    expect(found).toMatchObject({ channel: CHANNEL, threadId: card.messageId, messageId: t.double.messages(card.messageId)[0]?.id ?? 'none' });
    expect(await t.platform.find(CHANNEL, 'note:10', card)).toBeNull();
  });
});
