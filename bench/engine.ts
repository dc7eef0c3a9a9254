import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEngineFromConfig } from '../src/app/engine-factory.js';
import { loadConfig } from '../src/config/load.js';
import { LiveClusters } from '../src/engine/cluster/live-clusters.js';
import { HASHES, minhashInto } from '../src/engine/cluster/minhash.js';
import { createEngine } from '../src/engine/create-engine.js';
import { CompiledPack } from '../src/engine/match/compile-pack.js';
import { normalizeText } from '../src/engine/normalize/normalize-text.js';
import { NEGATIVE_WORDS, negativeWords } from '../src/engine/risk/negativity-lexicon.js';
import { scoreMention } from '../src/engine/risk/score.js';
import { riskConfigSchema } from '../src/engine/risk-config.js';
import { parseRulePack, type RulePack, validateRulePack } from '../src/engine/rule-pack.js';
import { parseMentionsBody } from '../src/http/parse-mentions.js';
import type { Mention } from '../src/mentions/mention.js';
import { makeBodies } from './ingest.js';

/**
 * Veille engine benchmark: normalise + match + score with the default pack and with 1,000 generated
 * rules, each beside a naive baseline (one RegExp per rule, all tried on every mention); clustering
 * with 100,000 live clusters; memory. Deterministic inputs (seeded), about 30 s in all.
 */

const ROOT = new URL('../', import.meta.url);

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

const FILLER =
  'le la les un une des du de à au dans sur pour avec sans ce matin soir encore toujours depuis minutes heure quai station gare ligne métro rer bus tram terminal aéroport vol avion mairie rue place quartier the a of to in on at for with again this morning train platform flight airport city hall today people everyone nobody why still'.split(
    ' ',
  );

/** Mentions built from the labelled texts with shuffled filler, so no two texts are the same. */
export function corpus(count: number, seed: number): Mention[] {
  const rand = rng(seed);
  const lines = readFileSync(new URL('test/engine/fixtures/labelled.jsonl', ROOT), 'utf8').split('\n').filter(Boolean);
  const texts = lines.map((l) => (JSON.parse(l) as { text: string }).text);
  const out: Mention[] = [];
  for (let i = 0; i < count; i++) {
    const base = texts[Math.floor(rand() * texts.length)]!;
    // One extra word in two: every text differs a little, and keeps a tweet's length.
    const extra = rand() < 0.5 ? FILLER[Math.floor(rand() * FILLER.length)]! : String(i);
    out.push({
      source: 'twitter',
      id: String(i),
      url: null,
      text: rand() < 0.5 ? `${base} ${extra}` : `${extra} ${base}`,
      lang: null,
      createdAt: new Date(Date.UTC(2026, 10, 28) + i * 50).toISOString(),
      account: null,
      author: { id: String(i % 5_000), handle: `user${i % 5_000}`, followers: (i * 37) % 100_000 },
      replyTo: null,
      repostOf: null,
      quoteOf: null,
    });
  }
  return out;
}

/** 1,000 rules over a mixed vocabulary: words, wildcards, phrases, NEAR, NOT. */
export function generatedPack(count: number, seed: number): RulePack {
  const rand = rng(seed);
  // Like a real pack: mostly specific vocabulary (a few thousand distinct words), a little of the
  // everyday words that mentions are made of.
  const syllables = ['ra', 'to', 'mi', 'ke', 'lu', 'sa', 'po', 'ni', 'vor', 'tal', 'gre', 'bin', 'dou', 'fen', 'qua', 'zel', 'ar', 'che', 'mon', 'vi'];
  const word = () => Array.from({ length: 2 + Math.floor(rand() * 2) }, () => syllables[Math.floor(rand() * syllables.length)]).join('');
  const real = ['retard', 'panne', 'bombe', 'grève', 'fumée', 'colis', 'delay', 'strike', 'smoke', 'merci', 'honte', 'incendie', 'malaise', 'bloqué', 'annulé', 'ascenseur', 'escalator', 'agression', 'vol', 'police'];
  const pick = () => (rand() < 0.05 ? real[Math.floor(rand() * real.length)]! : word());
  const term = () => {
    const r = rand();
    if (r < 0.15) return `${pick()}*`;
    if (r < 0.3) return `"${pick()} ${pick()}"`;
    return pick();
  };
  const group = (n: number) => `(${Array.from({ length: n }, term).join(' OR ')})`;
  const rules = Array.from({ length: count }, (_, i) => {
    const r = rand();
    const query = r < 0.3 ? `${group(3)} NEAR/4 ${group(3)}` : r < 0.6 ? `${group(4)} ${group(2)} NOT ${term()}` : group(5);
    return { id: `gen-${i}`, category: ['security', 'safety', 'disruption', 'reputation'][i % 4]!, weight: 10 + (i % 70), query };
  });
  return validateRulePack({ version: 1, rules });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The naive approach the automaton replaces: one case-insensitive RegExp per rule, built from its
 * positive words (wildcards as `\w*`), all run on every mention's lowercased text. It does less than
 * the engine (no NEAR, NOT, accents or elongations), so the comparison flatters it.
 */
function naiveMatchers(pack: RulePack): RegExp[] {
  return pack.rules.map((rule) => {
    const positive = rule.query.split(/\bNOT\b/)[0]!;
    const terms = [...positive.matchAll(/"([^"]+)"|([^\s()"]+)/g)]
      .map((m) => m[1] ?? m[2]!)
      .filter((t) => !/^(AND|OR|NEAR\/\d+)$/.test(t) && !t.startsWith('$'));
    const alternatives = terms.map((t) => (t.endsWith('*') ? `${escapeRegExp(t.slice(0, -1))}\\w*` : escapeRegExp(t)));
    return new RegExp(`\\b(?:${alternatives.join('|')})\\b`, 'i');
  });
}

