import { ErrorCode, VigieError } from '../core/errors.js';
import { atLeast, type Level, levelRank } from '../core/levels.js';
import type { Mention } from '../mentions/mention.js';
import { describeIssue } from '../core/zod-issues.js';
import { LiveClusters } from './cluster/live-clusters.js';
import { HASHES, minhashInto } from './cluster/minhash.js';
import { linkKey, places } from './cluster/story-keys.js';
import { CompiledPack } from './match/compile-pack.js';
import { FilteredWordSet } from './match/word-filter.js';
import { guessLang } from './normalize/guess-lang.js';
import { containsPhrase } from './normalize/contains-phrase.js';
import { normalizeText, type NormalizedText } from './normalize/normalize-text.js';
import { lexiconKeys, NEGATIVE_WORDS, negativeWords } from './risk/negativity-lexicon.js';
import { byWeight, PRAISE, type Score, scoreMention, withReason } from './risk/score.js';
import { type RiskConfig, riskConfigSchema } from './risk-config.js';
import { validateRulePack } from './rule-pack.js';
import { applyTextModel } from './model/apply-model.js';
import { mentionContext } from './model/context.js';
import { parseTextModel, TextModel } from './model/text-model.js';
import { VolumeTracker } from './spikes/volume-tracker.js';
import type { CompiledRule } from './match/compile-pack.js';
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
  /**
   * A rule pack: from `loadRulePack` / `parseRulePack`, or plain data validated here; or a pack
   * compiled already (`new CompiledPack(pack)`), which engines in one process may share.
   */
  rules: unknown;
  /** The `risk` section of the configuration; defaults for everything missing. */
  risk?: unknown;
  accounts?: readonly EngineAccount[] | undefined;
  /**
   * A text model (`textModelSchema` data, e.g. the bundled `rules/default-model.json`, or a built
   * `TextModel`, which engines may share); none: rules alone.
   */
  model?: unknown;
}

const MINUTE_MS = 60_000;
/** The empty list of links, places, references or flags of a mention: shared, never written to. */
const NONE: never[] = [];
/** Handle without `@`, lowercase. */
const bare = (handle: string) => (handle.charCodeAt(0) === 64 ? handle.slice(1) : handle).toLowerCase();

