import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../adapters/db/connect.js';
import * as t from '../adapters/db/schema.js';
import { Store } from '../adapters/db/store.js';
import { createEngineFromConfig, engineParts } from '../src/app/engine-factory.js';
import { type LoadedConfig, loadConfig } from '../src/config/load.js';
import type { VigieConfig } from '../src/config/schema.js';
import type { Engine } from '../src/engine/types.js';
import { parseMentionsBody, parseMentionsBodyInTurns } from '../src/http/parse-mentions.js';
import type { Mention, MentionInput } from '../src/mentions/mention.js';
import { silentLogger } from '../src/ops/logger.js';
import { createIngest } from '../src/pipeline/ingest.js';
import { mentionRow } from '../src/pipeline/mention-row.js';
import { keywordEngine } from '../test/support/keyword-engine.js';
import { seededRandom } from '../test/support/seeded-random.js';

/**
 * Ingest throughput: a webhook body of mentions → parse and validate → score, cluster and store in
 * one transaction per batch, against the naive way (one transaction per mention) in the same run.
 * Sizes can be changed with BENCH_PG_MENTIONS, BENCH_PGLITE_MENTIONS, BENCH_PG_NAIVE,
 * BENCH_PGLITE_NAIVE, BENCH_BATCH and BENCH_SENDERS; BENCH_ENGINE=keyword forces the test keyword
 * engine; DATABASE_URL picks the Postgres (a private schema is created and dropped).
 *
 * On Postgres one more run sends the same bodies through the same pipeline scored by the test
 * keyword engine: what the pipeline and the database take without the rule pack and text model, so
 * the report shows which of the two a change of throughput comes from.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const DEFAULTS = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
  batch: 1_000,
  pgMentions: 60_000,
  pgliteMentions: 20_000,
  /** The naive path is many times slower: fewer mentions keep the whole run near a minute. */
  pgNaive: 4_000,
  pgliteNaive: 2_000,
  /** Webhook bodies in flight in the second Vigie run (the first sends one at a time). */
  senders: 2,
  /** Share of mentions that belong to a risky story (the rest is everyday chatter). */
  riskyShare: 0.05,
  /** Share of mentions a source sends twice (retries): they must be counted as duplicates. */
  resendShare: 0.01,
  seed: 20_261_128,
} as const;

interface Sample {
  database: 'postgres' | 'pglite';
  /** `vigie`, `vigie ×N` (N bodies in flight) or `naive`. */
  path: string;
  /** Set when the run is scored by the keyword test engine instead of the configured one. */
  keyword?: true;
  mentions: number;
  accepted: number;
  seconds: number;
  batchMs: number[];
  /** CPU time of this process during the run (engine, driver, pipeline; PGlite runs in it too). */
  nodeCpuMs: number;
  /** CPU time of the Postgres backends serving the run, when they are local and readable. */
  serverCpuMs: number | null;
}

interface EngineChoice {
  name: string;
  /** The keyword test engine already: no second, keyword-scored run is needed. */
  keyword?: true;
  make: () => Engine;
}

// ---------------------------------------------------------------------------------------------
// Workload

/** Everyday chatter: a short opening and a random tail, so no two posts are near-duplicates. */
const OPENINGS = [
  'Ce matin',
  'Petite question :',
  'Franchement',
  'Quelqu’un sait',
  'Merci pour',
  'Just saw',
  'Anyone know',
  'Lovely',
  'Ce soir',
  'Week-end à Lutèce :',
];
const WORDS = (
  'accueil agents station quai escalator ticket abonnement vélo trottinette parc jardin musée concert ' +
  'marché boulangerie café terrasse soleil pluie nuage vent photo vue tour pont fleuve péniche bateau ' +
  'horaires plan carte appli wifi écran affiche banc fontaine place rue avenue quartier voisin ami ' +
  'famille enfant école bibliothèque piscine stade match festival exposition visite balade promenade ' +
  'dimanche samedi lundi matin midi soir nuit week-end vacances rentrée printemps été automne hiver ' +
  'nice great lovely view sunset river bridge museum coffee bakery market park garden train platform ' +
  'ticket map app friendly staff clean quiet crowded busy walk ride weekend morning evening trip ' +
  'souvenir merci bravo top super joli calme propre rapide simple pratique nouveau ancien grand petit'
).split(' ');

