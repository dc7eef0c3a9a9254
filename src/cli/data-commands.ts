import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../config/load.js';
import { parseEnv } from '../config/env.js';
import { cliContext, openStore, reportError } from './context.js';
import { exportRecords } from '../audit/export.js';

/** Commands that read or check stored data: migrate, config check, tickets, audit verify, export. */
export function registerDataCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply the database migrations (also done at every start)')
    .action(async () => {
      try {
        const env = parseEnv();
        const { database } = await openStore(env);
        process.stdout.write(`migrations applied (${database.kind})\n`);
        await database.close();
      } catch (err) {
        reportError(err);
      }
    });

  program
    .command('config')
    .description('configuration tools')
    .command('check')
    .description('validate the configuration file and the environment without starting')
    .option('-c, --config <file>', 'configuration file (default: $VIGIE_CONFIG, ./vigie.config.yaml, or the bundled example)')
    .action((opts: { config?: string }) => {
      try {
        const env = parseEnv();
        const loaded = loadConfig(opts.config ?? env.VIGIE_CONFIG);
        const c = loaded.config;
        process.stdout.write(
          `${loaded.file}: valid${loaded.isExample ? ' (bundled example)' : ''}\n` +
            `  ${c.teams.length} teams, ${c.accounts.length} accounts, card threshold ${c.thresholds.card}, digest ${c.digest.cron} ${c.digest.timeZone}\n` +
            `  database: ${env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : `embedded PGlite in ${env.VIGIE_DATA_DIR}/db`}; queue: ${env.REDIS_URL ? 'BullMQ (REDIS_URL)' : 'in-process'}\n`,
        );
      } catch (err) {
        reportError(err);
      }
    });

  program
    .command('tickets')
    .description('list recent tickets')
    .option('-s, --status <status>', 'open, assigned, replied, ignored or resolved')
    .option('-n, --limit <n>', 'how many', '30')
    .action(async (opts: { status?: string; limit: string }) => {
      try {
        const env = parseEnv();
        const { database, store } = await openStore(env);
        const rows = await store.listTickets({ ...(opts.status ? { status: opts.status } : {}), limit: Number(opts.limit) || 30 });
        for (const t of rows) {
          const counts = await database.rows<{ n: number }>(sql`select count::int as n from clusters where id = ${t.clusterId}`);
          process.stdout.write(
            `#${t.id}\t${t.level}\t${t.status}${t.team ? ` → ${t.team}` : ''}\t${t.category ?? '-'}\t${t.account ?? '-'}\t${counts[0]?.n ?? 0} mention(s)\topened ${t.openedAt.toISOString()}\n`,
          );
        }
        if (rows.length === 0) process.stdout.write('no tickets\n');
        await database.close();
      } catch (err) {
        reportError(err);
      }
    });

  program
    .command('audit')
    .description('audit trail tools')
    .command('verify')
    .description('check that no decision was edited, deleted or reordered')
    .action(async () => {
      try {
        const env = parseEnv();
        const { database, store } = await openStore(env);
        const result = await store.verifyAudit();
        await database.close();
        if (result.problems.length === 0) {
          process.stdout.write(`audit chain intact: ${result.checked} decision(s) verified\n`);
        } else {
          for (const p of result.problems) process.stdout.write(`decision ${p.decisionId ?? '?'}: ${p.problem}\n`);
          process.stdout.write(`audit chain BROKEN: ${result.problems.length} problem(s) in ${result.checked} decision(s)\n`);
          process.exitCode = 2;
        }
      } catch (err) {
        reportError(err);
      }
    });

  program
    .command('export')
    .description('export tickets and decisions for a public-records request (the audit chain is verified first)')
    .requiredOption('--from <date>', 'start (ISO date or date-time, inclusive)')
    .requiredOption('--to <date>', 'end (ISO date or date-time, exclusive)')
    .option('--format <format>', 'csv or jsonl', 'jsonl')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (opts: { from: string; to: string; format: string; output?: string }) => {
      try {
        const from = new Date(opts.from);
        const to = new Date(opts.to);
        if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new Error('--from and --to must be ISO dates');
        if (opts.format !== 'csv' && opts.format !== 'jsonl') throw new Error('--format must be csv or jsonl');
        const ctx = cliContext();
        const { database, store } = await openStore(ctx.env);
        const out = opts.output ? createWriteStream(opts.output) : process.stdout;
        const summary = await exportRecords(store, { from, to, format: opts.format }, (chunk) => out.write(chunk));
        if (opts.output) await new Promise<void>((r) => (out as ReturnType<typeof createWriteStream>).end(r));
        await database.close();
        process.stderr.write(`${summary.tickets} ticket(s), ${summary.decisions} decision(s); audit chain ${summary.auditOk ? 'intact' : 'BROKEN'}\n`);
        if (!summary.auditOk) process.exitCode = 2;
      } catch (err) {
        reportError(err);
      }
    });
}