/** Builds the veille engine: pure, deterministic, time only from `mention.createdAt` and arguments. */
export function createEngine(options: EngineOptions): Engine & { readonly config: RiskConfig; readonly liveClusters: number; readonly liveIndexKeys: number } {
  const parsedRisk = riskConfigSchema.safeParse(options.risk ?? {});
  if (!parsedRisk.success) {
    throw new VigieError(ErrorCode.ConfigInvalid, `risk: ${parsedRisk.error.issues.map((i) => describeIssue(i)).join('; ')}`);
  }
  const config = parsedRisk.data;
  // Compiled packs and built models hold no state of a mention once it is analysed (their scratch
  // is reset by each call), so engines that run one after another or side by side in one thread
  // can share them: a fresh engine then costs its live state, not a second of compiling.
  let pack = options.rules instanceof CompiledPack ? options.rules : new CompiledPack(validateRulePack(options.rules));
  const model = options.model === undefined || options.model === null ? null : options.model instanceof TextModel ? options.model : new TextModel(parseTextModel(options.model));

  const lexicon = new FilteredWordSet([...NEGATIVE_WORDS, ...lexiconKeys(config.negativity.extraWords)]);
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
  /** Bare handle → the first account with it (what a search of the list in order finds). */
  const accountByBare = new Map<string, (typeof accounts)[number]>();
  for (const a of accounts) if (!accountByBare.has(a.bare)) accountByBare.set(a.bare, a);
  const clusters = new LiveClusters({
    windowMs: config.cluster.windowMinutes * MINUTE_MS,
    velocityWindowMs: config.velocity.windowMinutes * MINUTE_MS,
    liveSetCap: config.cluster.liveSetCap,
    similarity: config.cluster.similarity,
    siteWindowMs: config.cluster.siteWindowMinutes * MINUTE_MS,
    raiseLevelAt: config.velocity.raiseLevelAt,
  });
  const siteCategories = new Set(config.cluster.siteCategories);
  const incidentCategories = new Set(config.cluster.incidentCategories);
  const volume = new VolumeTracker(config.spikes);
  // The live set copies the signatures it keeps, so one buffer serves every mention.
  const signature = new Uint32Array(HASHES);
  // Spike keys built once per rule, category and account rather than concatenated per mention.
  const ruleKeys = new Map<string, string>();
  const categoryKeys = new Map<string, string>();
  const accountKeys = new Map<string, string>();
  // Crisis sites and terms normalised once, not for every mention (the pipeline passes the same ones).
  const normalizedTerms = new Map<string, string>();
  const normalizedTerm = (term: string): string => {
    let text = normalizedTerms.get(term);
    if (text === undefined) {
      text = normalizeText(term).text;
      remember(normalizedTerms, term, text);
    }
    return text;
  };

  function resolveAccount(m: Mention, norm: NormalizedText, sorted: readonly CompiledRule[]): string | null {
    if (m.account) return m.account;
    for (const h of norm.handles) {
      const hit = accountByBare.get(h.toLowerCase());
      if (hit) return hit.handle;
    }
    for (const a of accounts) {
      for (const alias of a.aliases) if (containsPhrase(norm.text, alias)) return a.handle;
    }
    // A rule restricted to one account tells where the mention belongs: the first account of the
    // heaviest rule that names some.
    for (const r of sorted) {
      const first = r.def.accounts?.[0];
      if (first !== undefined) return first;
    }
    return null;
  }

  function onCrisis(norm: NormalizedText, account: string | null, crises: readonly OpenCrisisContext[]): boolean {
    if (crises.length === 0) return false;
    const site = account ? accountByBare.get(bare(account))?.site ?? null : null;
    for (const c of crises) {
      if (c.site !== null && (c.site === site || containsPhrase(norm.text, normalizedTerm(c.site)))) return true;
      for (const t of c.terms) {
        const term = normalizedTerm(t);
        if (term !== '' && containsPhrase(norm.text, term)) return true;
      }
    }
    return false;
  }

  function analyze(m: Mention, ctx: AnalyzeContext = {}): Analysis {
    const norm = normalizeText(m.text);
    const lang = m.lang ? m.lang.toLowerCase().slice(0, 2) : guessLang(norm.keys);
    const at = Date.parse(m.createdAt);
    const authorHandle = bare(m.author.handle);
    const matched = pack.match(norm.keys, {
      account: m.account ? bare(m.account) : null,
      authorHandle,
      authorId: m.author.id,
      lang,
      source: m.source.toLowerCase(),
    });
    const sorted = byWeight(matched);
    const main = sorted.find((r) => r.def.weight >= 0) ?? null;
    const category = main?.def.category ?? null;
    const account = resolveAccount(m, norm, sorted);

    // Most mentions share no link, name no place and reply to nothing: those lists are then the
    // shared empty one (the live set only reads them), three allocations fewer per mention.
    let links: string[] = NONE;
    for (const url of norm.urls) {
      const key = linkKey(url);
      if (key && !links.includes(key)) {
        if (links === NONE) links = [];
        links.push(key);
      }
    }
    const placeCategory = category !== null && incidentCategories.has(category) ? 'incident' : category;
    const placeKeys = placeCategory && placeCategory !== PRAISE ? places(norm.words).map((p) => `${account ?? ''}|${placeCategory}|${p}`) : NONE;
    let refs: string[] = NONE;
    if (typeof m.replyTo === 'string' || typeof m.repostOf === 'string' || typeof m.quoteOf === 'string') {
      refs = [];
      if (typeof m.replyTo === 'string') refs.push(`${m.source}:${m.replyTo}`);
      if (typeof m.repostOf === 'string') refs.push(`${m.source}:${m.repostOf}`);
      if (typeof m.quoteOf === 'string') refs.push(`${m.source}:${m.quoteOf}`);
    }
    const { live, isNew } = clusters.assign({
      key: `${m.source}:${m.id}`,
      at,
      author: m.author.handle,
      refs,
      links,
      signature: minhashInto(norm.keys, signature) ? signature : null,
      placeKeys,
      siteKey: account !== null && category !== null && siteCategories.has(category) ? `${account}|${category}` : null,
    });

    const listed = flagLists.get(authorHandle);
    const flags = listed ? [...(ctx.author?.flags ?? []), ...listed] : ctx.author?.flags ?? NONE;
    const byRules = scoreMention(
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
    const own = accountByBare.get(authorHandle);
    const context = model ? mentionContext(m, norm) : 0;
    const modelled = model
      ? applyTextModel(byRules, model.predict(norm.keys, context), (head, sign) => model.strongest(norm.keys, head, sign, context), config, config.textModel.liftOwnPosts || !own)
      : byRules;
    // The team's own service notices and replies ("trafic interrompu", "bus de remplacement") are
    // its own words: not a card. A serious one (high or above, an alert on the account) still is.
    const scored = own && config.quietOwnNotices && modelled.level === 'watch' ? ownNotice(modelled, own.handle, config) : modelled;
    const cluster = clusters.settle(live, isNew, at, scored.level, category);
    // A repost or quote passes the story on: it is at the story's level, however little it says
    // itself ("RT @x: …", "c'est vrai ça ??" over a bomb-alert post). So is our own reply in a
    // serious story: "nos équipes sont sur place" is part of the incident.
    const shared = isNew ? null : storyShare(m, own !== undefined, cluster.level, matched, config);
    const passed = shared && cluster.level !== 'none' && levelRank(cluster.level) > levelRank(scored.level) ? passedOn(scored, shared, cluster.level, config) : scored;
    // And a reply that says something inside a critical story is part of the emergency (the quiet
    // ones, thanks or jokes, stay as they are): high, not the story's critical, since it is not the alert.
    // (A new story at critical means this mention is critical itself, so no `isNew` test is needed.)
    const final = passed.level === 'watch' && shared === null && !own && cluster.level === 'critical' && typeof m.replyTo === 'string' && config.cluster.replyReportsInCriticalStoriesAreHigh
      ? raisedByStory(passed, 'high', 'reply in a critical story', config)
      : passed;

    for (const r of matched) volume.record(cachedKey(ruleKeys, 'rule:', r.name), at);
    for (let i = 0; i < matched.length; i++) {
      const c = matched[i]!.def.category;
      let first = true;
      for (let j = 0; j < i && first; j++) if (matched[j]!.def.category === c) first = false;
      if (first) volume.record(cachedKey(categoryKeys, 'category:', c), at);
    }
    if (account) volume.record(cachedKey(accountKeys, 'account:', account), at);

    const rules: RuleHit[] = sorted.map((r) => ({ ruleId: r.def.id, category: r.def.category, weight: r.def.weight }));
    return {
      normalizedText: norm.text,
      lang,
      account,
      urls: norm.urls,
      handles: norm.handles,
      score: final.score,
      level: final.level,
      reasons: final.reasons,
      rules,
      category,
      cluster,
    };
  }

  return {
    config,
    liveSetCap: config.cluster.liveSetCap,
    get liveClusters() {
      return clusters.size;
    },
    get liveIndexKeys() {
      return clusters.indexSize;
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

/** A watched account's own watch-level post kept just below a card, with the reason. */
function ownNotice(scored: Score, handle: string, config: RiskConfig): Score {
  const points = config.levels.watch - 1 - scored.score;
  return withReason(scored, { code: 'own-post', text: `posted by our own account ${handle} ${points}`, points }, config);
}

type Share = 'repost' | 'quote' | 'own-reply';

/** How each reason names the post: "quote of a critical story +75", "reply of ours in a high story +26". */
const SHARE_WORDS: Record<Share, string> = { repost: 'repost of', quote: 'quote of', 'own-reply': 'reply of ours in' };

/** How a mention that joined an existing story passes it on, if it does (then it takes the story's level). */
function storyShare(m: Mention, own: boolean, storyLevel: Level, matched: readonly CompiledRule[], config: RiskConfig): Share | null {
  if (config.cluster.sharesTakeStoryLevel) {
    if (typeof m.repostOf === 'string') return 'repost';
    if (typeof m.quoteOf === 'string') {
      const damping = config.cluster.dampingQuotesKeepOwnLevel && matched.some((r) => r.def.weight < 0);
      if (!damping) return 'quote';
    }
  }
  if (config.cluster.ownRepliesTakeStoryLevel && own && typeof m.replyTo === 'string' && atLeast(storyLevel, 'high')) return 'own-reply';
  return null;
}

/** A shared post raised to its story's level, with the reason. */
function passedOn(scored: Score, how: Share, level: Exclude<Level, 'none'>, config: RiskConfig): Score {
  return raisedByStory(scored, level, `${SHARE_WORDS[how]} a ${level} story`, config);
}

/** A mention raised to the bottom of `level` because of its story: "quote of a critical story +51". */
function raisedByStory(scored: Score, level: Exclude<Level, 'none'>, why: string, config: RiskConfig): Score {
  const points = config.levels[level] - scored.score;
  return withReason(scored, { code: 'story', text: `${why} +${points}`, points }, config);
}

/** `prefix + name`, built once for each name. */
function cachedKey(cache: Map<string, string>, prefix: string, name: string): string {
  let key = cache.get(name);
  if (key === undefined) {
    key = prefix + name;
    remember(cache, name, key);
  }
  return key;
}

/** Caches are bounded: names come from data (accounts, crisis terms), so they could grow without end. */
function remember(cache: Map<string, string>, key: string, value: string): void {
  if (cache.size >= 10_000) cache.clear();
  cache.set(key, value);
}
