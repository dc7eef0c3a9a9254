import { type Level, levelRank, LEVELS, maxLevel } from '../../core/levels.js';
import type { ClusterSnapshot, ClusterState } from '../types.js';
import { bandKeys, similarity } from './minhash.js';

export interface ClusterOptions {
  windowMs: number;
  velocityWindowMs: number;
  liveSetCap: number;
  similarity: number;
  /** Mentions in the velocity window that raise a cluster one level. */
  raiseLevelAt: number;
}

/** What the engine knows of a mention when it places it in a story. */
export interface StoryFeatures {
  key: string;
  at: number;
  author: string;
  /** `source:id` of the originals it replies to, reposts or quotes. */
  refs: string[];
  links: string[];
  signature: Uint32Array | null;
  /** `category|place` keys (only for mentions a rule put in a category). */
  placeKeys: string[];
}

interface Live {
  id: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
  memberLevel: Level;
  categories: Map<string, number>;
  authors: Map<string, number>;
  recent: number[];
  signature: Uint32Array | null;
  /** Index entries pointing at this cluster, removed with it. */
  keys: (string | number)[];
  signaturesIndexed: number;
}

const MAX_RECENT = 5_000;
const MAX_AUTHORS = 20;
const MAX_SNAPSHOT_KEYS = 500;
// Registering the bands of a few members lets a story drift a little in wording and still be found.
const MAX_INDEXED_SIGNATURES = 3;

interface Assignment {
  live: Live;
  isNew: boolean;
}

/**
 * The bounded live set of stories. A mention joins, in this order of evidence: the story of the
 * original it replies to / reposts / quotes, the story of a link it shares, a near-duplicate text,
 * a story of the same category at the same place; else it starts one. Least recently touched stories
 * leave when the cap is reached; they stay in the database and can be warmed back with `restore`.
 */
export class LiveClusters {
  private readonly live = new Map<string, Live>();
  private readonly byKey = new Map<string | number, Live>();

  constructor(private readonly options: ClusterOptions) {}

  get size(): number {
    return this.live.size;
  }

  assign(f: StoryFeatures): Assignment {
    const found = this.find(f);
    const live = found ?? this.create(f);
    this.touch(live);
    this.add(live, f, found !== null);
    this.evict();
    return { live, isNew: found === null };
  }

  private find(f: StoryFeatures): Live | null {
    for (const ref of f.refs) {
      const c = this.byKey.get(`r:${ref}`);
      if (c) return c;
    }
    const { windowMs } = this.options;
    const fresh = (c: Live | undefined): c is Live => c !== undefined && Math.abs(f.at - c.lastSeen) <= windowMs;
    for (const link of f.links) {
      const c = this.byKey.get(`l:${link}`);
      if (fresh(c)) return c;
    }
    if (f.signature) {
      for (const band of bandKeys(f.signature)) {
        const c = this.byKey.get(band);
        if (fresh(c) && c.signature && similarity(c.signature, f.signature) >= this.options.similarity) return c;
      }
    }
    for (const place of f.placeKeys) {
      const c = this.byKey.get(`p:${place}`);
      if (fresh(c)) return c;
    }
    return null;
  }

  private create(f: StoryFeatures): Live {
    return {
      id: f.key,
      firstSeen: f.at,
      lastSeen: f.at,
      count: 0,
      memberLevel: 'none',
      categories: new Map(),
      authors: new Map(),
      recent: [],
      signature: f.signature,
      keys: [],
      signaturesIndexed: 0,
    };
  }

  private index(live: Live, key: string | number, replace: boolean): void {
    const current = this.byKey.get(key);
    if (current === live) return;
    if (current && !replace) return;
    this.byKey.set(key, live);
    live.keys.push(key);
  }

  private add(live: Live, f: StoryFeatures, joined: boolean): void {
    live.count++;
    if (f.at < live.firstSeen) live.firstSeen = f.at;
    if (f.at > live.lastSeen) live.lastSeen = f.at;
    live.authors.set(f.author, (live.authors.get(f.author) ?? 0) + 1);
    if (live.authors.size > MAX_AUTHORS) dropSmallest(live.authors);
    insertSorted(live.recent, f.at);
    // Keep only the velocity window behind the latest mention (and a hard cap for a storm).
    const horizon = live.recent[live.recent.length - 1]! - this.options.velocityWindowMs;
    const drop = Math.max(lowerBound(live.recent, horizon), live.recent.length - MAX_RECENT);
    if (drop > 0) live.recent.splice(0, drop);
    // The mention's own id: replies to it will look for it. Newer evidence wins for shared keys.
    this.index(live, `r:${f.key}`, true);
    for (const link of f.links) this.index(live, `l:${link}`, true);
    for (const place of f.placeKeys) this.index(live, `p:${place}`, true);
    if (f.signature && (!joined || live.signaturesIndexed < MAX_INDEXED_SIGNATURES)) {
      live.signature ??= f.signature;
      live.signaturesIndexed++;
      for (const band of bandKeys(f.signature)) this.index(live, band, false);
    }
  }

  /** Records the member's level and category once it is scored, and returns the cluster's state. */
  settle(live: Live, isNew: boolean, at: number, level: Level, category: string | null): ClusterState {
    live.memberLevel = maxLevel(live.memberLevel, level);
    if (category) live.categories.set(category, (live.categories.get(category) ?? 0) + 1);
    return this.state(live, isNew, at);
  }

  /** Mentions of the cluster in the velocity window ending at `at`. */
  recentCount(live: Live, at: number): number {
    const recent = live.recent;
    return upperBound(recent, at) - lowerBound(recent, at - this.options.velocityWindowMs);
  }

