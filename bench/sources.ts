import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { JetstreamSource } from '../adapters/sources/jetstream/jetstream-source.js';
import type { Engine } from '../src/engine/types.js';
import { type MentionInput, mentionSchema } from '../src/mentions/mention.js';
import { silentLogger } from '../src/ops/logger.js';
import type { MentionSink } from '../src/sources/port.js';
import { type JetstreamEvent, jetstreamPost, startJetstreamDouble } from '../test/doubles/sources/jetstream-double.js';
import { MemoryCursorStore } from '../test/doubles/sources/recording.js';
import { seededRandom } from '../test/support/seeded-random.js';

/**
 * Jetstream through Vigie's Bluesky source: a local Jetstream double replays generated
 * `app.bsky.feed.post` creates at the firehose's real rate and at multiples of it, the source hands
 * them to a sink that does what ingest costs before the database (validate with the mention schema,
 * then the veille engine with the default rule pack), and we report the posts/s kept up with and
 * the lag from "sent by Jetstream" to "through the sink" (p50 / p99).
 *
 * Real rate: we assume ~50 post creates per second on the Bluesky firehose (order of magnitude of
 * the network's daily post volume in 2025, ~4 M posts/day ≈ 46/s, with daytime peaks higher).
 * ×max is a cursor replay of a pre-filled log: the source reads as fast as it can.
 * The double runs in the same process, so its sending cost is counted against us.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const SOURCES_BENCH = {
  realRatePerSecond: 50,
  multiples: [1, 10, 100] as const,
  secondsPerStage: 5,
  maxReplayPosts: 60_000,
  tickMs: 10,
  seed: 20_261_128,
} as const;

const CHATTER = [
  'Super concert hier soir, cette salle était une bombe',
  'Quelqu’un sait si la ligne 4 roule ce matin ?',
  'Beautiful sunset over the Seine tonight',
  'Mon café du matin avant le boulot ☕',
  'Retard de 20 minutes sur le RER B, encore…',
  'Just landed at CDG, the new terminal looks great',
  'J’ai explosé de rire devant ce sketch',
  'La mairie a refait la place, c’est très réussi',
];
const RISKY = [
  'Alerte à la bombe à Roissy ?? tout le terminal 2E est évacué',
  'Colis suspect abandonné station Châtelet, quai évacué',
  'Fumée dans le métro ligne 13, les gens paniquent',
  'Ascenseur en panne depuis 3 jours à la gare, impossible en fauteuil',
];

function makePost(rand: () => number, n: number, timeUs: number): JetstreamEvent {
  const pool = rand() < 0.05 ? RISKY : CHATTER;
  const text = `${pool[Math.floor(rand() * pool.length)]!} #${n % 97}`;
  return jetstreamPost({
    did: `did:plc:bench${(n % 5_000).toString(36).padStart(20, 'a')}`,
    rkey: `3l${n.toString(36).padStart(11, '0')}`,
    timeUs,
    text,
    langs: [rand() < 0.8 ? 'fr' : 'en'],
    createdAt: new Date(Math.floor(timeUs / 1_000)).toISOString(),
  });
}

interface StageResult {
  label: string;
  offeredPerSecond: number | null;
  posts: number;
  keptUpPerSecond: number;
  p50: number;
  p99: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function loadEngine(): Promise<{ name: string; engine: Engine | null }> {
  // Extension point: the engine is optional so this bench runs on a tree without it;
  // BENCH_SOURCES_ENGINE=none measures the source alone.
  if (process.env.BENCH_SOURCES_ENGINE === 'none') return { name: 'no engine (schema validation only)', engine: null };
  const packPath = resolve(ROOT, 'rules/default.yaml');
  if (!existsSync(resolve(ROOT, 'src/engine/index.ts')) || !existsSync(packPath)) return { name: 'no engine (schema validation only)', engine: null };
  const mod = (await import(pathToFileURL(resolve(ROOT, 'src/engine/index.ts')).href)) as {
    createEngine?: (o: { rules: unknown }) => Engine;
    parseRulePack?: (text: string, file: string) => unknown;
  };
  if (!mod.createEngine || !mod.parseRulePack) return { name: 'no engine (schema validation only)', engine: null };
  const pack = mod.parseRulePack(readFileSync(packPath, 'utf8'), 'rules/default.yaml');
  return { name: 'schema + engine with rules/default.yaml', engine: mod.createEngine({ rules: pack }) };
}

/** The cheap part of ingest: validate, then score and cluster; records the lag of every post. */
function benchSink(engine: Engine | null, lags: number[], counter: { n: number; lastAt: number }): MentionSink {
  return async (mentions: readonly MentionInput[]) => {
    for (const m of mentions) {
      const parsed = mentionSchema.safeParse(m);
      if (!parsed.success) continue;
      engine?.analyze(parsed.data);
      const now = Date.now();
      lags.push(now - Date.parse(parsed.data.createdAt));
      counter.n++;
      counter.lastAt = performance.now();
    }
    return { accepted: mentions.length, duplicates: 0 };
  };
}

