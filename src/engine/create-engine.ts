import { ErrorCode, VigieError } from '../core/errors.js';
import type { Mention } from '../mentions/mention.js';
import { describeIssue } from '../core/zod-issues.js';
import { LiveClusters } from './cluster/live-clusters.js';
import { HASHES, minhashInto } from './cluster/minhash.js';
import { linkKey, places } from './cluster/story-keys.js';
import { CompiledPack } from './match/compile-pack.js';
import { guessLang } from './normalize/guess-lang.js';
import { normalizeText, type NormalizedText } from './normalize/normalize-text.js';
import { lexiconKeys, NEGATIVE_WORDS, negativeWords } from './risk/negativity-lexicon.js';
import { byWeight, PRAISE, scoreMention } from './risk/score.js';
import { type RiskConfig, riskConfigSchema } from './risk-config.js';
import { validateRulePack } from './rule-pack.js';
import { VolumeTracker } from './spikes/volume-tracker.js';
import type { AnalyzeContext, Analysis, ClusterSnapshot, Engine, OpenCrisisContext, RuleHit } from './types.js';

/** A watched account as the engine needs it: to place mentions that do not say which account they are about. */
export interface EngineAccount {
  handle: string;
  /** Site key (`roissy`, `metro`…): an open crisis on this site concerns the account's mentions. */
  site?: string | undefined;
  /** Words that place a mention on this account (`roissy`, `cdg`). */
  aliases?: readonly string[] | undefined;
}

export interface EngineOptions {
  /** A rule pack: from `loadRulePack` / `parseRulePack`, or plain data validated here. */
  rules: unknown;
  /** The `risk` section of the configuration; defaults for everything missing. */
  risk?: unknown;
  accounts?: readonly EngineAccount[] | undefined;
}

const MINUTE_MS = 60_000;
const bare = (handle: string) => handle.replace(/^@/, '').toLowerCase();