  private state(live: Live, isNew: boolean, at: number): ClusterState {
    const recentCount = this.recentCount(live, at);
    return {
      id: live.id,
      isNew,
      count: live.count,
      recentCount,
      firstSeen: new Date(live.firstSeen),
      lastSeen: new Date(live.lastSeen),
      level: this.levelOf(live, recentCount),
      category: topKey(live.categories),
      topAuthors: [...live.authors.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([handle]) => handle),
    };
  }

  private levelOf(live: Live, recentCount: number): Level {
    const rank = levelRank(live.memberLevel);
    // A fast-growing story is worse than its worst member, but speed alone does not make a risk.
    if (rank > 0 && rank < LEVELS.length - 1 && recentCount >= this.options.raiseLevelAt) return LEVELS[rank + 1]!;
    return live.memberLevel;
  }

  private touch(live: Live): void {
    this.live.delete(live.id);
    this.live.set(live.id, live);
  }

  private evict(): void {
    while (this.live.size > this.options.liveSetCap) {
      const oldest = this.live.values().next().value as Live;
      this.drop(oldest);
    }
  }

  private drop(live: Live): void {
    this.live.delete(live.id);
    for (const key of live.keys) if (this.byKey.get(key) === live) this.byKey.delete(key);
  }

  snapshot(id: string): ClusterSnapshot | null {
    const live = this.live.get(id);
    if (!live) return null;
    const state = this.state(live, false, live.lastSeen);
    const signature: LiveSignature = {
      v: 1,
      sig: live.signature ? [...live.signature] : null,
      // The latest keys only: a storm's thousands of member ids would bloat the stored row.
      keys: live.keys.filter((k) => this.byKey.get(k) === live).slice(-MAX_SNAPSHOT_KEYS),
      recent: live.recent,
      authors: [...live.authors.entries()],
      categories: [...live.categories.entries()],
      memberLevel: live.memberLevel,
    };
    return { id, firstSeen: state.firstSeen, lastSeen: state.lastSeen, count: live.count, level: state.level, category: state.category, signature };
  }

  restore(snapshots: readonly ClusterSnapshot[]): void {
    // Oldest first, so the most recent stories are the last to be evicted.
    const ordered = [...snapshots].sort((a, b) => a.lastSeen.getTime() - b.lastSeen.getTime());
    for (const s of ordered) {
      const sig = readSignature(s.signature);
      const existing = this.live.get(s.id);
      if (existing) this.drop(existing);
      const live: Live = {
        id: s.id,
        firstSeen: s.firstSeen.getTime(),
        lastSeen: s.lastSeen.getTime(),
        count: s.count,
        memberLevel: sig?.memberLevel ?? s.level,
        categories: new Map(sig?.categories ?? (s.category ? [[s.category, 1]] : [])),
        authors: new Map(sig?.authors ?? []),
        recent: [...(sig?.recent ?? [])].sort((a, b) => a - b),
        signature: sig?.sig ? Uint32Array.from(sig.sig) : null,
        keys: [],
        signaturesIndexed: sig?.sig ? 1 : 0,
      };
      this.live.set(s.id, live);
      this.index(live, `r:${s.id}`, false);
      for (const key of sig?.keys ?? []) this.index(live, key, true);
    }
    this.evict();
  }
}

/** What `snapshot` stores as the opaque `signature` of a cluster. */
interface LiveSignature {
  v: 1;
  sig: number[] | null;
  keys: (string | number)[];
  recent: number[];
  authors: [string, number][];
  categories: [string, number][];
  memberLevel: Level;
}

function readSignature(raw: unknown): LiveSignature | null {
  // Stored JSON from an older or foreign engine is ignored rather than trusted: the cluster still
  // comes back, it just cannot attract near-duplicates until its next member.
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return null;
  const s = raw as Partial<LiveSignature>;
  const numbers = (a: unknown): a is number[] => Array.isArray(a) && a.every((x) => typeof x === 'number');
  const pairs = (a: unknown): a is [string, number][] => Array.isArray(a) && a.every((p) => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'number');
  if (!(s.sig === null || numbers(s.sig)) || !numbers(s.recent) || !pairs(s.authors) || !pairs(s.categories)) return null;
  if (!Array.isArray(s.keys) || !s.keys.every((k) => typeof k === 'string' || typeof k === 'number')) return null;
  return { v: 1, sig: s.sig, keys: s.keys, recent: s.recent, authors: s.authors, categories: s.categories, memberLevel: LEVELS.includes(s.memberLevel as Level) ? (s.memberLevel as Level) : 'none' };
}

/** Timestamps are kept sorted: mentions mostly arrive in order, so this is usually a push. */
function insertSorted(list: number[], t: number): void {
  if (list.length === 0 || list[list.length - 1]! <= t) list.push(t);
  else list.splice(upperBound(list, t), 0, t);
}

/** First index whose value is >= t. */
function lowerBound(list: readonly number[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > t. */
function upperBound(list: readonly number[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function topKey(counts: Map<string, number>): string | null {
  let best: string | null = null;
  let max = 0;
  for (const [k, n] of counts) {
    if (n > max) {
      best = k;
      max = n;
    }
  }
  return best;
}

function dropSmallest(counts: Map<string, number>): void {
  let min = Number.POSITIVE_INFINITY;
  let key: string | undefined;
  for (const [k, n] of counts) {
    if (n < min) {
      min = n;
      key = k;
    }
  }
  if (key !== undefined) counts.delete(key);
}
