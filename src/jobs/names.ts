/** Job names, declared once: producers and handlers both import these, never retype the strings. */
export const JobName = {
  deliver: 'deliver',
  escalate: 'escalate',
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