/** Builds the veille engine: pure, deterministic, time only from `mention.createdAt` and arguments. */
export function createEngine(options: EngineOptions): Engine & { readonly config: RiskConfig; readonly liveClusters: number } {
  const parsedRisk = riskConfigSchema.safeParse(options.risk ?? {});
  if (!parsedRisk.success) {
    throw new VigieError(ErrorCode.ConfigInvalid, `risk: ${parsedRisk.error.issues.map((i) => describeIssue(i)).join('; ')}`);
  }
  const config = parsedRisk.data;
  let pack = new CompiledPack(validateRulePack(options.rules));

  const lexicon = new Set([...NEGATIVE_WORDS, ...lexiconKeys(config.negativity.extraWords)]);
  const flagLists = new Map<string, string[]>();
  for (const [flag, handles] of Object.entries(config.authors)) {
    for (const h of handles) flagLists.set(bare(h), [...(flagLists.get(bare(h)) ?? []), flag]);
  }
  const accounts = (options.accounts ?? []).map((a) => ({
    handle: a.handle,
    bare: bare(a.handle),
    site: a.site ?? null,
    aliases: (a.aliases ?? []).map((x) => normalizeText(x).text).filter((x) => x !== ''),
  }));
  const clusters = new LiveClusters({
    windowMs: config.cluster.windowMinutes * MINUTE_MS,
    velocityWindowMs: config.velocity.windowMinutes * MINUTE_MS,
    liveSetCap: config.cluster.liveSetCap,
    similarity: config.cluster.similarity,
    raiseLevelAt: config.velocity.raiseLevelAt,
  });
  const volume = new VolumeTracker(config.spikes);
  // The live set copies the signatures it keeps, so one buffer serves every mention.
  const signature = new Uint32Array(HASHES);

  function resolveAccount(m: Mention, norm: NormalizedText, ruleAccounts: readonly string[]): string | null {
    if (m.account) return m.account;
    for (const h of norm.handles) {
      const hit = accounts.find((a) => a.bare === h.toLowerCase());
      if (hit) return hit.handle;
    }
    const padded = ` ${norm.text} `;
    for (const a of accounts) if (a.aliases.some((alias) => padded.includes(` ${alias} `))) return a.handle;
    // A rule restricted to one account tells where the mention belongs.
    return ruleAccounts[0] ?? null;
  }

  function onCrisis(norm: NormalizedText, account: string | null, crises: readonly OpenCrisisContext[]): boolean {
    if (crises.length === 0) return false;
    const padded = ` ${norm.text} `;
    const site = account ? accounts.find((a) => a.bare === bare(account))?.site ?? null : null;
    return crises.some(
      (c) =>
        (c.site !== null && (c.site === site || padded.includes(` ${normalizeText(c.site).text} `))) ||
        c.terms.some((t) => {
          const term = normalizeText(t).text;
          return term !== '' && padded.includes(` ${term} `);
        }),
    );
  }

  function analyze(m: Mention, ctx: AnalyzeContext = {}): Analysis {
    const norm = normalizeText(m.text);
    const lang = m.lang ? m.lang.toLowerCase().slice(0, 2) : guessLang(norm.keys);
    const at = Date.parse(m.createdAt);
    const matched = pack.match(norm.keys, {
      account: m.account ? bare(m.account) : null,
      authorHandle: bare(m.author.handle),
      authorId: m.author.id,
      lang,
      source: m.source.toLowerCase(),
    });
    const sorted = byWeight(matched);
    const main = sorted.find((r) => r.def.weight >= 0) ?? null;
    const category = main?.def.category ?? null;
    const account = resolveAccount(m, norm, sorted.flatMap((r) => r.def.accounts ?? []));

    const links: string[] = [];
    for (const url of norm.urls) {
      const key = linkKey(url);
      if (key && !links.includes(key)) links.push(key);
    }
    const placeKeys = category && category !== PRAISE ? places(norm.words).map((p) => `${account ?? ''}|${category}|${p}`) : [];
    const refs = [m.replyTo, m.repostOf, m.quoteOf].filter((r): r is string => typeof r === 'string').map((r) => `${m.source}:${r}`);
    const { live, isNew } = clusters.assign({
      key: `${m.source}:${m.id}`,
      at,
      author: m.author.handle,
      refs,
      links,
      signature: minhashInto(norm.keys, signature) ? signature : null,
      placeKeys,
    });

    const flags = [...(ctx.author?.flags ?? []), ...(flagLists.get(bare(m.author.handle)) ?? [])];
    const scored = scoreMention(
      {
        rules: matched,
        negativeWords: negativeWords(norm.keys, lexicon),
        followers: m.author.followers,
        flags,
        onCrisis: onCrisis(norm, account, ctx.openCrises ?? []),
        account,
        recentCount: clusters.recentCount(live, at),
      },
      config,
    );
    const cluster = clusters.settle(live, isNew, at, scored.level, category);

    for (const r of matched) volume.record(`rule:${r.name}`, at);
    for (const c of new Set(matched.map((r) => r.def.category))) volume.record(`category:${c}`, at);
    if (account) volume.record(`account:${account}`, at);

    const rules: RuleHit[] = sorted.map((r) => ({ ruleId: r.def.id, category: r.def.category, weight: r.def.weight }));
    return {
      normalizedText: norm.text,
      lang,
      account,
      urls: norm.urls,
      handles: norm.handles,
      score: scored.score,
      level: scored.level,
      reasons: scored.reasons,
      rules,
      category,
      cluster,
    };
  }

  return {
    config,
    get liveClusters() {
      return clusters.size;
    },
    analyze,
    snapshot: (clusterId: string): ClusterSnapshot | null => clusters.snapshot(clusterId),
    restore: (snapshots: readonly ClusterSnapshot[]) => clusters.restore(snapshots),
    replaceRules(input: unknown): void {
      // Compiled aside and swapped in one assignment: analysis goes on with the old pack meanwhile.
      pack = new CompiledPack(validateRulePack(input));
    },
    spikes: (now: Date) => volume.spikes(now, (key) => key === `category:${PRAISE}` || key.startsWith(`rule:${PRAISE}/`)),
  };
}