const STORIES = [
  { text: 'Alerte à la bombe au terminal {n}, tout le monde est évacué !!', account: '@LuteceAeroport' },
  { text: 'Bomb alert at Lutèce airport terminal {n}, police everywhere', account: '@LuteceAeroport' },
  { text: 'Malaise voyageur à {s}, la ligne {n} est arrêtée depuis 20 minutes', account: '@MetroLutece' },
  { text: 'Encore un retard énorme sur la ligne {n}, on est bloqués à {s}', account: '@MetroLutece' },
  { text: 'Fermeture des berges : retard des travaux, la mairie se moque de nous', account: '@VilleDeLutece' },
];

const STATIONS = ['Châtelet', 'Gare du Nord', 'Opéra', 'Bastille', 'Nation', 'République', 'Denfert', 'Invalides'];
const SOURCES = ['twitter', 'twitter', 'twitter', 'bluesky', 'facebook'];
const ACCOUNTS = ['@MetroLutece', '@LuteceAeroport', '@VilleDeLutece', null];
const SUFFIXES = ['', ' !!', ' 😡', ' #Lutèce', ' vraiment', ' ???', ' (source: un ami sur place)', ' — partagez'];

function fill(template: string, next: () => number): string {
  return template.replaceAll('{s}', STATIONS[Math.floor(next() * STATIONS.length)]!).replaceAll('{n}', String(1 + Math.floor(next() * 14)));
}

/**
 * Webhook bodies of `batch` mentions each: ~95% quiet chatter from many authors, the rest risky
 * stories (reposts, replies and near-duplicate copies of a few originals), and a few resends.
 */
export function makeBodies(total: number, batch: number, prefix: string): string[] {
  const next = seededRandom(DEFAULTS.seed);
  const authorsPool = Math.max(50, Math.floor(total * 0.3));
  const start = Date.parse('2026-11-28T06:00:00Z');
  const stepMs = Math.max(1, Math.floor((16 * 3_600_000) / total)); // one busy day
  const storyCount = Math.max(2, Math.round(total / 2_500));
  const originals = new Map<number, { id: string; source: string; text: string; account: string }>();
  const recent: MentionInput[] = [];
  const all: MentionInput[] = [];
  for (let i = 0; i < total; i++) {
    if (recent.length > 100 && next() < DEFAULTS.resendShare) {
      all.push(recent[Math.floor(next() * recent.length)]!);
      continue;
    }
    // Popular authors post a lot: squaring skews the pick towards the first ids.
    const a = Math.floor(next() ** 2 * authorsPool);
    const source = SOURCES[a % SOURCES.length]!;
    const id = `${prefix}${i}`;
    let text: string;
    let account: string | null = ACCOUNTS[Math.floor(next() * ACCOUNTS.length)]!;
    let refs: Pick<MentionInput, 'repostOf' | 'replyTo'> = {};
    if (next() < DEFAULTS.riskyShare) {
      // Stories come and go: the live one moves along the day, with a neighbour now and then.
      const k = Math.min(storyCount - 1, Math.floor((i / total) * storyCount) + (next() < 0.2 ? 1 : 0));
      let o = originals.get(k);
      const story = STORIES[k % STORIES.length]!;
      if (!o) {
        o = { id, source, text: fill(story.text, next), account: story.account };
        originals.set(k, o);
        text = o.text;
      } else {
        const r = next();
        if (r < 0.6) {
          refs = { repostOf: o.id };
          text = `RT ${o.text}`;
        } else if (r < 0.85) {
          refs = { replyTo: o.id };
          text = `${o.text.slice(0, 40 + Math.floor(next() * 30))}…${SUFFIXES[Math.floor(next() * SUFFIXES.length)]}`;
        } else text = `${o.text}${SUFFIXES[Math.floor(next() * SUFFIXES.length)]}`;
      }
      account = o.account;
    } else {
      const words = Array.from({ length: 7 + Math.floor(next() * 8) }, () => WORDS[Math.floor(next() * WORDS.length)]!);
      text = `${OPENINGS[Math.floor(next() * OPENINGS.length)]} ${words.join(' ')}`;
    }
    const m: MentionInput = {
      source,
      id,
      url: `https://example.social/${source}/${id}`,
      text,
      lang: next() < 0.8 ? 'fr' : 'en',
      createdAt: new Date(start + i * stepMs).toISOString(),
      ...(account ? { account } : {}),
      author: {
        id: `u${a}`,
        handle: `user_${a}`,
        name: `Person ${a}`,
        followers: Math.floor(next() ** 3 * 200_000),
        ...(a % 50 === 0 ? { verified: true } : {}),
      },
      ...refs,
    };
    all.push(m);
    recent.push(m);
    if (recent.length > 2_000) recent.shift();
  }
  const bodies: string[] = [];
  for (let i = 0; i < all.length; i += batch) bodies.push(JSON.stringify(all.slice(i, i + batch)));
  return bodies;
}

