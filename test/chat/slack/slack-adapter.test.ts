import { afterEach, describe, expect, it } from 'vitest';
import { ActionId, BlockId } from '../../../adapters/chat/slack/action-ids.js';
import { AmbiguousDeliveryError, PlatformRateLimitError } from '../../../src/chat/port.js';
import { DEFAULT_USER, messageAction, sendSignedRequest, slashCommand, slackWouldPing, viewAction, viewSubmission } from '../../doubles/slack/index.js';
import { HOSTILE_TEXT, assignedCard, sampleCard, sampleNotice } from '../fixtures.js';
import { CHANNEL, SIGNING_SECRET, type SlackHarness, startSlackHarness } from './harness.js';

const OTHER_USER = { id: 'U0KARIM', username: 'karim.benali' };

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let h: SlackHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe.each(['socket', 'http'] as const)('Slack adapter (%s mode)', (mode) => {
  it('calls auth.test once at start, never per request', async () => {
    h = await startSlackHarness(mode);
    const ref = await h.platform.postCard(CHANNEL, assignedCard(), 'ticket-42');
    for (let i = 0; i < 3; i += 1) await h.click(ref, 'resolve');
    await h.sendCommand('vigie', 'help');
    await h.inbound.waitFor('act', 3);
    await h.inbound.waitFor('command');
    expect(h.double.callsTo('auth.test')).toHaveLength(1);
  });

  it('resolves user groups for permissions with one cached usergroups.list', async () => {
    h = await startSlackHarness(mode, { userGroups: [{ id: 'S0LEADS', handle: 'leads', users: [DEFAULT_USER.id] }] });
    const ref = await h.platform.postCard(CHANNEL, sampleCard(), 'ticket-42');
    await h.click(ref, 'assign', 'field');
    await h.click(ref, 'ignore', 'duplicate');
    const calls = await h.inbound.waitFor('act', 2);
    expect(calls.map((c) => c.request.actor.groups)).toEqual([['S0LEADS'], ['S0LEADS']]);
    expect(calls[0]?.request.actor).toMatchObject({ platform: 'slack', id: DEFAULT_USER.id, name: DEFAULT_USER.username });
    expect(h.double.callsTo('usergroups.list')).toHaveLength(1);
  });

  it('passes the snooze chosen with Ignore', async () => {
    h = await startSlackHarness(mode);
    const ref = await h.platform.postCard(CHANNEL, sampleCard(), 'ticket-42');
    const message = h.double.message(CHANNEL, ref.messageId);
    if (!message) throw new Error('card not stored');
    await h.interact(
      messageAction(h.double, message, ActionId.ignore, {
        pick: (o) => {
          const v = JSON.parse(o.value) as { r: string; s?: number };
          return v.r === 'handled' && v.s === 240;
        },
      }),
    );
    const [call] = await h.inbound.waitFor('act');
    expect(call?.request.action).toEqual({ kind: 'ignore', reason: 'handled', snoozeMinutes: 240 });
  });

  it('answers a forbidden action privately, without pinging the clicker', async () => {
    h = await startSlackHarness(mode);
    h.inbound.onAct = () => ({ status: 'forbidden', message: 'Only the crisis cell may ignore a critical card.' });
    const ref = await h.platform.postCard(CHANNEL, sampleCard(), 'ticket-42');
    await h.click(ref, 'ignore', 'troll');
    const answer = await until(() => h?.double.responses[0], 'the private answer');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer.body.text)).toContain('Only the crisis cell');
    expect(slackWouldPing(answer.raw)).toBe(false);
    expect(answer.raw).not.toContain(DEFAULT_USER.id);
    expect(h.double.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('answers a tampered button value privately as invalid and never calls the core', async () => {
    h = await startSlackHarness(mode);
    const ref = await h.platform.postCard(CHANNEL, assignedCard(), 'ticket-42');
    const message = h.double.message(CHANNEL, ref.messageId);
    if (!message) throw new Error('card not stored');
    const result = await h.interact(messageAction(h.double, message, ActionId.resolve, { value: '{"t":"42; drop table","v":-1}' }));
    expect(result.status).toBe(200);
    const answer = await until(() => h?.double.responses[0], 'the invalid answer');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(String(answer.body.text)).toContain('no longer valid');
    expect(h.inbound.calls).toEqual([]);
  });

  it('lets two simultaneous clicks reach the core; only the loser hears who decided', async () => {
    h = await startSlackHarness(mode);
    let first = true;
    h.inbound.onAct = async () => {
      if (first) {
        first = false;
        return { status: 'ok', message: 'assigned' };
      }
      return { status: 'conflict', message: 'Already assigned by camille.martin at 09:05', decidedBy: 'camille.martin', decidedAt: new Date() };
    };
    const ref = await h.platform.postCard(CHANNEL, sampleCard(), 'ticket-42');
    const message = h.double.message(CHANNEL, ref.messageId);
    if (!message) throw new Error('card not stored');
    const byCamille = messageAction(h.double, message, ActionId.assign, { pick: (o) => o.value.includes('"passengers"') });
    const byKarim = messageAction(h.double, message, ActionId.assign, { user: OTHER_USER, pick: (o) => o.value.includes('"field"') });
    await Promise.all([h.interact(byCamille), h.interact(byKarim)]);
    const calls = await h.inbound.waitFor('act', 2);
    expect(new Set(calls.map((c) => c.request.actor.id))).toEqual(new Set([DEFAULT_USER.id, OTHER_USER.id]));
    const answer = await until(() => h?.double.responses[0], 'the conflict answer');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.double.responses).toHaveLength(1);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(String(answer.body.text)).toContain('Already assigned by camille.martin');
    expect(slackWouldPing(answer.raw)).toBe(false);
  });

  it('runs the reply modal: templates, pre-filled variables, live preview, field errors, approval', async () => {
    h = await startSlackHarness(mode);
    const double = h.double;
    const ref = await h.platform.postCard(CHANNEL, sampleCard(), 'ticket-42');
    const message = double.message(CHANNEL, ref.messageId);
    if (!message) throw new Error('card not stored');
    await h.interact(messageAction(double, message, ActionId.reply));

    // Step 1: the modal opens at once with the trigger id, then lists the core's templates.
    const opened = await until(() => double.callsTo('views.open')[0], 'views.open');
    expect(String(opened.body.trigger_id)).toMatch(/^trigger-/);
    await until(() => double.callsTo('views.update')[0], 'the templates step');
    const stored = [...double.views.values()][0];
    if (!stored) throw new Error('no view');
    expect(flatten(stored.view)).toContain('Contact the airline');

    // Step 2: picking the template shows its variables pre-filled and the final text.
    await h.interact(
      viewAction(double, stored, { action_id: ActionId.replyTemplate, block_id: BlockId.replyTemplate, type: 'static_select', selected_option: { value: 'airline-contact' } }, {}),
    );
    await until(() => (double.callsTo('views.update').length >= 2 ? true : undefined), 'the fill step');
    expect(JSON.stringify(stored.view)).toContain('"initial_value":"Air France"');
    expect(flatten(stored.view)).toContain('[airline-contact] Air France / 3654');
    expect(stored.view.submit).toBeDefined();

    // Typing dispatches a preview update with the new values.
    const typed = (airline: string, phone: string) => ({
      [`${BlockId.replyVariablePrefix}0`]: { [ActionId.replyVariable]: { type: 'plain_text_input', value: airline } },
      [`${BlockId.replyVariablePrefix}1`]: { [ActionId.replyVariable]: { type: 'plain_text_input', value: phone } },
    });
    await h.interact(viewAction(double, stored, { action_id: ActionId.replyVariable, block_id: `${BlockId.replyVariablePrefix}0`, type: 'plain_text_input', value: 'Transavia' }, typed('Transavia', '3654')));
    await until(() => (flatten(stored.view).includes('Transavia / 3654') ? true : undefined), 'the live preview');

    // An empty variable is refused on the field, through the acknowledgement.
    const refused = await submit(h, stored, typed('Transavia', ''));
    expect(refused).toMatchObject({ response_action: 'errors', errors: { [`${BlockId.replyVariablePrefix}1`]: expect.stringContaining('phone') } });
    expect(h.inbound.of('act')).toHaveLength(0);

    const accepted = await submit(h, stored, typed('Transavia', '3654'));
    expect(accepted).toBeUndefined();
    const [call] = await h.inbound.waitFor('act');
    expect(call?.request).toMatchObject({
      ticketId: 42,
      version: 3,
      action: { kind: 'reply', templateId: 'airline-contact', variables: { airline: 'Transavia', phone: '3654' }, finalText: '[airline-contact] Transavia / 3654' },
    });
  });

  it('records human replies in a card thread as notes, and nothing else', async () => {
    h = await startSlackHarness(mode);
    const ref = await h.platform.postCard(CHANNEL, sampleCard(), 'ticket-42');
    const base = { type: 'message', channel: CHANNEL, channel_type: 'channel' };
    await h.event({ ...base, user: 'U0OTHERBOT', bot_id: 'B0OTHER', text: 'bot chatter', ts: '1800000001.000001', thread_ts: ref.messageId, parent_user_id: h.double.botUserId });
    await h.event({ ...base, subtype: 'message_changed', user: DEFAULT_USER.id, text: 'edit', ts: '1800000001.000002', thread_ts: ref.messageId });
    await h.event({ ...base, user: DEFAULT_USER.id, text: 'top-level chat', ts: '1800000001.000003' });
    await h.event({ ...base, user: DEFAULT_USER.id, text: 'someone else thread', ts: '1800000001.000004', thread_ts: '1700000000.000001', parent_user_id: 'U0SOMEONE' });
    await h.event({ ...base, user: DEFAULT_USER.id, text: 'I call the airline <!channel>', ts: '1800000001.000005', thread_ts: ref.messageId, parent_user_id: h.double.botUserId });
    const [note] = await h.inbound.waitFor('threadReply');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.inbound.of('threadReply')).toHaveLength(1);
    expect(note).toMatchObject({ ref: { platform: 'slack', channel: CHANNEL, messageId: ref.messageId }, actor: { id: DEFAULT_USER.id }, text: 'I call the airline <!channel>' });
  });

  it('maps reactions on cards to the core and answers a refusal with an ephemeral', async () => {
    h = await startSlackHarness(mode);
    h.inbound.onReaction = () => ({ status: 'forbidden', message: 'Only team leads can resolve by reaction.' });
    const ref = await h.platform.postCard(CHANNEL, sampleCard(), 'ticket-42');
    await h.event({ type: 'reaction_added', user: 'U0OTHER', reaction: 'eyes', item_user: 'U0SOMEONE', item: { type: 'message', channel: CHANNEL, ts: '1700000000.000001' }, event_ts: '1' });
    await h.event({ type: 'reaction_added', user: DEFAULT_USER.id, reaction: 'white_check_mark', item_user: h.double.botUserId, item: { type: 'message', channel: CHANNEL, ts: ref.messageId }, event_ts: '2' });
    const [reaction] = await h.inbound.waitFor('reaction');
    expect(h.inbound.of('reaction')).toHaveLength(1);
    expect(reaction).toMatchObject({ emoji: 'white_check_mark', ref: { messageId: ref.messageId }, actor: { id: DEFAULT_USER.id } });
    const ephemeral = await until(() => h?.double.ephemerals[0], 'the ephemeral');
    expect(ephemeral).toMatchObject({ channel: CHANNEL, user: DEFAULT_USER.id, text: 'Only team leads can resolve by reaction.' });
  });

  it('routes notice buttons to the core with the message ref', async () => {
    h = await startSlackHarness(mode);
    h.inbound.onButton = () => ({ visibility: 'private', notice: { title: 'Step ticked', sections: [] } });
    const ref = await h.platform.postNotice(CHANNEL, sampleNotice({ buttons: [{ id: 'crisis:7:step:call-duty-officer', label: 'Call the duty executive' }] }), 'checklist-7');
    const message = h.double.message(CHANNEL, ref.messageId);
    if (!message) throw new Error('notice not stored');
    await h.interact(messageAction(h.double, message, `${ActionId.noticePrefix}0`));
    const [call] = await h.inbound.waitFor('button');
    expect(call).toMatchObject({ buttonId: 'crisis:7:step:call-duty-officer', ref: { channel: CHANNEL, messageId: ref.messageId } });
    const answer = await until(() => h?.double.responses[0], 'the button answer');
    expect(flatten(answer.body)).toContain('Step ticked');
  });
});

