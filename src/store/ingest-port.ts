import type {
  AuthorDelta,
  ClusterDelta,
  ClusterRow,
  DecisionInput,
  DecisionRow,
  DeliveryRow,
  MentionRow,
  NewDelivery,
  NewTicket,
  TicketRow,
  VolumeDelta,
} from './types.js';
import type { Mention } from '../mentions/mention.js';

/**
 * What ingest needs from the store, inside its one transaction per batch. The Postgres/PGlite store
 * in adapters/db implements it; the pipeline never sees SQL or a driver.
 */
export interface IngestTx {
  /**
   * Inserts prepared mentions, skipping stored ones; answers the rows it stored: the prepared
   * `rows` array itself when it stored them all (the usual case).
   */
  insertMentions(mentions: MentionBatch): Promise<readonly MentionRow[]>;
  /** Adds deltas to their clusters (creating rows as needed); answers the clusters as they now are. */
  upsertClusters(deltas: ReadonlyArray<ClusterDelta & { headMentionId: number | null }>): Promise<Array<Omit<ClusterRow, 'signature'>>>;
  upsertAuthors(deltas: readonly AuthorDelta[]): Promise<void>;
  addVolume(deltas: readonly VolumeDelta[]): Promise<void>;
  ticketsByCluster(clusterIds: readonly string[]): Promise<TicketRow[]>;
  /** Creates tickets; a cluster that already has one (another worker won) is skipped. */
  insertTickets(rows: readonly NewTicket[]): Promise<TicketRow[]>;
  setTicketLevel(ticketId: number, level: string): Promise<void>;
  updateTicket(ticketId: number, patch: Partial<Omit<TicketRow, 'id' | 'version'>>): Promise<TicketRow>;
  appendDecision(input: DecisionInput): Promise<DecisionRow>;
  addDeliveries(rows: readonly NewDelivery[]): Promise<DeliveryRow[]>;
}

/** Mention rows for the store's bulk write, each encoded as it is added (see IngestStore.mentionBatch). */
export interface MentionBatch {
  add(row: MentionRow): void;
  readonly rows: readonly MentionRow[];
}

export interface IngestStore {
  /**
   * A batch for `insertMentions`. Rows are encoded as they are added, so that work is done while
   * mentions are scored, in small slices, rather than in the transaction.
   */
  mentionBatch(): MentionBatch;
  /**
   * What a batch needs before it is scored, in one round trip: which of these mentions are stored
   * (`source:id`), the learned flags of their authors (`source:authorId` → flags), and ids for `count`
   * new mentions. The ids are taken before the transaction, so that rows can be encoded while the
   * previous batch is being written; ids of mentions that end up not stored are simply unused.
   */
  batchReads(
    mentions: ReadonlyArray<{ source: string; id: string; author: { id: string } }>,
    count: number,
  ): Promise<{ existing: Set<string>; flags: Map<string, string[]>; ids: number[] }>;
  transaction<T>(work: (tx: IngestTx) => Promise<T>): Promise<T>;
}

/** Mentions waiting for the ingesting process (see src/pipeline/ingest-lead.ts). */
export interface InboxStore {
  existingKeys(keys: ReadonlyArray<{ source: string; id: string }>): Promise<Set<string>>;
  queueMentions(mentions: readonly Mention[]): Promise<void>;
  /** The oldest waiting mentions, as stored (to be checked again). */
  takeInbox(limit: number): Promise<Array<{ id: number; mention: unknown }>>;
  clearInbox(ids: readonly number[]): Promise<void>;
}

/** What spike notices need: they are deliveries keyed per subject, hour and channel. */
export interface SpikeStore {
  existingDeliveryKeys(keys: readonly string[]): Promise<Set<string>>;
  addDeliveries(rows: readonly NewDelivery[]): Promise<DeliveryRow[]>;
}
