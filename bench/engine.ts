import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEngineFromConfig, engineParts } from '../src/app/engine-factory.js';
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
import { measureInForks, type Rate, report, STEADY, type SteadyOptions, sliceRates } from './steady-rate.js';

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
 * engine per run (sharing the compiled pack and model), so every run sees the same stories.
 */
function ingestWorkload(mentions: number): () => number {
  const loaded = loadConfig(undefined, '/nonexistent-dir-so-the-example-is-used');
  // Pack and model compiled once, as a running process does at start: the run times analysis only.
  const parts = engineParts(loaded);
  const batches = makeBodies(mentions, 1_000, 'bench-').map((body) => {
    const parsed = parseMentionsBody(body, 'application/json');
    if (!parsed.ok) throw new Error(`bench body refused: ${parsed.message}`);
    return parsed.mentions;
  });
  return () => {
    const engine = createEngineFromConfig(loaded, parts);
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

const defaultPack = () => parseRulePack(readFileSync(new URL('rules/default.yaml', ROOT), 'utf8'), 'rules/default.yaml');

/** Clustering's live set: warmed with 100,000 distinct stories, as the engine keeps them. */
const CLUSTERING_OPTIONS = { windowMs: 10_800_000, velocityWindowMs: 600_000, liveSetCap: 200_000, similarity: 0.5, siteWindowMs: 3_600_000, raiseLevelAt: 20 };
const T0 = Date.UTC(2026, 10, 28);

/** Texts that share no shingle with one another, so none joins another's story. */
function distinctTexts(seed: number): () => string {
  const wr = rng(seed);
  return () => Array.from({ length: 12 }, () => Math.floor(wr() * 1e9).toString(36)).join(' ');
}

/**
 * Each line of the report: what it builds once, then the run it times (it returns how many
 * mentions it did). Each runs in a process of its own (steady-rate.ts).
 */
const LINES: Record<string, () => { run: () => number; extra?: () => Record<string, string | number>; options?: SteadyOptions }> = {
  default: () => ({ run: scorePipeline(new CompiledPack(defaultPack()), corpus(5_000, 42)) }),
  // The baseline is slow: a smaller slice keeps each run short without changing its rate.
  'default-baseline': () => ({ run: baselinePipeline(naiveMatchers(defaultPack()), corpus(500, 42)) }),
  generated: () => ({ run: scorePipeline(new CompiledPack(generatedPack(1_000, 7)), corpus(5_000, 42)) }),
  'generated-baseline': () => ({ run: baselinePipeline(naiveMatchers(generatedPack(1_000, 7)), corpus(500, 42)) }),
  normalise: () => {
    const mentions = corpus(5_000, 42);
    return {
      run: () => {
        for (const m of mentions) normalizeText(m.text);
        return mentions.length;
      },
    };
  },
  clustering: () => {
    const clusters = new LiveClusters(CLUSTERING_OPTIONS);
    const distinct = distinctTexts(5);
    // As the engine does: MinHash into one buffer, the live set copies the signatures it keeps.
    const sig = new Uint32Array(HASHES);
    corpus(100_000, 99).forEach((m, i) => {
      const norm = normalizeText(distinct());
      clusters.assign({ key: `w:${i}`, at: T0 + i, author: m.author.handle, refs: [], links: [`example.org/s/${i}`], signature: minhashInto(norm.keys, sig) ? sig : null, placeKeys: [], siteKey: null });
    });
    const fresh = corpus(20_000, 123);
    let next = 0;
    return {
      run: () => {
        for (const m of fresh) {
          const norm = normalizeText(m.text);
          const i = next++;
          clusters.assign({ key: `f:${i}`, at: T0 + 100_000 + i, author: m.author.handle, refs: i % 5 === 0 ? [`w:${i % 100_000}`] : [], links: [], signature: minhashInto(norm.keys, sig) ? sig : null, placeKeys: [], siteKey: null });
        }
        return fresh.length;
      },
      extra: () => ({ live: clusters.size }),
    };
  },
  full: () => {
    const engine = createEngine({ rules: defaultPack(), risk: { cluster: { liveSetCap: 100_000 } } });
    const distinct = distinctTexts(5);
    for (const m of corpus(100_000, 99)) engine.analyze({ ...m, text: distinct() });
    const fresh = corpus(20_000, 123);
    let next = 0;
    return {
      run: () => {
        for (const m of fresh) engine.analyze({ ...m, id: `a${next++}` });
        return fresh.length;
      },
      extra: () => ({ live: engine.liveClusters, memory: memory() }),
    };
  },
  // One run is 60,000 mentions through a fresh engine, a few seconds: one run of warm-up, three timed.
  ingest: () => ({ run: ingestWorkload(60_000), options: { warmupMs: 0, slices: 3, sliceMs: 0 } }),
};

function line(name: string, forks: number): { rate: Rate; extra: Record<string, string | number> } {
  return measureInForks(new URL(import.meta.url), name, forks);
}

function range(rate: Rate): string {
  return `${Math.round(rate.low).toLocaleString('en')}–${Math.round(rate.high).toLocaleString('en')}`;
}

export async function runEngineBench(): Promise<void> {
  const forks = Number(process.env.BENCH_FORKS ?? 3);
  console.log(`veille engine — normalise + match + score (one core; each line in ${forks} processes of its own, 1 s warm-up, the median of their timed slices (${STEADY.slices} a process; 3 runs for the ingest workload), slowest–fastest beside it)`);
  console.log(`${'pack'.padEnd(26)}${'engine/s'.padStart(11)}${'baseline/s'.padStart(13)}${'speed-up'.padStart(10)}   engine range / baseline range`);
  for (const [name, label] of [
    ['default', `default (${defaultPack().rules.length} rules)`],
    ['generated', 'generated (1,000 rules)'],
  ] as const) {
    const engine = line(name, forks).rate;
    const baseline = line(`${name}-baseline`, forks).rate;
    console.log(`${label.padEnd(26)}${fmt(engine.median)}${fmt(baseline.median).padStart(13)}${`${(engine.median / baseline.median).toFixed(0)}×`.padStart(10)}   ${range(engine)} / ${range(baseline)}`);
  }
  const normalise = line('normalise', forks).rate;
  console.log(`${'normalise alone'.padEnd(26)}${fmt(normalise.median)}${' '.repeat(23)}   ${range(normalise)}`);
  const clustering = line('clustering', forks);
  console.log(`\nclustering (normalise + MinHash + assign), ${Number(clustering.extra.live).toLocaleString('en')} live clusters: ${fmt(clustering.rate.median).trim()} mentions/s (${range(clustering.rate)})`);
  const full = line('full', forks);
  console.log(`full analyze (default pack, clustering, spikes), ${Number(full.extra.live).toLocaleString('en')} live clusters: ${fmt(full.rate.median).trim()} mentions/s (${range(full.rate)})`);
  // The ingest pipeline's budget: 20,000 mentions/s end to end leaves the engine 15–20 µs a mention.
  const ingest = line('ingest', forks).rate;
  console.log(`full analyze + snapshot, ingest workload (60,000 mentions): ${fmt(ingest.median).trim()} mentions/s, ${(1e6 / ingest.median).toFixed(1)} µs/mention (${range(ingest)})`);
  console.log(`memory (the full-analyze process, engine with its live clusters): ${full.extra.memory}`);
}

const lineArg = process.argv.indexOf('--line');
if (lineArg >= 0) {
  const name = process.argv[lineArg + 1]!;
  const make = LINES[name];
  if (!make) throw new Error(`unknown bench line ${name}: ${Object.keys(LINES).join(', ')}`);
  const { run, extra, options } = make();
  const rates = sliceRates(run, options);
  report({ rates, extra: extra?.() ?? {} });
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runEngineBench().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
