import { resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import type { ChatPlatform } from '../chat/port.js';
import type { Clock } from '../core/clock.js';
import { ErrorCode, VigieError } from '../core/errors.js';
import type { Engine } from '../engine/types.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Source } from '../sources/port.js';
import type { CliContext } from '../cli/context.js';
import { createConsolePlatform } from '../../adapters/chat/console/console-platform.js';
import { createSlackPlatform } from '../../adapters/chat/slack/slack-platform.js';
import { parseSlackEnv } from '../../adapters/chat/slack/slack-env.js';
import { openDatabase } from '../../adapters/db/connect.js';
import { createApp } from './create-app.js';
import { createEngineFromConfig } from './engine-factory.js';
import { createWorkflow } from './workflow.js';
import { createQueue } from '../../adapters/queue/index.js';

export interface BootstrapOptions {
  /** The console chat: where cards are printed and, interactively, where actions are typed. */
  console?: { output: Writable; input?: Readable; color: boolean } | undefined;
  /** Overrides the database location (`memory://` for a throwaway demo). */
  dataDir?: string;
  http?: boolean;
  clock?: Clock;
  /** Injected in tests: otherwise chosen from the environment. */
  queue?: JobQueue;
  engine?: Engine;
  platforms?: ChatPlatform[];
  sources?: Source[];
}

/** Which chat platforms to run: VIGIE_CHAT, else those whose credentials are set, else the console. */
export function chosenPlatforms(env: NodeJS.ProcessEnv): Array<'console' | 'slack' | 'discord'> {
  const explicit = env.VIGIE_CHAT?.split(',').map((s) => s.trim()).filter(Boolean);
  if (explicit?.length) {
    for (const p of explicit) {
      if (p !== 'console' && p !== 'slack' && p !== 'discord') throw new VigieError(ErrorCode.ConfigInvalid, `VIGIE_CHAT: unknown platform "${p}" (console, slack, discord)`);
    }
    return explicit as Array<'console' | 'slack' | 'discord'>;
  }
  const out: Array<'console' | 'slack' | 'discord'> = [];
  if (env.SLACK_BOT_TOKEN) out.push('slack');
  if (env.DISCORD_TOKEN) out.push('discord');
  return out.length > 0 ? out : ['console'];
}

/** Builds the real dependencies from the environment and the configuration, then the app. */
export async function bootstrap(ctx: CliContext, options: BootstrapOptions = {}) {
  const { env, loaded, logger } = ctx;
  const config = loaded.config;
  const dataDir = options.dataDir ?? resolve(env.VIGIE_DATA_DIR, 'db');
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir });
  try {
    const queue =
      options.queue ??
      createQueue(env, {
        onFailed: (job, error) => logger.error({ err: error, job: job.name, jobId: job.id }, 'job failed for good'),
        onError: (error: unknown) => logger.warn({ err: error }, 'queue connection error'),
      });
    const engine = options.engine ?? createEngineFromConfig(loaded);
    const mounts = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
    const platforms: ChatPlatform[] = options.platforms ?? [];
    if (!options.platforms) {
      for (const name of chosenPlatforms(process.env)) {
        if (name === 'console') {
          const out = options.console?.output ?? process.stdout;
          platforms.push(
            createConsolePlatform({
              output: out,
              input: options.console?.input,
              color: options.console?.color ?? false,
              channel: config.channels.watch.console ?? 'veille',
              journalPath: dataDir.startsWith('memory://') ? undefined : resolve(env.VIGIE_DATA_DIR, 'console-journal.ndjson'),
              logger,
            }),
          );
        } else if (name === 'slack') {
          const slack = createSlackPlatform({ env: parseSlackEnv(process.env), logger, locale: config.organisation.locale });
          if (slack.httpHandler) mounts.set('/slack/', slack.httpHandler);
          platforms.push(slack);
        } else {
          const { createDiscordPlatformFromEnv } = await import('./discord-factory.js');
          platforms.push(await createDiscordPlatformFromEnv(ctx, database));
        }
      }
    }
    const { createSourcesFromConfig } = await import('./sources-factory.js');
    const sources = options.sources ?? (await createSourcesFromConfig(ctx, database));
    return createApp({
      env,
      loaded,
      logger,
      database,
      queue,
      engine,
      platforms,
      sources,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.http !== undefined ? { http: options.http } : {}),
      mounts,
      workflow: createWorkflow,
    });
  } catch (err) {
    await database.close();
    throw err;
  }
}
