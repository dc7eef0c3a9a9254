import { describe, expect, it } from 'vitest';
import { renderCard } from '../../../adapters/chat/discord/card-embed.js';
import { commandDefinitions, registerCommands, serialiseCommand } from '../../../adapters/chat/discord/commands.js';
import { parseCustomId } from '../../../adapters/chat/discord/custom-ids.js';
import { discordEnvSchema, parseDiscordEnv } from '../../../adapters/chat/discord/discord-env.js';
import { breakMentions, fitMarkdown, neutralise } from '../../../adapters/chat/discord/escape.js';
import { renderNotice } from '../../../adapters/chat/discord/notice-embed.js';
import { ErrorCode, isVigieError } from '../../../src/core/errors.js';
import { startDiscordDouble } from '../../doubles/discord/index.js';
import { componentViolations, discordWouldPing, embedViolations } from '../../doubles/discord/limits.js';
import { HOSTILE_TEXT, assignedCard, sampleCard } from '../fixtures.js';

describe('discord text neutralisation', () => {
  it('breaks every mention form so none of them is a mention any more', () => {
    const text = neutralise('@everyone @here <@123456789012345678> <@!123456789012345678> <@&123456789012345678> <#123456789012345678> </vigie:1>');
    expect(text).not.toMatch(/@(everyone|here)|<@[!&]?\d+>|<#\d+>|<\/\w/);
    expect(text).toContain('everyone');
  });

  it('stops masked links, markdown, headings, lists and quotes from rendering', () => {
    const text = neutralise('[innocent](https://evil.example)\n# Title\n- item\n> quote\n-# small\n**bold** __u__ ||spoiler|| `code`');
    expect(text).not.toMatch(/\[[^\]]*\]\(/);
    expect(text).toContain('\\# Title');
    expect(text).toContain('\\- item');
    expect(text).toContain('\\> quote');
    expect(text).toContain('\\-# small');
    expect(text).toContain('\\*\\*bold\\*\\*');
    expect(text).toContain('\\|\\|spoiler\\|\\|');
  });

  it('never cuts a text after a backslash or inside a surrogate pair', () => {
    expect(fitMarkdown('ab*cd', 4)).toBe('ab…');
    expect(fitMarkdown('a😀b', 3)).toBe('a…');
  });

  it('breaks mentions in labels without escaping markdown there', () => {
    expect(breakMentions('*Team* @here')).toBe('*Team* @\u200bhere');
  });

  it('the double says a raw payload with a live mention or without allowed_mentions would ping', () => {
    expect(discordWouldPing(JSON.stringify({ content: 'hi' }))).toBe(true);
    expect(discordWouldPing(JSON.stringify({ content: '@everyone', allowed_mentions: { parse: [] } }))).toBe(true);
    expect(discordWouldPing(JSON.stringify({ content: 'hi', allowed_mentions: { parse: ['users'] } }))).toBe(true);
    expect(discordWouldPing(JSON.stringify({ content: '@\u200beveryone', allowed_mentions: { parse: [] } }))).toBe(false);
  });
});

describe('discord rendering', () => {
  it('renders the hostile fixture with no live mention and within every limit', () => {
    const card = sampleCard({ text: HOSTILE_TEXT, reasons: [HOSTILE_TEXT], notices: [HOSTILE_TEXT], teams: [{ id: 'passengers', label: '@everyone team' }] });
    const rendered = renderCard(card, 'card:42:discord:1');
    expect(discordWouldPing(JSON.stringify({ ...rendered, allowed_mentions: { parse: [] } }))).toBe(false);
    expect(embedViolations(rendered.embeds as never)).toEqual([]);
    expect(componentViolations(rendered.components as never)).toEqual([]);
  });

  it('shows status, team, last decision with a Discord timestamp, and a sparkline', () => {
    const rendered = renderCard(assignedCard({ locale: 'fr' }));
    const fields = Object.fromEntries((rendered.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Statut']).toBe('assigné · Équipe : Passengers');
    expect(fields['Dernière décision']).toBe(`Camille Martin (Passengers) · <t:${Date.UTC(2026, 10, 28, 8, 5) / 1000}:f>`);
    expect(fields['Mentions similaires']).toBe('+14 similaires  ▁▂▃▅█');
    expect(rendered.embeds[0]?.color).toBe(0xe74c3c);
  });

  it('drops notice buttons whose id does not fit in a custom id, and lays the rest out 5 a row', () => {
    const buttons = [{ id: 'x'.repeat(120), label: 'too long' }, ...Array.from({ length: 12 }, (_, i) => ({ id: `b${i}`, label: `B${i}` })), { id: 'b1', label: 'duplicate' }];
    const rendered = renderNotice({ title: 'Checklist', sections: [], buttons });
    expect(rendered.components.map((r) => r.components.length)).toEqual([5, 5, 2]);
    expect(componentViolations(rendered.components as never)).toEqual([]);
  });

  it('parses back only the custom ids it renders', () => {
    expect(parseCustomId('vg:as:42:3:0')).toEqual({ kind: 'assign', ticketId: 42, version: 3, page: 0 });
    expect(parseCustomId('vg:ra:42:3:abcdef123456')).toEqual({ kind: 'approve', ticketId: 42, version: 3, draft: 'abcdef123456' });
    expect(parseCustomId('vg:nb:crisis:1:step:2')).toEqual({ kind: 'notice', buttonId: 'crisis:1:step:2' });
    for (const bad of ['vg:as:42:3', 'vg:rs:-1:3', 'vg:rs:42:3:extra', 'vg:ra:42:3:UPPER', 'vg:nb:', 'x:rs:1:1', 42, null]) {
      expect(parseCustomId(bad), String(bad)).toBeNull();
    }
  });
});

describe('discord commands', () => {
  it('defines /vigie and /crisis within Discord command limits', () => {
    const defs = commandDefinitions();
    expect(defs.map((d) => d.name)).toEqual(['vigie', 'crisis']);
    for (const def of defs) {
      expect(def.description.length).toBeLessThanOrEqual(100);
      for (const sub of def.options ?? []) {
        expect(sub.name).toMatch(/^[a-z-]{1,32}$/);
        expect(sub.description.length).toBeLessThanOrEqual(100);
      }
    }
    const crisis = defs[1]?.options?.map((o) => o.name);
    expect(crisis).toEqual(['open', 'update', 'relay', 'status', 'close']);
  });

  it('writes options back in the core grammar', () => {
    expect(serialiseCommand('crisis', 'relay', { text: 'https://x.example/a', id: '2' })).toBe('relay #2 https://x.example/a');
    expect(serialiseCommand('crisis', 'open', { title: 'Alerte "bagage" T2', severity: 1 })).toBe('open “Alerte "bagage" T2” severity:1');
    expect(serialiseCommand('vigie', 'author', { handle: 'jdupont' })).toBe('author jdupont');
    expect(serialiseCommand('vigie', 'nope', {})).toBeNull();
  });

  it('registers the commands in a guild, or globally, with one PUT', async () => {
    const double = await startDiscordDouble();
    try {
      const env = discordEnvSchema.parse({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: double.appId, DISCORD_API_URL: double.apiUrl });
      expect(await registerCommands({ env, guildId: double.guildId })).toEqual({ scope: 'guild', names: ['vigie', 'crisis'] });
      expect(await registerCommands({ env, global: true })).toEqual({ scope: 'global', names: ['vigie', 'crisis'] });
      const puts = double.calls.filter((c) => c.method === 'PUT').map((c) => c.path);
      expect(puts).toEqual([`/applications/${double.appId}/guilds/${double.guildId}/commands`, `/applications/${double.appId}/commands`]);
      await expect(registerCommands({ env })).rejects.toThrow(/guild id/);
    } finally {
      await double.close();
    }
  });
});

describe('discord environment', () => {
  it('names each bad variable', () => {
    try {
      parseDiscordEnv({ DISCORD_APPLICATION_ID: 'abc', DISCORD_API_URL: 'ftp://x', DISCORD_GUILD_ID: '12' });
      expect.unreachable();
    } catch (err) {
      expect(isVigieError(err, ErrorCode.ConfigInvalid)).toBe(true);
      const message = (err as Error).message;
      for (const name of ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_API_URL', 'DISCORD_GUILD_ID']) expect(message).toContain(name);
    }
  });

  it('accepts a local double URL and drops a trailing slash', () => {
    const env = parseDiscordEnv({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '900000000000000001', DISCORD_API_URL: 'http://127.0.0.1:4000/api/', SLACK_BOT_TOKEN: 'x' });
    expect(env).toEqual({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '900000000000000001', DISCORD_API_URL: 'http://127.0.0.1:4000/api', DISCORD_MESSAGE_CONTENT: true });
  });
});
