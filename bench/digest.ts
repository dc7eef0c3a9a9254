import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../adapters/db/connect.js';
import { digestRows } from '../adapters/db/digest-queries.js';
import { computeDigest } from '../src/digest/index.js';

/**
 * The digest on a large history: 1,000,000 tickets (with their stories and decisions) and the
 * hourly aggregates of 10,000,000 mentions over a year, on Postgres. Timed with the indexes the
 * migrations create, then again with them dropped, in the same run.
 */
export async function runDigestBench(): Promise<void> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_digest_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const db = await openDatabase({ url, schema, max: 2 });
  try {
    await db.migrate();
    const now = new Date('2026-11-28T08:00:00Z');
    const started = Date.now();
    // A year of history: tickets spread over 365 days, ~2,740 a day; all decided and closed but one
    // in 200 (5,000 still open, the open-risk list), which is already a team far behind.
    await db.rows(sql.raw(`
      insert into clusters (id, first_seen, last_seen, count, level, peak_score, category, account, status)
      select 'c' || g, t, t + interval '2 hours', 1 + (g % 17), (array['watch','watch','high','critical'])[1 + g % 4], 20 + g % 80,
             (array['disruption','security','reputation','praise','politics'])[1 + g % 5], '@Acct' || (g % 3), 'closed'
      from generate_series(1, 1000000) g, lateral (select timestamptz '${now.toISOString()}' - (g % 525600) * interval '1 minute' as t) x`));
    await db.rows(sql.raw(`
      insert into tickets (cluster_id, status, level, category, account, team, version, opened_at, first_decision_at, last_decision_at)
      select 'c' || g, case when g % 200 = 4 then 'open' else (array['resolved','ignored','replied','resolved'])[1 + g % 4] end, (array['watch','watch','high','critical'])[1 + g % 4],
             (array['disruption','security','reputation','praise','politics'])[1 + g % 5], '@Acct' || (g % 3), 'passengers', 2, t,
             case when g % 200 = 4 then null else t + (g % 120) * interval '1 minute' end, t + interval '3 hours'
      from generate_series(1, 1000000) g, lateral (select timestamptz '${now.toISOString()}' - (g % 525600) * interval '1 minute' as t) x`));
    await db.rows(sql.raw(`
      insert into decisions (ticket_id, action, actor_id, actor_name, platform, payload, at, prev_hash, hash)
      select g, (array['assign','ignore','reply','resolve'])[1 + g % 4], 'U1', 'Camille', 'slack',
             jsonb_build_object('reason', (array['troll','off-topic','duplicate','handled'])[1 + g % 4]),
             timestamptz '${now.toISOString()}' - (g % 525600) * interval '1 minute', '', ''
      from generate_series(1, 1000000) g`));
    // 10,000,000 mentions as their hourly aggregate: 8,760 hours × 3 accounts × 4 sources.
    await db.rows(sql.raw(`
      insert into hourly_volume (hour, account, source, count, risky)
      select date_trunc('hour', timestamptz '${now.toISOString()}') - h * interval '1 hour', '@Acct' || a, s, 95, 5
      from generate_series(1, 8760) h, generate_series(0, 2) a, unnest(array['twitter','bluesky','mastodon','rss']) s`));
    await db.rows(sql.raw('analyze'));
    const built = (Date.now() - started) / 1000;

    const time = async () => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const rows = await digestRows(db, new Date(now.getTime() - 24 * 3_600_000), now);
        computeDigest({ ...rows, templates: [] }, { now, timeZone: 'Europe/Paris', targets: { high: 60, critical: 15 }, locale: 'fr' });
        runs.push(performance.now() - t0);
      }
      runs.sort((a, b) => a - b);
      return { median: runs[2]!, best: runs[0]! };
    };
    const indexed = await time();
    for (const index of ['tickets_opened_at', 'tickets_status_level', 'decisions_at', 'clusters_last_seen', 'hourly_volume_hour_account_source_pk']) {
      await db.rows(sql.raw(index.endsWith('_pk') ? `alter table hourly_volume drop constraint if exists ${index}` : `drop index if exists ${index}`));
    }
    await db.rows(sql.raw('analyze'));
    const bare = await time();
    process.stdout.write(
      [
        `digest bench: 1,000,000 tickets, 1,000,000 decisions, 10,000,000 mentions as hourly aggregates (built in ${built.toFixed(1)} s)`,
        '| query | median ms | best ms |',
        '|---|---|---|',
        `| digest with the migrations' indexes | ${indexed.median.toFixed(1)} | ${indexed.best.toFixed(1)} |`,
        `| same, indexes dropped | ${bare.median.toFixed(1)} | ${bare.best.toFixed(1)} |`,
        `aim: under 200 ms with the indexes (${(bare.median / indexed.median).toFixed(1)}× faster than without)`,
        '',
      ].join('\n'),
    );
  } finally {
    await db.rows(sql.raw(`drop schema if exists "${schema}" cascade`));
    await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runDigestBench();
