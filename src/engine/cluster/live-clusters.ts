import { type Level, levelRank, LEVELS, maxLevel } from '../../core/levels.js';
import type { ClusterSnapshot, ClusterState } from '../types.js';
import { insertAt, removeAt } from './array-edit.js';
import { BandIndex } from './band-index.js';
import { BANDS, bandHash, bandKey, bandOfKey, HASHES, similarity } from './minhash.js';
import { type Tally, tallyAdd, tallyDropSmallest, tallyEntries, tallyFrom, tallySize, tallyTop, tallyTopKeys } from './tally.js';

export interface ClusterOptions {
  windowMs: number;
  velocityWindowMs: number;
  liveSetCap: number;
  similarity: number;
  /** How long a story keeps taking mentions through its site key. */
  siteWindowMs: number;
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
  /** `account|category` for the categories told as one story per account (see `siteCategories`). */
  siteKey: string | null;
}

interface Live {
  id: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
  memberLevel: Level;
  categories: Tally;
  authors: Tally;
  recent: number[];
  /** Where its signature is in the shared signature array, or -1 (then see `oddSignature`). */
  signatureAt: number;
  /** A restored signature that is not HASHES long (from a foreign engine), kept as it came. */
  oddSignature: Uint32Array | null;
  /** Index entries pointing at this cluster, removed with it. */
  keys: (string | number)[];
  signaturesIndexed: number;
  /**
   * Whether a restored story took over one of its bands. Until then every band among its `keys` is
   * still its own (a band changes hands only when its story is dropped, or by `restore`), which
   * spares `snapshot` and `drop` a probe of the band index for each.
   */
  bandsTaken: boolean;
  /** Its number in the band index. */
  slot: number;
  /** Neighbours in the least-recently-touched order (`linked` while in it). */
  older: Live | null;
  newer: Live | null;
  linked: boolean;
}

const MAX_RECENT = 5_000;
/** Shared by new stories until they have a category or a time of their own: never written to. */
const NONE: never[] = [];
const MAX_AUTHORS = 20;
const MAX_SNAPSHOT_KEYS = 500;
/**
 * A storm's every member registers its id so replies find the story: past this many index keys, a
 * story forgets its oldest member ids (then links), down to half. Replies to those
 * old members still join through their text, and memory stays bounded by the live set, not by the
 * size of its biggest story.
 */
const MAX_KEYS = 4_000;
// Registering the bands of a few members lets a story drift a little in wording and still be found.
const MAX_INDEXED_SIGNATURES = 3;

interface Assignment {
  live: Live;
  isNew: boolean;
}

/**
 * The bounded live set of stories. A mention joins, in this order of evidence: the story of the
 * original it replies to / reposts / quotes, the story of a link it shares, a near-duplicate text,
 * a story of the same category at the same place, a story of a site category (security) about the
 * same account; else it starts one. Least recently touched stories
 * leave when the cap is reached; they stay in the database and can be warmed back with `restore`.
 */
export class LiveClusters {
  private readonly live = new Map<string, Live>();
  /** Reply, link and place keys (and any stored key that is not a band key) → their story. */
  private readonly byKey = new Map<string | number, Live>();
  /** Band keys → slot; `slots[slot]` is the story. */
  private readonly bands = new BandIndex();
  private readonly slots: (Live | undefined)[] = [];
  /** Signatures kept, HASHES numbers at `slot * HASHES`: one array rather than one per story. */
  private signatures = new Uint32Array(HASHES * 1_024);
  private readonly freeSlots: number[] = [];
  /** Least recently touched first: the eviction order, kept as a list so a touch hashes nothing. */
  /** Band hashes of the signature being assigned: computed once for `find` and `add`. */
  private readonly bandHashes = new Uint32Array(BANDS);
  private oldest: Live | null = null;
  private newest: Live | null = null;

  constructor(private readonly options: ClusterOptions) {}

  get size(): number {
    return this.live.size;
  }

  /** Index entries held for live stories (reply, link, place, site keys and bands): a memory gauge. */
  get indexSize(): number {
    return this.byKey.size + this.bands.size;
  }

