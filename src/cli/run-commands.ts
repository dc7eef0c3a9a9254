import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../config/load.js';
import { bootstrap } from '../app/bootstrap.js';
import { watchRulePack } from '../app/engine-factory.js';
import { replayJsonl } from '../demo/replay.js';
import { runScriptedDemo } from '../demo/scripted.js';
import { cliContext, reportError } from './context.js';
import { progressBar } from './progress.js';

export const DEMO_SCENARIO = resolve(PACKAGE_ROOT, 'demo', 'scenario.jsonl');
export const DEMO_DECISIONS = resolve(PACKAGE_ROOT, 'demo', 'decisions.json');
/** One day of demo in about thirty seconds: the first cards appear within seconds of the start. */
const DEMO_SPEED = 2_000;
const SHUTDOWN_GRACE_MS = 20_000;

/** Runs until SIGINT/SIGTERM, then shuts down cleanly (in-flight jobs finish, connections close). */
function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolveDone) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`\n${signal} again: exiting now\n`);
        process.exit(130);
      }
      stopping = true;
      process.stderr.write(`\n${signal}: shutting down…\n`);
      // A dead Redis can keep a worker's close() waiting forever: bound the graceful part.
      const bounded = Promise.race([stop(), new Promise<void>((r) => setTimeout(r, SHUTDOWN_GRACE_MS).unref())]);
      bounded.then(resolveDone, (err: unknown) => {
        reportError(err);
        resolveDone();
      });
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

export function registerRunCommands(program: Command): void {
  program
    .command('start')
    .description('run Vigie: webhook, sources, chat platforms and workers (with no configuration: the demo in the console)')
    .option('-c, --config <file>', 'configuration file')
    .option('--demo', 'replay the bundled demo scenario even with a configuration')
    .option('--no-demo', 'do not replay the demo scenario')
    .option('--speed <factor>', 'demo replay speed (simulated time factor)', String(DEMO_SPEED))
    .action(async (opts: { config?: string; demo?: boolean; speed: string }) => {
      try {
        const ctx = cliContext(opts.config);
        const interactive = process.stdin.isTTY === true;
        const app = await bootstrap(ctx, {
          console: { output: process.stdout, ...(interactive ? { input: process.stdin } : {}), color: process.stdout.isTTY === true },
        });
        await app.start();
        const watcher = watchRulePack(ctx.loaded.paths.rules, app.engine, ctx.logger);
        const replayDemo = opts.demo ?? ctx.loaded.isExample;
        const abort = new AbortController();
        let replaying: Promise<unknown> = Promise.resolve();
        const done = untilSignal(async () => {
          // Let the batch in flight commit before the database closes: nothing half-done.
          abort.abort();
          await replaying.catch(() => undefined);
          watcher?.close();
          await app.stop();
        });
        if (replayDemo && existsSync(DEMO_SCENARIO)) {
          ctx.logger.info({ speed: Number(opts.speed) }, 'replaying the demo scenario (type "help" for the console commands)');
          replaying = replayJsonl(DEMO_SCENARIO, (b) => app.ingest(b), { speed: Number(opts.speed) || DEMO_SPEED, batchSize: 50, signal: abort.signal }).then(
            (r) => {
              if (!abort.signal.aborted) ctx.logger.info(r, 'demo scenario replayed; Vigie keeps running (Ctrl-C to stop)');
            },
            (err: unknown) => {
              if (!abort.signal.aborted) ctx.logger.error({ err }, 'demo replay failed');
            },
          );
        }
        await done;
      } catch (err) {
        reportError(err);
      }
    });

  program
    .command('demo')
    .description('run the bundled demo scenario in a throwaway database and print cards in the console')
    .option('--no-interactive', 'run through, take the scripted decisions, print a summary and exit (a smoke test)')
    .option('--speed <factor>', 'replay speed (simulated time factor); default: as fast as possible without --interactive')
    .action(async (opts: { interactive: boolean; speed?: string }) => {
      try {
        const ctx = cliContext();
        const ok = await runScriptedDemo(ctx, {
          scenario: DEMO_SCENARIO,
          decisions: DEMO_DECISIONS,
          interactive: opts.interactive,
          speed: opts.speed ? Number(opts.speed) : opts.interactive ? DEMO_SPEED : Number.POSITIVE_INFINITY,
        });
        if (!ok) process.exitCode = 1;
      } catch (err) {
        reportError(err);
      }
    });

  program
    .command('ingest')
    .description('replay a JSONL file of mentions into the database (cards are posted by a running Vigie)')
    .argument('<file>', 'JSONL file: one mention per line, in the mention format')
    .option('--speed <factor>', 'replay in simulated real time at this factor (1 = real time); default: as fast as possible')
    .option('-c, --config <file>', 'configuration file')
    .action(async (file: string, opts: { speed?: string; config?: string }) => {
      try {
        const ctx = cliContext(opts.config);
        // No chat and no sources: a replay only feeds the pipeline.
        const app = await bootstrap(ctx, { http: false, platforms: [], sources: [] });
        await app.start();
        const bar = progressBar(process.stderr);
        let invalid = 0;
        const r = await replayJsonl(file, (b) => app.ingest(b), {
          speed: opts.speed ? Number(opts.speed) : Number.POSITIVE_INFINITY,
          onProgress: (read, total, stored) => bar.update(read, total, `${stored} mentions`),
          onInvalid: (error) => {
            invalid++;
            if (invalid <= 20) process.stderr.write(`\n${error}`);
          },
        });
        bar.done();
        // Another Vigie holds the ingest lease: it scores what this replay handed over.
        const where = app.ingestRole === 'lead' ? 'stored' : 'handed to the running Vigie';
        await app.stop();
        process.stdout.write(`${r.read} read, ${r.accepted} ${where}, ${r.duplicates} duplicates, ${r.invalid} invalid line(s) skipped\n`);
        if (r.invalid > 0) process.exitCode = 3;
      } catch (err) {
        reportError(err);
      }
    });
}