async function pacedStage(multiple: number, engine: Engine | null, rand: () => number, startN: number): Promise<StageResult> {
  const rate = SOURCES_BENCH.realRatePerSecond * multiple;
  const total = rate * SOURCES_BENCH.secondsPerStage;
  const double = await startJetstreamDouble();
  const lags: number[] = [];
  const counter = { n: 0, lastAt: 0 };
  const source = new JetstreamSource({ id: 'bench', url: double.url, cursors: new MemoryCursorStore() }, { logger: silentLogger() });
  await source.start(benchSink(engine, lags, counter));
  while (double.openConnections() === 0) await new Promise((r) => setTimeout(r, 5));
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1_000) * rate) + 1);
    for (; sent < due; sent++) double.publish(makePost(rand, startN + sent, Date.now() * 1_000));
    await new Promise((r) => setTimeout(r, SOURCES_BENCH.tickMs));
  }
  const deadline = performance.now() + 10_000;
  while (counter.n < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await source.stop();
  await double.close();
  lags.sort((a, b) => a - b);
  const seconds = (counter.lastAt - t0) / 1_000;
  return { label: `×${multiple}`, offeredPerSecond: rate, posts: counter.n, keptUpPerSecond: counter.n / seconds, p50: quantile(lags, 0.5), p99: quantile(lags, 0.99) };
}

async function replayStage(engine: Engine | null, rand: () => number, startN: number): Promise<StageResult> {
  const double = await startJetstreamDouble();
  const total = SOURCES_BENCH.maxReplayPosts;
  const firstUs = Date.now() * 1_000;
  for (let i = 0; i < total; i++) double.publish(makePost(rand, startN + i, firstUs + i));
  const cursors = new MemoryCursorStore();
  // Start from the beginning of the log: the source resumes from a saved cursor, minus its rewind.
  await cursors.set('jetstream:bench', String(firstUs + 5_000_000));
  const lags: number[] = [];
  const counter = { n: 0, lastAt: 0 };
  const source = new JetstreamSource({ id: 'bench', url: double.url, cursors }, { logger: silentLogger() });
  const t0 = performance.now();
  const replayStartedAt = Date.now();
  await source.start(benchSink(engine, lags, counter));
  const deadline = performance.now() + 30_000;
  while (counter.n < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await source.stop();
  await double.close();
  // For a replay, "lag" is how long each post waited after the replay began.
  const waited = lags.map((l) => l - (replayStartedAt - Math.floor(firstUs / 1_000))).sort((a, b) => a - b);
  return { label: '×max (replay)', offeredPerSecond: null, posts: counter.n, keptUpPerSecond: counter.n / ((counter.lastAt - t0) / 1_000), p50: quantile(waited, 0.5), p99: quantile(waited, 0.99) };
}

export async function runSourcesBench(): Promise<void> {
  const { name, engine } = await loadEngine();
  const rand = seededRandom(SOURCES_BENCH.seed);
  console.log(`sources bench: Jetstream double → Bluesky source → sink (${name})`);
  console.log(`real rate assumed: ${SOURCES_BENCH.realRatePerSecond} post creates/s; ${SOURCES_BENCH.secondsPerStage} s per paced stage`);
  const results: StageResult[] = [];
  let n = 0;
  for (const multiple of SOURCES_BENCH.multiples) {
    const r = await pacedStage(multiple, engine, rand, n);
    n += r.posts;
    results.push(r);
  }
  results.push(await replayStage(engine, rand, n));
  const fmt = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en') : '-');
  console.log('stage           offered/s   posts     through/s   lag p50 ms   lag p99 ms   kept up');
  for (const r of results) {
    const keptUp = r.offeredPerSecond === null ? '-' : r.keptUpPerSecond >= r.offeredPerSecond * 0.95 && r.p99 < 1_000 ? 'yes' : 'no';
    console.log(
      `${r.label.padEnd(15)} ${(r.offeredPerSecond === null ? 'max' : fmt(r.offeredPerSecond)).padStart(9)}   ${fmt(r.posts).padStart(7)}   ${fmt(r.keptUpPerSecond).padStart(9)}   ${fmt(r.p50).padStart(10)}   ${fmt(r.p99).padStart(10)}   ${keptUp}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runSourcesBench();
}
