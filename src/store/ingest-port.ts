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

/**
 * What ingest needs from the store, inside its one transaction per batch. The Postgres/PGlite store
 * in adapters/db implements it; the pipeline never sees SQL or a driver.
 */
export interface IngestTx {
  /** Inserts mentions, skipping stored ones; answers `source:id` → row id of those inserted. */
  insertMentions(rows: readonly MentionRow[]): Promise<Map<string, number>>;
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

export interface IngestStore {
  /** Which of these `source:id` keys are already stored. */
  existingKeys(keys: ReadonlyArray<{ source: string; id: string }>): Promise<Set<string>>;
  /** Learned flags of these authors, `source:authorId` → flags. */
  authorFlags(keys: ReadonlyArray<{ source: string; authorId: string }>): Promise<Map<string, string[]>>;
  transaction<T>(work: (tx: IngestTx) => Promise<T>): Promise<T>;
}

/** What spike notices need: they are deliveries keyed per subject, hour and channel. */
export interface SpikeStore {
  existingDeliveryKeys(keys: readonly string[]): Promise<Set<string>>;
  addDeliveries(rows: readonly NewDelivery[]): Promise<DeliveryRow[]>;
}
