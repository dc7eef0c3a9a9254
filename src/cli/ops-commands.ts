import type { Command } from 'commander';
import { parseEnv } from '../config/env.js';
import type { SourceHealth } from '../sources/port.js';
import { cliContext, openStore, reportError } from './context.js';
import { formatSourcesStatus, parseSourcesConfig } from '../../adapters/sources/index.js';
import { CrisisStore } from '../../adapters/db/crisis-store.js';
import { registerCommands } from '../../adapters/chat/discord/commands.js';
import { parseDiscordEnv } from '../../adapters/chat/discord/discord-env.js';

/** Commands about a running Vigie and its records: sources status, crisis report, Discord commands. */
export function registerOpsCommands(program: Command): void {
  program
    .command('sources')
    .description('mention sources')
    .command('status')
    .description('health of each source, read from the running Vigie (GET /healthz)')
    .option('--url <url>', 'base URL of the running Vigie (default http://HOST:PORT)')
    .action(async (opts: { url?: string }) => {
      try {
        const ctx = cliContext();
        const configured = parseSourcesConfig(ctx.loaded.config.sources);
        const base = opts.url ?? `http://${ctx.env.HOST}:${ctx.env.PORT}`;
        let health: SourceHealth[] | null = null;
        try {
          const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(3_000) });
          const body = (await res.json()) as { sources?: Array<SourceHealth & { lastEventAt: string | null }> };
          health = (body.sources ?? []).map((s) => ({ ...s, lastEventAt: s.lastEventAt ? new Date(s.lastEventAt) : null }));
        } catch {
          health = null;
        }
        if (!health) {
          process.stdout.write(`Vigie is not answering at ${base}; configured sources: ${configured.map((c) => `${c.id} (${c.kind}${c.enabled ? '' : ', disabled'})`).join(', ') || 'none'}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(`${formatSourcesStatus(health)}\n`);
      } catch (err) {
        reportError(err);
      }
    });

  program
    .command('crisis')
    .description('crisis records')
    .command('report')
    .description('the report of a crisis as Markdown')
    .argument('<id>', 'crisis id')
    .action(async (id: string) => {
      try {
        const ctx = cliContext();
        const { database, store } = await openStore(parseEnv());
        const { createCrisisMarkdown } = await import('../app/crisis-report.js');
        const md = await createCrisisMarkdown(ctx, store, new CrisisStore(database), Number.parseInt(id.replace(/^#/, ''), 10));
        await database.close();
        if (md === null) {
          process.stderr.write(`vigie: no crisis #${id}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(md);
      } catch (err) {
        reportError(err);
      }
    });

  program
    .command('discord')
    .description('Discord tools')
    .command('register')
    .description('install the /vigie and /crisis slash commands (in one guild: immediate; globally: may take up to an hour)')
    .option('--guild <id>', 'guild id (default: DISCORD_GUILD_ID)')
    .option('--global', 'register for every guild the bot is in')
    .action(async (opts: { guild?: string; global?: boolean }) => {
      try {
        const env = parseDiscordEnv(process.env);
        const result = await registerCommands({ env, ...(opts.guild ? { guildId: opts.guild } : {}), ...(opts.global ? { global: true } : {}) });
        process.stdout.write(`registered ${result.names.map((n) => `/${n}`).join(', ')} (${result.scope})\n`);
      } catch (err) {
        reportError(err);
      }
    });
}
