import { PassThrough } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { bootstrap } from '../../src/app/bootstrap.js';
import type { App } from '../../src/app/create-app.js';
import { parseEnv } from '../../src/config/env.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/ops/logger.js';
import { DOUBLE_CHANNELS, type DiscordDouble, DOUBLE_USERS, startDiscordDouble } from '../doubles/discord/index.js';
import { type FeedDouble, rssDocument, startFeedDouble } from '../doubles/sources/index.js';

async function until<T>(probe: () => Promise<T | undefined | null | false>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let app: App | null = null;
let discord: DiscordDouble | null = null;
let feeds: FeedDouble | null = null;
const saved = { ...process.env };
afterEach(async () => {
  await app?.stop();
  await discord?.close();
  await feeds?.close();
  process.env = { ...saved };
});

it('the real wiring: an RSS source feeds the pipeline, a card goes to the console and Discord, a Discord click decides for both', async () => {
  feeds = await startFeedDouble();
  feeds.serve(
    '/press.rss',
    rssDocument({
      title: 'Le Lutécien',
      link: 'https://press.example',
      items: [{ title: 'Alerte à la bombe à Roissy : le terminal 2E évacué', link: 'https://press.example/a1', guid: 'a1', description: 'Un bagage abandonné a provoqué une alerte à la bombe et l’évacuation du terminal 2E de Roissy.', pubDate: new Date() }],
    }),
  );
  discord = await startDiscordDouble();
  Object.assign(process.env, {
    VIGIE_CHAT: 'console,discord',
    DISCORD_TOKEN: 'test-token',
    DISCORD_APPLICATION_ID: discord.appId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_GUILD_ID: discord.guildId,
  });
  const yaml = `
organisation: { name: Test, locale: en }
channels:
  watch: { console: veille, discord: "${DOUBLE_CHANNELS.watch}" }
  crisis: { console: crise, discord: "${DOUBLE_CHANNELS.crisis}" }
teams:
  - { id: passengers, label: { fr: Voyageurs, en: Passengers } }
  - { id: crisis, label: { fr: Crise, en: Crisis } }
accounts:
  - { handle: "@LuteceAeroport", label: Lutèce-Roissy, site: roissy, team: passengers, aliases: [roissy] }
sources:
  - { id: press, kind: rss, feeds: [{ url: "${feeds.origin}/press.rss", intervalSeconds: 60 }] }
`;
  const loaded = { ...parseConfig(yaml, '/tmp/vigie-test.yaml'), isExample: false };
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString()));
  app = await bootstrap({ env: parseEnv({ PORT: '0' }), loaded, logger: silentLogger() }, { dataDir: 'memory://', http: false, console: { output, color: false } });
  await app.start();

  const card = await until(async () => discord!.messages(DOUBLE_CHANNELS.watch).find((m) => JSON.stringify(m).includes('Roissy')), 'the Discord card');
  expect(printed).toContain('Roissy');
  expect((await app.store.counts()).mentions).toBe(1);

  await discord.gateway.selectOption(card.id, (id) => id.startsWith('vg:as:'), 'crisis', { user: DOUBLE_USERS.camille });
  const ticket = await until(async () => {
    const t = await app!.store.ticket(1);
    return t?.status === 'assigned' ? t : null;
  }, 'the decision');
  expect(ticket.team).toBe('crisis');
  const [decision] = await app.store.decisionsFor(1);
  expect(decision).toMatchObject({ action: 'assign', platform: 'discord', actorId: DOUBLE_USERS.camille.id });
  // The console card (the other platform) is updated too.
  await until(async () => printed.includes('Camille'), 'the console card update');
}, 60_000);
