/** Job names, declared once: producers and handlers both import these, never retype the strings. */
export const JobName = {
  /** Sends the most urgent pending card or notice of one channel. */
  deliver: 'deliver',
  /** Re-renders every message of one ticket (coalesced per time window). */
  refreshCard: 'refresh-card',
  /** Re-enqueues deliveries the queue lost track of (crash between commit and enqueue). */
  deliverySweep: 'delivery-sweep',
  escalate: 'escalate',
  /** Re-reads the editorial calendar and warns about promotional posts during trouble. */
  holdsCheck: 'holds-check',
  digest: 'digest',
  snoozeWake: 'snooze-wake',
  ingestBatch: 'ingest-batch',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/** Queue names (BullMQ key segment); every job name above shares the one queue. */
export const QueueName = {
  main: 'vigie',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];
