import type { Level } from '../core/levels.js';
import type { Mention } from '../mentions/mention.js';

/**
 * The contract between the pipeline and the veille engine. The engine is pure core code: no I/O, a
 * clock only through `now` arguments. Everything the pipeline knows from the database (author flags,
 * open crises, live clusters) comes in through these types.
 */

export interface RuleHit {
  ruleId: string;
  category: string;
  weight: number;
}

export interface Reason {
  /** Stable key, e.g. `rule`, `reach`, `velocity`, `negativity`, `crisis`, `author-flag`, `account`. */
  code: string;
  /** Words for a person: "rule security/bomb-alert +60". */
  text: string;
  points: number;
}

export interface AuthorContext {
  /** press, elected, institution, politicised, troll… from configured lists and past decisions. */
  flags: readonly string[];
}

export interface OpenCrisisContext {
  id: string;
  /** Normalised terms; a mention containing one of them (or on `site`) is "on this subject". */
  terms: readonly string[];
  site: string | null;
}

export interface AnalyzeContext {
  author?: AuthorContext | undefined;
  openCrises?: readonly OpenCrisisContext[] | undefined;
}

export interface ClusterState {
  id: string;
  isNew: boolean;
  /** Mentions in the cluster including this one. */
  count: number;
  /** Mentions in the last 10 minutes. */
  recentCount: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Highest member level, raised by velocity. */
  level: Level;
  /** Category most represented, if any rule matched. */
  category: string | null;
  /** Most frequent author handles, most frequent first (at most five). */
  topAuthors?: string[];
}

export interface Analysis {
  normalizedText: string;
  lang: string;
  /** Account resolved from the mention or, when absent, from the rules / handles in the text. */
  account: string | null;
  urls: string[];
  handles: string[];
  score: number;
  level: Level;
  reasons: Reason[];
  rules: RuleHit[];
  /** Main category (the heaviest rule's), or null. */
  category: string | null;
  cluster: ClusterState;
}

export interface ClusterSnapshot {
  id: string;
  firstSeen: Date;
  lastSeen: Date;
  count: number;
  level: Level;
  category: string | null;
  /** Engine-owned opaque fingerprint data (signatures, link keys…), stored as JSON by the pipeline. */
  signature: unknown;
}

export interface Spike {
  /** e.g. `rule:disruption/strike`, `category:disruption`, `account:@MetroVille` */
  key: string;
  currentCount: number;
  baselinePerHour: number;
  ratio: number;
  level: Level;
  text: string;
}

export interface Engine {
  /**
   * How many clusters stay joinable in memory (least recently touched leave first): state a caller
   * keeps per live cluster needs no more room than this.
   */
  readonly liveSetCap: number;
  /** Scores a mention and assigns it to a cluster (mutating the live set). Deterministic. */
  analyze(mention: Mention, ctx?: AnalyzeContext): Analysis;
  /** Live-cluster fingerprint to persist with the cluster, so a restart can warm the live set. */
  snapshot(clusterId: string): ClusterSnapshot | null;
  /** Warms the live set from the database after a restart. */
  restore(clusters: readonly ClusterSnapshot[]): void;
  /** Swaps the rule pack without stopping analysis; throws a coded error if the pack is invalid. */
  replaceRules(pack: unknown): void;
  /** Current spikes (weak signals) at `now`. */
  spikes(now: Date): Spike[];
}
