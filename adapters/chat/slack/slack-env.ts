import { z } from 'zod';
import { ErrorCode, VigieError } from '../../../src/core/errors.js';
import { describeIssues } from '../../../src/core/zod-issues.js';

/** Slack's variables, validated here rather than in the core environment: only this adapter reads them. */
export const slackEnvSchema = z
  .object({
    // Token shapes are checked below, and only against the real Slack: a local double may issue any.
    SLACK_BOT_TOKEN: z.string().min(1),
    SLACK_APP_TOKEN: z.string().min(1).optional(),
    SLACK_MODE: z.enum(['socket', 'http']).default('socket'),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    /** Web API base (also used for Socket Mode's apps.connections.open), e.g. http://127.0.0.1:4000/api/ */
    SLACK_API_URL: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://127.0.0.1:4000/api/' })
      .transform((url) => (url.endsWith('/') ? url : `${url}/`))
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_API_URL === undefined) {
      if (!env.SLACK_BOT_TOKEN.startsWith('xoxb-')) ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'must be a bot token starting with xoxb-' });
      if (env.SLACK_APP_TOKEN !== undefined && !env.SLACK_APP_TOKEN.startsWith('xapp-')) {
        ctx.addIssue({ code: 'custom', path: ['SLACK_APP_TOKEN'], message: 'must be an app-level token starting with xapp-' });
      }
    }
    if (env.SLACK_MODE === 'socket' && env.SLACK_APP_TOKEN === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_APP_TOKEN'], message: 'required when SLACK_MODE is socket (the default)' });
    }
    if (env.SLACK_MODE === 'http' && env.SLACK_SIGNING_SECRET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'required when SLACK_MODE is http' });
    }
  });

export type SlackEnv = z.infer<typeof slackEnvSchema>;

/** Reads the Slack variables; the error names each bad variable and why. */
export function parseSlackEnv(env: NodeJS.ProcessEnv = process.env): SlackEnv {
  const clean = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => name.startsWith('SLACK_') && value !== undefined && value !== ''),
  );
  const result = slackEnvSchema.safeParse(clean);
  if (!result.success) {
    throw new VigieError(ErrorCode.ConfigInvalid, `Slack environment: ${describeIssues(result.error).join('; ')}`);
  }
  return result.data;
}
