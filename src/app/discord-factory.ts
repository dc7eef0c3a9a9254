import type { ChatPlatform } from '../chat/port.js';
import type { CliContext } from '../cli/context.js';
import type { Database } from '../../adapters/db/connect.js';
import { CrisisStore } from '../../adapters/db/crisis-store.js';
import { createDiscordPlatform } from '../../adapters/chat/discord/discord-platform.js';
import { parseDiscordEnv } from '../../adapters/chat/discord/discord-env.js';

/** Discord from DISCORD_* variables, with slash-command autocompletion fed by the core. */
export async function createDiscordPlatformFromEnv(ctx: CliContext, database: Database): Promise<ChatPlatform> {
  const config = ctx.loaded.config;
  const locale = config.organisation.locale;
  const crises = new CrisisStore(database);
  return createDiscordPlatform({
    env: parseDiscordEnv(process.env),
    logger: ctx.logger,
    locale,
    autocomplete: {
      crisisIds: async () => (await crises.open()).map((c) => ({ id: String(c.id), label: `#${c.id} ${c.title}`.slice(0, 100) })),
      templateIds: async () => [],
      teams: async () => config.teams.map((t) => ({ id: t.id, label: t.label[locale] })),
    },
  });
}