/**
 * Rate per second of CPU time of this process (user + system), so a busy machine slows the run down
 * without skewing the figures much; wall-clock time is what the CPU time would be on an idle core.
 */
function time(run: () => number, minMs = 1_500): { perSecond: number } {
  run(); // warm-up: JIT and caches
  let n = 0;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  while (performance.now() - wall0 < minMs) n += run();
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: n / ((cpu.user + cpu.system) / 1e6) };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en').padStart(11);
}

function scorePipeline(pack: CompiledPack, mentions: readonly Mention[]): () => number {
  const config = riskConfigSchema.parse({});
  return () => {
    let sum = 0;
    for (const m of mentions) {
      const norm = normalizeText(m.text);
      const rules = pack.match(norm.keys, { account: null, authorHandle: m.author.handle, authorId: m.author.id, lang: 'fr', source: m.source });
      const s = scoreMention(
        { rules, negativeWords: negativeWords(norm.keys, NEGATIVE_WORDS), followers: m.author.followers, flags: [], onCrisis: false, account: null, recentCount: 1 },
        config,
      );
      sum += s.score;
    }
    if (sum < 0) throw new Error('unreachable');
    return mentions.length;
  };
}

function baselinePipeline(matchers: readonly RegExp[], mentions: readonly Mention[]): () => number {
  return () => {
    let hits = 0;
    for (const m of mentions) {
      const text = m.text.toLowerCase();
      for (const re of matchers) if (re.test(text)) hits++;
    }
    if (hits < 0) throw new Error('unreachable');
    return mentions.length;
  };
}

/**
 * The ingest pipeline's use of the engine on the ingest bench's workload (bench/ingest.ts: ~95%
 * everyday chatter, ~5% near-duplicate risky stories, the example configuration and default pack):
 * per batch, `analyze` for each new mention, then `snapshot` of each cluster touched, as
 * `analyse()` in src/pipeline/ingest.ts does. Resends are skipped as the pipeline would. A fresh
 * engine per run, so every run sees the same stories.
 */