// ---------------------------------------------------------------------------------------------
// The two paths

function parse(body: string): Mention[] {
  const parsed = parseMentionsBody(body, 'application/json');
  if (!parsed.ok) throw new Error(`bench body refused: ${parsed.message}`);
  return parsed.mentions;
}

/**
 * Vigie's path: one transaction per webhook body, with `senders` bodies in flight at once (as
 * that many webhook connections would have).
 */
async function runVigie(
  store: Store,
  engine: Engine,
  config: VigieConfig,
  bodies: readonly string[],
  senders: number,
): Promise<Omit<Sample, 'database' | 'nodeCpuMs' | 'serverCpuMs'>> {
  const { ingest } = createIngest({
    store,
    engine,
    config,
    platforms: ['console', 'slack'],
    clock: () => new Date('2026-11-28T23:00:00Z'),
    logger: silentLogger(),
    afterCommit: async () => {},
  });
  const batchMs: number[] = [];
  let mentions = 0;
  let accepted = 0;
  let next = 0;
  async function sender(): Promise<void> {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const b0 = performance.now();
      // As the webhook does: checked in slices that let the database's answers through.
      const parsed = await parseMentionsBodyInTurns(body, 'application/json');
      if (!parsed.ok) throw new Error(`bench body refused: ${parsed.message}`);
      const batch = parsed.mentions;
      const r = await ingest(batch);
      batchMs.push(performance.now() - b0);
      mentions += batch.length;
      accepted += r.accepted;
    }
  }
  const t0 = performance.now();
  await Promise.all(Array.from({ length: senders }, sender));
  return { path: senders > 1 ? `vigie ×${senders}` : 'vigie', mentions, accepted, seconds: (performance.now() - t0) / 1_000, batchMs };
}

/**
 * The naive path: the same parse and scoring, then one transaction per mention with the mention
 * row, its cluster upsert and its author upsert, one statement at a time.
 */
async function runNaive(store: Store, engine: Engine, bodies: readonly string[]): Promise<Omit<Sample, 'database' | 'nodeCpuMs' | 'serverCpuMs'>> {
  const batchMs: number[] = [];
  let mentions = 0;
  let accepted = 0;
  const t0 = performance.now();
  for (const body of bodies) {
    const b0 = performance.now();
    for (const m of parse(body)) {
      const a = engine.analyze(m);
      const row = mentionRow(0, m, a, m.account ?? a.account);
      const stored = await store.transaction(async (tx) => {
        // One plain INSERT, as a naive ingest would write it (the pipeline's COPY pays off on batches).
        const { id: _unassigned, ...values } = row;
        const [inserted] = await tx.executor.insert(t.mentions).values(values).onConflictDoNothing().returning({ id: t.mentions.id });
        if (!inserted) return false;
        const id = inserted.id;
        await tx.upsertClusters([
          {
            id: row.clusterId,
            firstSeen: row.createdAt,
            lastSeen: row.createdAt,
            added: 1,
            level: a.cluster.level,
            peakScore: a.score,
            category: a.cluster.category ?? a.category,
            account: row.account,
            headMentionId: id,
            signature: engine.snapshot(a.cluster.id)?.signature ?? null,
          },
        ]);
        await tx.upsertAuthors([{ source: m.source, authorId: m.author.id, handle: m.author.handle, seenAt: row.createdAt }]);
        return true;
      });
      mentions++;
      if (stored) accepted++;
    }
    batchMs.push(performance.now() - b0);
  }
  return { path: 'naive', mentions, accepted, seconds: (performance.now() - t0) / 1_000, batchMs };
}

// ---------------------------------------------------------------------------------------------
// Engines and databases

const KEYWORD_ENGINE = 'keyword test engine (test/support/keyword-engine.ts)';

/**
 * The real engine with the configured rule pack and text model (the bundled defaults) when the pack
 * exists, the test keyword engine otherwise or with BENCH_ENGINE=keyword.
 */
