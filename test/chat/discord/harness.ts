import { COMMANDS } from '../../../adapters/chat/discord/commands.js';
import { Kind } from '../../../adapters/chat/discord/custom-ids.js';
import { type DiscordPlatform, type DiscordPlatformOptions, createDiscordPlatform } from '../../../adapters/chat/discord/discord-platform.js';
import { discordEnvSchema } from '../../../adapters/chat/discord/discord-env.js';
import type { MessageRef } from '../../../src/chat/port.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { type DiscordDouble, DOUBLE_CHANNELS, type DiscordDoubleOptions, discordWouldPing, messageViolations, startDiscordDouble } from '../../doubles/discord/index.js';
import type { CardActionName, ChatHarness } from '../contract.js';
import { RecordingInbound } from '../recording-inbound.js';

export const CHANNEL = DOUBLE_CHANNELS.watch;

export interface DiscordHarness extends ChatHarness {
  platform: DiscordPlatform;
  double: DiscordDouble;
}

/** Every text a reader can see in a message payload: content, embed texts, component labels. */
export function flattenText(value: unknown): string {
  const out: string[] = [];
  const keys = new Set(['content', 'title', 'description', 'name', 'value', 'text', 'label', 'placeholder']);
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [key, inner] of Object.entries(v)) {
        if (keys.has(key) && typeof inner === 'string') out.push(inner);
        else if (key !== 'allowed_mentions') walk(inner);
      }
    }
  };
  walk(value);
  return out.join('\n');
}

const BUTTON_KIND: Record<Exclude<CardActionName, 'assign' | 'ignore'>, string> = { author: Kind.author, resolve: Kind.resolve, reopen: Kind.reopen };

/** Bodies that carry a message (not defers, modals or autocomplete answers). */
export function messagePayloads(double: DiscordDouble): unknown[] {
  return double.calls.flatMap((c) => {
    const body = c.body as { type?: number; data?: unknown } | null;
    if (c.path.startsWith('/interactions/')) return body && (body.type === 4 || body.type === 7) ? [body] : [];
    if (/^\/channels\/\d+\/messages(\/\d+)?$/.test(c.path) && (c.method === 'POST' || c.method === 'PATCH')) return [body];
    if (c.path.startsWith('/webhooks/') && (c.method === 'POST' || c.method === 'PATCH')) return [body];
    return [];
  });
}

export async function startDiscordHarness(
  overrides: Partial<Omit<DiscordPlatformOptions, 'env' | 'logger'>> = {},
  doubleOptions: DiscordDoubleOptions = {},
): Promise<DiscordHarness> {
  const double = await startDiscordDouble(doubleOptions);
  const env = discordEnvSchema.parse({
    DISCORD_TOKEN: 'test-token',
    DISCORD_APPLICATION_ID: double.appId,
    DISCORD_API_URL: double.apiUrl,
    DISCORD_GUILD_ID: double.guildId,
  });
  const platform = createDiscordPlatform({ env, logger: silentLogger(), locale: 'en', ...overrides });
  const inbound = new RecordingInbound();
  try {
    await platform.start(inbound);
  } catch (err) {
    await double.close();
    throw err;
  }

  const h: DiscordHarness = {
    platform,
    double,
    inbound,
    channel: CHANNEL,
    async messages() {
      const top = double.messages(CHANNEL).map((m) => ({ messageId: m.id, threadId: null as string | null, text: flattenText(m) }));
      const threads = [...double.state.channels.values()].filter((c) => c.type === 11 && c.parent_id === CHANNEL);
      const inThreads = threads.flatMap((t) => double.messages(t.id).map((m) => ({ messageId: m.id, threadId: t.id, text: flattenText(m) })));
      return [...top, ...inThreads];
    },
    async answers() {
      return double.answers.map((a) => ({ visibility: a.ephemeral ? ('private' as const) : ('channel' as const), text: flattenText(a.body) }));
    },
    async rawPayloads() {
      return messagePayloads(double).map((body) => JSON.stringify(body));
    },
    wouldPing: discordWouldPing,
    async limitViolations() {
      const seen = messagePayloads(double).flatMap((body) => {
        const message = (body as { type?: number; data?: Record<string, unknown> }).data ?? (body as Record<string, unknown>);
        return messageViolations(message);
      });
      return [...double.state.violations, ...seen];
    },
    async click(ref: MessageRef, action: CardActionName, value?: string) {
      if (action === 'assign' || action === 'ignore') {
        const kind = action === 'assign' ? Kind.assign : Kind.ignore;
        await double.gateway.selectOption(ref.messageId, (id) => id.startsWith(`vg:${kind}:`), value ?? '');
        return;
      }
      await double.gateway.clickButton(ref.messageId, (id) => id.startsWith(`vg:${BUTTON_KIND[action]}:`));
    },
    async sendCommand(command: string, text: string) {
      if (command !== 'vigie' && command !== 'crisis') throw new Error(`harness: no /${command} on Discord`);
      const [sub = 'help', ...rest] = text.trim().split(/\s+/);
      const def = COMMANDS[command].subs.find((s) => s.name === sub);
      if (!def) throw new Error(`harness: no /${command} ${sub}`);
      // The rest of the line fills the first positional option, as a person would type it in Discord.
      const first = def.options.find((o) => o.form !== 'named' && o.form !== 'crisisId');
      const options: Record<string, string | number> = {};
      if (first && rest.length > 0) options[first.name] = first.type === 4 ? Number(rest.join(' ')) : rest.join(' ');
      await double.gateway.slashCommand(command, sub, options, { channel: CHANNEL });
    },
    async close() {
      await platform.stop();
      await double.close();
    },
  };
  return h;
}
