import { z } from 'zod';

/** X API v2 payloads (https://docs.x.com/x-api/posts/filtered-stream), the fields a mention needs. */
export const xUserSchema = z.looseObject({
  id: z.string().min(1),
  username: z.string().min(1),
  name: z.string().optional(),
  verified: z.boolean().optional(),
  description: z.string().optional(),
  public_metrics: z.looseObject({ followers_count: z.number().int().nonnegative() }).optional(),
});

export const xTweetSchema = z.looseObject({
  id: z.string().regex(/^\d{1,25}$/, 'a numeric id'),
  text: z.string().max(50_000),
  author_id: z.string().optional(),
  created_at: z.string().optional(),
  lang: z.string().optional(),
  note_tweet: z.looseObject({ text: z.string() }).optional(),
  referenced_tweets: z.array(z.looseObject({ type: z.string(), id: z.string() })).optional(),
});
export type XTweet = z.output<typeof xTweetSchema>;
export type XUser = z.output<typeof xUserSchema>;

/** One line of the stream: a post with its expansions, or errors (e.g. an operational disconnect). */
export const xPostLineSchema = z.looseObject({
  data: xTweetSchema,
  includes: z.looseObject({ users: z.array(xUserSchema).optional() }).optional(),
  matching_rules: z.array(z.looseObject({ id: z.union([z.string(), z.number()]), tag: z.string().optional() })).optional(),
});
export const xErrorLineSchema = z.looseObject({
  data: z.undefined().optional(),
  errors: z.array(z.looseObject({ title: z.string().optional(), detail: z.string().optional() })).min(1),
});

export const xRuleSchema = z.looseObject({ id: z.string(), value: z.string(), tag: z.string().optional() });
export const xRulesListSchema = z.looseObject({ data: z.array(xRuleSchema).optional() });
export const xRulesChangeSchema = z.looseObject({
  data: z.array(xRuleSchema).optional(),
  errors: z.array(z.looseObject({ value: z.string().optional(), title: z.string().optional(), details: z.array(z.string()).optional() })).optional(),
});
export const xPostedSchema = z.looseObject({ data: z.looseObject({ id: z.string().min(1) }) });

export const STREAM_FIELDS = {
  'tweet.fields': 'created_at,lang,author_id,referenced_tweets,conversation_id,note_tweet',
  expansions: 'author_id',
  'user.fields': 'username,name,public_metrics,verified,description',
} as const;