function chooseEngine(loaded: LoadedConfig): EngineChoice {
  if (process.env.BENCH_ENGINE !== 'keyword' && existsSync(loaded.paths.rules)) {
    // As `vigie start` builds it (src/app/engine-factory.ts), compiled once: each run gets a fresh
    // engine (its own live clusters) without compiling again.
    const parts = engineParts(loaded);
    const modelPath = loaded.paths.model;
    return {
      name: `real engine, ${relative(ROOT, loaded.paths.rules)}${modelPath ? ` + ${relative(ROOT, modelPath)}` : ''}`,
      make: () => createEngineFromConfig(loaded, parts),
    };
  }
  return { name: KEYWORD_ENGINE, keyword: true, make: () => keywordEngine() };
}

/**
 * The server processes behind a Postgres pool: as many concurrent sleeps as the pool has
 * connections make it open them all, and each says its backend pid.
 */
async function backendPids(database: Database, connections: number): Promise<number[]> {
  const rows = await Promise.all(
    Array.from({ length: connections }, () => database.rows<{ pid: number }>(sql`select pg_backend_pid() as pid, pg_sleep(0.05)`)),
  );
  return [...new Set(rows.map((r) => Number(r[0]?.pid)))];
}

/** CPU milliseconds used so far by these local processes (utime + stime), or null if unreadable. */
function processCpuMs(pids: readonly number[]): number | null {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name, which is in parentheses and may hold spaces.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return null;
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

const POOL = 4;

async function openPostgres(url: string): Promise<{ database: Database; drop(): Promise<void> }> {
  const schema = `bench_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const database = await openDatabase({ url, schema, max: POOL });
  await database.migrate();
  return {
    database,
    async drop() {
      await database.rows(sql.raw(`drop schema if exists "${schema}" cascade`));
      await database.close();
    },
  };
}

async function pgliteTemplate(): Promise<Blob> {
  const first = await openDatabase({ dataDir: 'memory://' });
  await first.migrate();
  const blob = await (first as Database & { dump(): Promise<Blob> }).dump();
  await first.close();
  return blob;
}

async function checkStored(database: Database, expected: number): Promise<void> {
  const [r] = await database.rows<{ n: number }>(sql`select count(*)::int as n from mentions`);
  if (Number(r?.n) !== expected) throw new Error(`bench: ${expected} mentions accepted but ${r?.n} stored`);
}

async function version(database: Database): Promise<string> {
  const [r] = await database.rows<{ v: string }>(sql`select version() as v`);
  return (r?.v ?? '?').split(' on ')[0]!.split(',')[0]!;
}

// ---------------------------------------------------------------------------------------------
// Report

/** How a run that was not scored by the configured engine is marked in the report. */
const scoring = (s: Pick<Sample, 'keyword'>): string => (s.keyword ? ', keyword scoring' : '');

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function table(samples: readonly Sample[]): string {
  const head = ['database', 'path', 'mentions', 'stored', 'seconds', 'mentions/s', 'batch p50 ms', 'batch p99 ms', 'vs naive', 'node CPU ms/1k', 'server CPU ms/1k'];
  const perK = (ms: number | null, s: Sample) => (ms === null ? '-' : ((ms / s.mentions) * 1_000).toFixed(0));
  const rate = (s: Sample) => s.mentions / s.seconds;
  const rows = samples.map((s) => {
    const naive = samples.find((o) => o.database === s.database && o.path === 'naive');
    return [
      s.database,
      (s.path === 'naive' ? 'naive (1 tx / mention)' : s.path.replace('vigie', 'vigie (1 tx / batch)')) + scoring(s),
      s.mentions.toLocaleString('en'),
      s.accepted.toLocaleString('en'),
      s.seconds.toFixed(2),
      Math.round(rate(s)).toLocaleString('en'),
      percentile(s.batchMs, 50).toFixed(1),
      percentile(s.batchMs, 99).toFixed(1),
      naive ? `${(rate(s) / rate(naive)).toFixed(1)}×` : '-',
      perK(s.nodeCpuMs, s),
      perK(s.serverCpuMs, s),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

/** Runs the ingest benchmark on Postgres (when reachable) and PGlite and prints a table. */
export async function runIngestBench(): Promise<void> {
  const batch = envInt('BENCH_BATCH', DEFAULTS.batch);
  const url = process.env.DATABASE_URL?.trim() || DEFAULTS.databaseUrl;
  // No configuration file: the bundled example organisation, as `npm start` with none.
  const loaded = loadConfig(undefined, '/nonexistent-dir-so-the-example-is-used');
  const config = loaded.config;
  const engine = chooseEngine(loaded);
  const pgliteVersion = (JSON.parse(readFileSync(resolve(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
  const samples: Sample[] = [];
  const versions: string[] = [`Node ${process.version}`];
  const t0 = performance.now();

  console.log(`ingest bench: batches of ${batch} mentions, ${engine.name}`);
  let pg: Awaited<ReturnType<typeof openPostgres>> | null = null;
  try {
    pg = await openPostgres(url);
  } catch (err) {
    console.log(`Postgres skipped: ${(err as Error).message}`);
  }
  const senders = envInt('BENCH_SENDERS', DEFAULTS.senders);
  interface Run {
    path: 'vigie' | 'naive';
    total: number;
    senders: number;
    keyword?: true;
  }
  const runs = (vigie: number, naive: number): Run[] => [
    { path: 'vigie', total: vigie, senders: 1 },
    { path: 'vigie', total: vigie, senders },
    { path: 'naive', total: naive, senders: 1 },
  ];
  const runOne = async (store: Store, run: Run, bodies: readonly string[]) => {
    const pids = store.database.kind === 'postgres' ? await backendPids(store.database, POOL) : [];
    const server0 = pids.length > 0 ? processCpuMs(pids) : null;
    // The engine is built before the CPU count starts: a process builds it once, at start.
    const fresh = run.keyword ? keywordEngine() : engine.make();
    const cpu0 = process.cpuUsage();
    const s = await (run.path === 'vigie' ? runVigie(store, fresh, config, bodies, run.senders) : runNaive(store, fresh, bodies));
    const cpu = process.cpuUsage(cpu0);
    const server1 = server0 === null ? null : processCpuMs(pids);
    return {
      ...s,
      ...(run.keyword ? { keyword: true as const } : {}),
      nodeCpuMs: (cpu.user + cpu.system) / 1_000,
      serverCpuMs: server0 === null || server1 === null ? null : server1 - server0,
    };
  };

  if (pg) {
    versions.push(await version(pg.database));
    await pg.drop();
    const pgMentions = envInt('BENCH_PG_MENTIONS', DEFAULTS.pgMentions);
    const pgRuns = runs(pgMentions, envInt('BENCH_PG_NAIVE', DEFAULTS.pgNaive));
    if (!engine.keyword) pgRuns.splice(2, 0, { path: 'vigie', total: pgMentions, senders, keyword: true });
    for (const run of pgRuns) {
      const bodies = makeBodies(run.total, batch, `pg-${run.path}-`);
      const { database, drop } = await openPostgres(url);
      try {
        const s = await runOne(new Store(database), run, bodies);
        await checkStored(database, s.accepted);
        samples.push({ database: 'postgres', ...s });
        console.log(`  postgres ${s.path}${scoring(s)}: ${Math.round(s.mentions / s.seconds)} mentions/s`);
      } finally {
        await drop();
      }
    }
  }

  const template = await pgliteTemplate();
  for (const run of runs(envInt('BENCH_PGLITE_MENTIONS', DEFAULTS.pgliteMentions), envInt('BENCH_PGLITE_NAIVE', DEFAULTS.pgliteNaive))) {
    const bodies = makeBodies(run.total, batch, `lite-${run.path}-`);
    const database = await openDatabase({ dataDir: 'memory://', pgliteTemplate: template });
    try {
      await database.migrate();
      if (versions.length < 3) versions.push(`PGlite ${pgliteVersion} (${await version(database)})`);
      const s = await runOne(new Store(database), run, bodies);
      await checkStored(database, s.accepted);
      samples.push({ database: 'pglite', ...s });
      console.log(`  pglite ${s.path}: ${Math.round(s.mentions / s.seconds)} mentions/s`);
    } finally {
      await database.close();
    }
  }

  console.log(`\n${versions.join(' · ')}`);
  console.log(table(samples));
  console.log('CPU per 1,000 mentions: node = this process (PGlite included), server = the Postgres backends (local only).');
  if (samples.some((s) => s.keyword)) {
    console.log('keyword scoring: the same bodies and pipeline scored by the test keyword engine, i.e. what the pipeline and the database take without the rule pack and text model.');
  }
  console.log(`(bench took ${((performance.now() - t0) / 1_000).toFixed(1)} s)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runIngestBench().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