  assign(f: StoryFeatures): Assignment {
    if (f.signature) for (let b = 0; b < BANDS; b++) this.bandHashes[b] = bandHash(f.signature, b);
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
    for (const link of f.links) {
      const c = this.byKey.get(`l:${link}`);
      if (c !== undefined && Math.abs(f.at - c.lastSeen) <= windowMs) return c;
    }
    const sig = f.signature;
    if (sig) {
      for (let b = 0; b < BANDS; b++) {
        const slot = this.bands.get(b, this.bandHashes[b]!);
        if (slot < 0) continue;
        const c = this.slots[slot]!;
        if (Math.abs(f.at - c.lastSeen) <= windowMs && this.hasSignature(c) && this.similarity(c, sig) >= this.options.similarity) return c;
      }
    }
    for (const place of f.placeKeys) {
      const c = this.byKey.get(`p:${place}`);
      if (c !== undefined && Math.abs(f.at - c.lastSeen) <= windowMs) return c;
    }
    if (f.siteKey !== null) {
      const c = this.byKey.get(`s:${f.siteKey}`);
      if (c !== undefined && Math.abs(f.at - c.lastSeen) <= this.options.siteWindowMs) return c;
    }
    return null;
  }

  private create(f: StoryFeatures): Live {
    // Most stories never get a category, and `add` gives the new one its own `recent`: both start
    // as the shared empty array rather than two allocations for nothing (a story is long-lived).
    const live = this.newLive(f.key, f.at, f.at, 0, 'none', NONE, [], NONE, 0);
    if (f.signature) this.keepSignature(live, f.signature);
    return live;
  }

  private keepSignature(live: Live, sig: Uint32Array): void {
    if (sig.length !== HASHES) {
      live.oddSignature = Uint32Array.from(sig);
      return;
    }
    const at = live.slot * HASHES;
    if (at + HASHES > this.signatures.length) {
      const grown = new Uint32Array(Math.max(this.signatures.length * 2, at + HASHES));
      grown.set(this.signatures);
      this.signatures = grown;
    }
    this.signatures.set(sig, at);
    live.signatureAt = at;
  }

  private hasSignature(live: Live): boolean {
    return live.signatureAt >= 0 || live.oddSignature !== null;
  }

  /** Estimated similarity of a story's signature with `sig` (it has one). */
  private similarity(live: Live, sig: ArrayLike<number>): number {
    const at = live.signatureAt;
    if (at < 0) return live.oddSignature ? similarity(live.oddSignature, sig) : 0;
    const all = this.signatures;
    let same = 0;
    for (let k = 0; k < HASHES; k++) if (all[at + k] === sig[k]) same++;
    return same / HASHES;
  }

  private signatureOf(live: Live): number[] | null {
    if (live.oddSignature) return [...live.oddSignature];
    if (live.signatureAt < 0) return null;
    // Sized once (a push loop reallocated it twice on the way to twenty numbers).
    const out = new Array<number>(HASHES);
    for (let k = 0; k < HASHES; k++) out[k] = this.signatures[live.signatureAt + k]!;
    return out;
  }

  private newLive(
    id: string,
    firstSeen: number,
    lastSeen: number,
    count: number,
    memberLevel: Level,
    categories: Tally,
    authors: Tally,
    recent: number[],
    signaturesIndexed: number,
  ): Live {
    const slot = this.freeSlots.pop() ?? this.slots.length;
    const live: Live = {
      id,
      firstSeen,
      lastSeen,
      count,
      memberLevel,
      categories,
      authors,
      recent,
      signatureAt: -1,
      oddSignature: null,
      keys: [],
      signaturesIndexed,
      bandsTaken: false,
      slot,
      older: null,
      newer: null,
      linked: false,
    };
    this.slots[slot] = live;
    return live;
  }

  /** The story an index key points at. */
  private owner(key: string | number): Live | undefined {
    if (typeof key === 'number') {
      const b = bandOfKey(key);
      if (b >= 0) {
        const slot = this.bands.get(b, key - b * 0x1_0000_0000);
        return slot < 0 ? undefined : this.slots[slot];
      }
    }
    return this.byKey.get(key);
  }