describe('Slack adapter outbound', () => {
  it('escapes every ping and link trick and never unfurls', async () => {
    h = await startSlackHarness('socket');
    await h.platform.postCard(CHANNEL, sampleCard({ text: HOSTILE_TEXT, author: { handle: '<!channel>', name: '<@U0123ABCD>', followers: 5, source: 'twitter' } }), 'ticket-42');
    const [post] = h.double.callsTo('chat.postMessage');
    const raw = JSON.stringify(post?.body);
    expect(slackWouldPing(raw)).toBe(false);
    expect(raw).not.toContain('<https://evil');
    expect(raw).toContain('&lt;!channel&gt;');
    expect(raw).toContain('&lt;https://evil.example/phish|innocent.example&gt;');
    expect(post?.body).toMatchObject({ unfurl_links: 'false', unfurl_media: 'false', link_names: 'false', metadata: { event_type: 'vigie_card', event_payload: { key: 'ticket-42' } } });
  });

  it('turns a 429 into PlatformRateLimitError with Retry-After, without retrying by itself', async () => {
    h = await startSlackHarness('socket', { clock: () => Date.UTC(2026, 10, 28, 8) });
    await h.platform.postCard(CHANNEL, sampleCard(), 'ticket-42');
    // Frozen clock: the second post in the same second is refused by the double's 1/s rule.
    const second = h.platform.postCard(CHANNEL, sampleCard({ ticketId: 43 }), 'ticket-43');
    await expect(second).rejects.toBeInstanceOf(PlatformRateLimitError);
    await expect(second).rejects.toMatchObject({ retryAfterMs: 1_000 });
    h.double.inject({ method: 'chat.update', kind: 'rate-limit', retryAfterSeconds: 7 });
    const ref = { platform: 'slack' as const, channel: CHANNEL, messageId: h.double.messages(CHANNEL)[0]?.ts ?? '' };
    await expect(h.platform.updateCard(ref, assignedCard())).rejects.toMatchObject({ name: 'PlatformRateLimitError', retryAfterMs: 7_000 });
    expect(h.double.callsTo('chat.postMessage')).toHaveLength(2);
    expect(h.double.callsTo('chat.update')).toHaveLength(1);
  });

  it('reports a lost answer as ambiguous, and find() then finds the post that landed', async () => {
    h = await startSlackHarness('socket');
    h.double.inject({ method: 'chat.postMessage', kind: 'lose-answer' });
    await expect(h.platform.postCard(CHANNEL, sampleCard(), 'ticket-42')).rejects.toBeInstanceOf(AmbiguousDeliveryError);
    expect(h.double.callsTo('chat.postMessage')).toHaveLength(1);
    const found = await h.platform.find(CHANNEL, 'ticket-42');
    const [landed] = h.double.messages(CHANNEL);
    expect(found).toEqual({ platform: 'slack', channel: CHANNEL, messageId: landed?.ts, threadId: landed?.ts });
    expect(h.double.callsTo('conversations.history')[0]?.body.include_all_metadata).toBe('true');
  });

  it('finds a thread notice whose answer was lost, and treats a 5xx as ambiguous', async () => {
    h = await startSlackHarness('socket');
    const card = await h.platform.postCard(CHANNEL, sampleCard(), 'ticket-42');
    h.double.inject({ method: 'chat.postMessage', kind: 'lose-answer' });
    await expect(h.platform.postNotice(CHANNEL, sampleNotice(), 'note-42-1', card)).rejects.toBeInstanceOf(AmbiguousDeliveryError);
    const found = await h.platform.find(CHANNEL, 'note-42-1');
    expect(found?.threadId).toBe(card.messageId);
    expect(found?.messageId).not.toBe(card.messageId);
    h.double.inject({ method: 'chat.postMessage', kind: 'status', status: 502 });
    await expect(h.platform.postCard(CHANNEL, sampleCard({ ticketId: 43 }), 'ticket-43')).rejects.toBeInstanceOf(AmbiguousDeliveryError);
    expect(await h.platform.find(CHANNEL, 'ticket-43')).toBeNull();
  });

  it('bounds the history scan of find()', async () => {
    h = await startSlackHarness('socket');
    for (let i = 0; i < 5; i += 1) await h.platform.postNotice(CHANNEL, sampleNotice(), `n-${i}`);
    const { createSlackPlatform } = await import('../../../adapters/chat/slack/slack-platform.js');
    const { silentLogger } = await import('../../../src/ops/logger.js');
    const narrow = createSlackPlatform({
      env: { SLACK_BOT_TOKEN: 'xoxb-x', SLACK_MODE: 'http', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: h.double.apiUrl },
      logger: silentLogger(),
      findPages: 1,
    });
    // The oldest of 5 is still found with 100-message pages; a missing key costs one page only.
    expect(await narrow.find(CHANNEL, 'n-0')).not.toBeNull();
    const before = h.double.callsTo('conversations.history').length;
    expect(await narrow.find(CHANNEL, 'absent')).toBeNull();
    expect(h.double.callsTo('conversations.history').length - before).toBe(1);
  });
});