function ingestWorkload(mentions: number): () => number {
  const loaded = loadConfig(undefined, '/nonexistent-dir-so-the-example-is-used');
  const batches = makeBodies(mentions, 1_000, 'bench-').map((body) => {
    const parsed = parseMentionsBody(body, 'application/json');
    if (!parsed.ok) throw new Error(`bench body refused: ${parsed.message}`);
    return parsed.mentions;
  });
  return () => {
    const engine = createEngineFromConfig(loaded);
    const seen = new Set<string>();
    let n = 0;
    for (const batch of batches) {
      const clusterIds = new Set<string>();
      for (const m of batch) {
        const key = `${m.source}:${m.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        clusterIds.add(engine.analyze(m, { author: { flags: [] }, openCrises: [] }).cluster.id);
        n++;
      }
      for (const id of clusterIds) engine.snapshot(id);
    }
    return n;
  };
}

/** Heap and RSS after a full collection, so the figure is what the live clusters hold, not garbage. */
function memory(): string {
  collectGarbage();
  const mem = process.memoryUsage();
  return `heapUsed ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB`;
}

/** `global.gc` without a command-line flag: the flag can be set at run time, then read from a fresh context. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export async function runEngineBench(): Promise<void> {
  const mentions = corpus(5_000, 42);
  const defaultPack = parseRulePack(readFileSync(new URL('rules/default.yaml', ROOT), 'utf8'), 'rules/default.yaml');
  const generated = generatedPack(1_000, 7);

  console.log('veille engine — normalise + match + score (one core)');
  console.log(`${'pack'.padEnd(26)}${'engine/s'.padStart(11)}${'baseline/s'.padStart(13)}${'speed-up'.padStart(10)}`);
  for (const [name, pack] of [
    [`default (${defaultPack.rules.length} rules)`, defaultPack],
    ['generated (1,000 rules)', generated],
  ] as const) {
    const engine = time(scorePipeline(new CompiledPack(pack), mentions));
    // The baseline is slow: a smaller slice keeps the run short without changing its rate.
    const baseline = time(baselinePipeline(naiveMatchers(pack), mentions.slice(0, 500)));
    console.log(`${name.padEnd(26)}${fmt(engine.perSecond)}${fmt(baseline.perSecond).padStart(13)}${`${(engine.perSecond / baseline.perSecond).toFixed(0)}×`.padStart(10)}`);
  }
  const normOnly = time(() => {
    for (const m of mentions) normalizeText(m.text);
    return mentions.length;
  });
  console.log(`${'normalise alone'.padEnd(26)}${fmt(normOnly.perSecond)}`);

  // Clustering: a live set warmed with 100,000 distinct stories, then new mentions placed in it.
  const clusters = new LiveClusters({ windowMs: 10_800_000, velocityWindowMs: 600_000, liveSetCap: 200_000, similarity: 0.5, siteWindowMs: 3_600_000, raiseLevelAt: 20 });
  const warm = corpus(100_000, 99);
  const t0 = Date.UTC(2026, 10, 28);
  const wr = rng(5);
  const distinct = () => Array.from({ length: 12 }, () => Math.floor(wr() * 1e9).toString(36)).join(' ');
  // As the engine does: MinHash into one buffer, the live set copies the signatures it keeps.
  const sig = new Uint32Array(HASHES);
  warm.forEach((m, i) => {
    // Distinct stories: texts that share no shingle, so none joins another.
    const norm = normalizeText(distinct());
    clusters.assign({ key: `w:${i}`, at: t0 + i, author: m.author.handle, refs: [], links: [`example.org/s/${i}`], signature: minhashInto(norm.keys, sig) ? sig : null, placeKeys: [], siteKey: null });
  });
  let next = 0;
  const fresh = corpus(20_000, 123);
  const clustering = time(() => {
    for (const m of fresh) {
      const norm = normalizeText(m.text);
      const i = next++;
      clusters.assign({ key: `f:${i}`, at: t0 + 100_000 + i, author: m.author.handle, refs: i % 5 === 0 ? [`w:${i % 100_000}`] : [], links: [], signature: minhashInto(norm.keys, sig) ? sig : null, placeKeys: [], siteKey: null });
    }
    return fresh.length;
  });
  console.log(`\nclustering (normalise + MinHash + assign), ${clusters.size.toLocaleString('en')} live clusters: ${fmt(clustering.perSecond).trim()} mentions/s`);

  const engine = createEngine({ rules: defaultPack, risk: { cluster: { liveSetCap: 100_000 } } });
  for (const m of warm) engine.analyze({ ...m, text: distinct() });
  const full = time(() => {
    for (const m of fresh) engine.analyze({ ...m, id: `a${next++}` });
    return fresh.length;
  });
  console.log(`full analyze (default pack, clustering, spikes), ${engine.liveClusters.toLocaleString('en')} live clusters: ${fmt(full.perSecond).trim()} mentions/s`);
  // The ingest pipeline's budget: 20,000 mentions/s end to end leaves the engine 15–20 µs a mention.
  const ingest = time(ingestWorkload(60_000), 3_000);
  console.log(`full analyze + snapshot, ingest workload (60,000 mentions): ${fmt(ingest.perSecond).trim()} mentions/s, ${(1e6 / ingest.perSecond).toFixed(1)} µs/mention`);
  console.log(`memory: ${memory()}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runEngineBench().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
