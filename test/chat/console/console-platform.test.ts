import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsolePlatform } from '../../../adapters/chat/console/console-platform.js';
import { type ChatHarness, chatContract, type PlatformAnswer } from '../contract.js';
import { sampleCard } from '../fixtures.js';
import { RecordingInbound } from '../recording-inbound.js';

async function consoleHarness(): Promise<ChatHarness> {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const platform = createConsolePlatform({ output, color: false, actor: { id: 'camille', name: 'Camille' }, channel: 'veille' });
  const inbound = new RecordingInbound();
  await platform.start(inbound);
  const channel = 'veille';
  const answers = (): PlatformAnswer[] =>
    chunks
      .join('')
      .split('\n')
      .reduce<PlatformAnswer[]>((acc, line) => {
        if (line.startsWith('(only you) ')) acc.push({ visibility: 'private', text: line });
        else if (line.startsWith('#veille ') && !line.startsWith('#veille ■') && !line.startsWith('#veille ▲')) acc.push({ visibility: 'channel', text: line });
        else if (acc.length > 0 && line.startsWith('  ')) acc[acc.length - 1]!.text += `\n${line}`;
        return acc;
      }, []);
  return {
    platform,
    inbound,
    channel,
    messages: async () => platform.shown(channel).map((m) => ({ messageId: m.ref.messageId, threadId: m.ref.threadId ?? null, text: m.text })),
    answers: async () => answers(),
    rawPayloads: async () => [...chunks],
    // A terminal cannot ping anyone; what it must refuse is control sequences that repaint the screen.
    wouldPing: (raw) => /\x07|\x1b\]|\x1b\[[0-9;]*[A-HJKSTfhlnsu]/.test(raw),
    // A terminal has no message limits; the card renderer still cuts long texts for readability.
    limitViolations: async () => [],
    click: async (ref, action, value) => {
      const card = platform.shown(channel).find((m) => m.ref.messageId === ref.messageId)?.card;
      await platform.handleLine(`${action} ${card?.ticketId ?? 0}${value ? ` ${value}` : ''}`);
    },
    sendCommand: async (command, text) => {
      await platform.handleLine(`/${command} ${text}`);
    },
    close: async () => platform.stop(),
  };
}

chatContract('console', consoleHarness);

describe('console adapter', () => {
  it('strips terminal control sequences from outside text', async () => {
    const h = await consoleHarness();
    await h.platform.postCard(h.channel, sampleCard({ text: 'Roissy \x1b[2J\x1b]8;;https://evil\x07click\x1b]8;;\x07 \r\x07' }), 'k');
    const raw = (await h.rawPayloads()).join('');
    expect(raw).toContain('Roissy');
    expect(raw).not.toMatch(/\x1b\[2J|\x1b\]|\x07|\r/);
    await h.close();
  });

  it('passes reply variables typed with quotes', async () => {
    const h = await consoleHarness();
    await h.platform.postCard(h.channel, sampleCard(), 'k');
    await (h.platform as ReturnType<typeof createConsolePlatform>).handleLine('reply 42 airline-contact airline="Air France" phone=3654');
    const [call] = await h.inbound.waitFor('act');
    expect(call?.request.action).toEqual({ kind: 'reply', templateId: 'airline-contact', variables: { airline: 'Air France', phone: '3654' } });
    expect(call?.request.version).toBe(3);
    await h.close();
  });

  it('refuses an unknown ignore reason without calling the core', async () => {
    const h = await consoleHarness();
    await (h.platform as ReturnType<typeof createConsolePlatform>).handleLine('ignore 42 because');
    expect(h.inbound.calls).toHaveLength(0);
    expect((await h.answers())[0]?.text).toContain('off-topic');
    await h.close();
  });
});