  /** Whether index key `key` of `live.keys` still points at `live`. */
  private owns(live: Live, key: string | number): boolean {
    if (typeof key === 'number' && !live.bandsTaken && bandOfKey(key) >= 0) return true;
    return this.owner(key) === live;
  }

  private index(live: Live, key: string | number, replace: boolean): void {
    if (typeof key === 'number') {
      const b = bandOfKey(key);
      if (b >= 0) {
        this.indexBand(live, b, key - b * 0x1_0000_0000, replace);
        return;
      }
    }
    const current = this.byKey.get(key);
    if (current === live) return;
    if (current && !replace) return;
    this.byKey.set(key, live);
    live.keys.push(key);
  }

  private indexBand(live: Live, b: number, hash: number, replace: boolean): void {
    const current = this.bands.get(b, hash);
    if (current === live.slot) return;
    if (current >= 0 && !replace) return;
    if (current >= 0) this.slots[current]!.bandsTaken = true;
    this.bands.set(b, hash, live.slot);
    live.keys.push(bandKey(b, hash));
  }

  private add(live: Live, f: StoryFeatures, joined: boolean): void {
    live.count++;
    if (f.at < live.firstSeen) live.firstSeen = f.at;
    if (f.at > live.lastSeen) live.lastSeen = f.at;
    tallyAdd(live.authors, f.author);
    if (tallySize(live.authors) > MAX_AUTHORS) tallyDropSmallest(live.authors);
    // A new story's first time: an exact one-element array rather than a push that reserves sixteen.
    if (live.recent === NONE) live.recent = [f.at];
    else insertSorted(live.recent, f.at);
    // Keep only the velocity window behind the latest mention (and a hard cap for a storm).
    const horizon = live.recent[live.recent.length - 1]! - this.options.velocityWindowMs;
    const drop = Math.max(lowerBound(live.recent, horizon), live.recent.length - MAX_RECENT);
    if (drop > 0) removeAt(live.recent, 0, drop);
    // The mention's own id: replies to it will look for it. Newer evidence wins for shared keys.
    this.index(live, `r:${f.key}`, true);
    for (const link of f.links) this.index(live, `l:${link}`, true);
    for (const place of f.placeKeys) this.index(live, `p:${place}`, true);
    if (f.siteKey !== null) this.index(live, `s:${f.siteKey}`, true);
    if (f.signature && (!joined || live.signaturesIndexed < MAX_INDEXED_SIGNATURES)) {
      if (!this.hasSignature(live)) this.keepSignature(live, f.signature);
      live.signaturesIndexed++;
      // A band another story registered first stays that story's; a free one is this story's.
      for (let b = 0; b < BANDS; b++) {
        const hash = this.bandHashes[b]!;
        if (this.bands.claim(b, hash, live.slot) < 0) live.keys.push(bandKey(b, hash));
      }
    }
    if (live.keys.length > MAX_KEYS) this.compactKeys(live);
  }

  /**
   * Drops keys other stories took over, then the oldest member ids beyond half the cap, then the
   * oldest links. Place, site and band keys are few and say what the story is about: they stay.
   */
  private compactKeys(live: Live): void {
    let keys = live.keys.filter((key) => this.owns(live, key));
    for (const prefix of ['r:', 'l:']) {
      let excess = keys.length - MAX_KEYS / 2;
      if (excess <= 0) break;
      keys = keys.filter((key) => {
        if (excess <= 0 || typeof key !== 'string' || !key.startsWith(prefix)) return true;
        this.byKey.delete(key);
        excess--;
        return false;
      });
    }
    live.keys = keys;
  }