describe('Slack adapter HTTP mode security', () => {
  it('refuses a bad signature and a replayed timestamp with 401', async () => {
    h = await startSlackHarness('http');
    const fields = slashCommand(h.double, { command: 'vigie', text: 'help', channel: CHANNEL });
    const url = h.eventsUrl ?? '';
    const bad = await sendSignedRequest(url, { kind: 'command', fields }, { secret: SIGNING_SECRET, signature: `v0=${'0'.repeat(64)}` });
    const replayed = await sendSignedRequest(url, { kind: 'command', fields }, { secret: SIGNING_SECRET, timestampSeconds: Math.floor(Date.now() / 1000) - 600 });
    const wrongSecret = await sendSignedRequest(url, { kind: 'command', fields }, { secret: 'not-the-secret' });
    expect([bad.status, replayed.status, wrongSecret.status]).toEqual([401, 401, 401]);
    const good = await sendSignedRequest(url, { kind: 'command', fields }, { secret: SIGNING_SECRET });
    expect(good.status).toBe(200);
    await h.inbound.waitFor('command');
    expect(h.inbound.of('command')).toHaveLength(1);
  });
});

async function submit(harness: SlackHarness, stored: Parameters<typeof viewSubmission>[1], inputs: Parameters<typeof viewSubmission>[2]) {
  const payload = viewSubmission(harness.double, stored, inputs);
  if (harness.mode === 'socket') {
    const ack = await harness.double.socket.sendViewSubmission(payload);
    return ack.payload && Object.keys(ack.payload).length > 0 ? ack.payload : undefined;
  }
  return (await harness.interact(payload)).payload;
}

function flatten(value: unknown): string {
  return JSON.stringify(value);
}
