import { z } from 'zod';

/**
 * Jetstream's JSON events (https://github.com/bluesky-social/jetstream): every event has `did`,
 * `time_us` (the cursor) and `kind`; commits carry the record as the author's repo stored it.
 */
export const envelopeSchema = z.looseObject({
  did: z.string().startsWith('did:').max(2_048),
  time_us: z.number().int().positive(),
  kind: z.string(),
});

export const commitEventSchema = z.looseObject({
  did: z.string(),
  time_us: z.number(),
  kind: z.literal('commit'),
  commit: z.looseObject({
    rev: z.string().optional(),
    operation: z.enum(['create', 'update', 'delete']),
    collection: z.string().min(1),
    rkey: z.string().min(1).max(512),
    record: z.unknown().optional(),
    cid: z.string().optional(),
  }),
});

export const identityEventSchema = z.looseObject({
  did: z.string(),
  time_us: z.number(),
  kind: z.literal('identity'),
  identity: z.looseObject({ did: z.string(), handle: z.string().min(1).max(253).optional() }),
});

const strongRef = z.looseObject({ uri: z.string().startsWith('at://'), cid: z.string() });

const facetSchema = z.looseObject({
  index: z.looseObject({ byteStart: z.number().int().nonnegative(), byteEnd: z.number().int().nonnegative() }),
  features: z.array(z.looseObject({ $type: z.string().optional(), uri: z.string().optional() })),
});

export const postRecordSchema = z.looseObject({
  text: z.string().max(100_000),
  createdAt: z.string(),
  langs: z.array(z.string()).max(10).optional(),
  reply: z.looseObject({ root: strongRef, parent: strongRef }).optional(),
  embed: z.looseObject({ $type: z.string() }).optional(),
  facets: z.array(facetSchema).max(1_000).optional(),
});
export type PostRecord = z.output<typeof postRecordSchema>;

/** `app.bsky.embed.record` (a quote) and `recordWithMedia` (a quote with pictures). */
export const quoteEmbedSchema = z.union([
  z.looseObject({ $type: z.literal('app.bsky.embed.record'), record: strongRef }),
  z.looseObject({ $type: z.literal('app.bsky.embed.recordWithMedia'), record: z.looseObject({ record: strongRef }) }),
]);

export const externalEmbedSchema = z.looseObject({
  $type: z.literal('app.bsky.embed.external'),
  external: z.looseObject({ uri: z.string(), title: z.string().optional() }),
});

export const POST_COLLECTION = 'app.bsky.feed.post';