  /** Records the member's level and category once it is scored, and returns the cluster's state. */
  settle(live: Live, isNew: boolean, at: number, level: Level, category: string | null): ClusterState {
    live.memberLevel = maxLevel(live.memberLevel, level);
    if (category) {
      if (live.categories === NONE) live.categories = [];
      tallyAdd(live.categories, category);
    }
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
      category: tallyTop(live.categories),
      topAuthors: tallyTopKeys(live.authors, 5),
    };
  }

  private levelOf(live: Live, recentCount: number): Level {
    const rank = levelRank(live.memberLevel);
    // A fast-growing story is worse than its worst member, but speed alone does not make a risk.
    if (rank > 0 && rank < LEVELS.length - 1 && recentCount >= this.options.raiseLevelAt) return LEVELS[rank + 1]!;
    return live.memberLevel;
  }

  /** Makes `live` the most recently touched story (and the one `snapshot` finds under its id). */
  private touch(live: Live): void {
    if (live.linked) {
      if (this.newest !== live) {
        this.unlink(live);
        this.append(live);
      }
      return;
    }
    // A story with the id of another live one (the same mention seen twice) takes its place under
    // that id; the other stays reachable through its keys but is no longer in the live set.
    const other = this.live.get(live.id);
    if (other) this.unlink(other);
    this.live.set(live.id, live);
    this.append(live);
  }

  private append(live: Live): void {
    live.older = this.newest;
    live.newer = null;
    if (this.newest) this.newest.newer = live;
    else this.oldest = live;
    this.newest = live;
    live.linked = true;
  }

  private unlink(live: Live): void {
    if (live.older) live.older.newer = live.newer;
    else this.oldest = live.newer;
    if (live.newer) live.newer.older = live.older;
    else this.newest = live.older;
    live.older = null;
    live.newer = null;
    live.linked = false;
  }

  private evict(): void {
    while (this.live.size > this.options.liveSetCap && this.oldest) this.drop(this.oldest);
  }

  private drop(live: Live): void {
    this.live.delete(live.id);
    this.unlink(live);
    for (const key of live.keys) {
      if (!this.owns(live, key)) continue;
      if (typeof key === 'number' && bandOfKey(key) >= 0) {
        const b = bandOfKey(key);
        this.bands.delete(b, key - b * 0x1_0000_0000);
      } else this.byKey.delete(key);
    }
    this.slots[live.slot] = undefined;
    this.freeSlots.push(live.slot);
  }

  snapshot(id: string): ClusterSnapshot | null {
    const live = this.live.get(id);
    if (!live) return null;
    // What `state` would say at its last mention, without the parts a snapshot does not keep.
    const level = this.levelOf(live, this.recentCount(live, live.lastSeen));
    const signature: LiveSignature = {
      v: 1,
      sig: this.signatureOf(live),
      // The latest keys only: a storm's thousands of member ids would bloat the stored row.
      keys: this.latestKeys(live, MAX_SNAPSHOT_KEYS),
      recent: live.recent,
      authors: tallyEntries(live.authors),
      categories: tallyEntries(live.categories),
      memberLevel: live.memberLevel,
    };
    return { id, firstSeen: new Date(live.firstSeen), lastSeen: new Date(live.lastSeen), count: live.count, level, category: tallyTop(live.categories), signature };
  }

  /** The last `max` keys still pointing at `live`, in the order they were registered. */
  private latestKeys(live: Live, max: number): (string | number)[] {
    const out: (string | number)[] = [];
    for (let i = live.keys.length - 1; i >= 0 && out.length < max; i--) {
      const k = live.keys[i]!;
      if (this.owns(live, k)) out.push(k);
    }
    return out.reverse();
  }

  restore(snapshots: readonly ClusterSnapshot[]): void {
    // Oldest first, so the most recent stories are the last to be evicted.
    const ordered = [...snapshots].sort((a, b) => a.lastSeen.getTime() - b.lastSeen.getTime());
    for (const s of ordered) {
      const sig = readSignature(s.signature);
      const existing = this.live.get(s.id);
      if (existing) this.drop(existing);
      const live = this.newLive(
        s.id,
        s.firstSeen.getTime(),
        s.lastSeen.getTime(),
        s.count,
        sig?.memberLevel ?? s.level,
        tallyFrom(sig?.categories ?? (s.category ? [[s.category, 1]] : [])),
        tallyFrom(sig?.authors ?? []),
        [...(sig?.recent ?? [])].sort((a, b) => a - b),
        sig?.sig ? 1 : 0,
      );
      if (sig?.sig) this.keepSignature(live, Uint32Array.from(sig.sig));
      this.touch(live);
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
  else insertAt(list, upperBound(list, t), t);
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
