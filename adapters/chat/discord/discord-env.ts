import { z } from 'zod';
import { ErrorCode, VigieError } from '../../../src/core/errors.js';
import { describeIssues } from '../../../src/core/zod-issues.js';

const snowflake = z.string().regex(/^\d{15,21}$/, 'must be a Discord id (15 to 21 digits)');

/** Discord's variables, validated here rather than in the core environment: only this adapter reads them. */
export const discordEnvSchema = z.object({
  DISCORD_TOKEN: z.string().min(1),
  DISCORD_APPLICATION_ID: snowflake,
  /**
   * REST base without the version, e.g. http://127.0.0.1:4000/api for a local double
   * (discord.js appends `/v10/...`). The gateway URL is then whatever `GET /gateway/bot` answers.
   */
  DISCORD_API_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://127.0.0.1:4000/api' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /** The server whose roles and commands Vigie uses; `vigie discord register` installs commands there. */
  DISCORD_GUILD_ID: snowflake.optional(),
  /**
   * `false` when the privileged Message Content intent is not switched on in the Developer Portal
   * (Discord refuses a connection asking for it then); thread notes are not recorded without it.
   */
  DISCORD_MESSAGE_CONTENT: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
});

export type DiscordEnv = z.infer<typeof discordEnvSchema>;
/** What the schema accepts, for callers building the env by hand (tests, the CLI). */
export type DiscordEnvInput = z.input<typeof discordEnvSchema>;

/** Reads the Discord variables; the error names each bad variable and why. */
export function parseDiscordEnv(env: NodeJS.ProcessEnv = process.env): DiscordEnv {
  const clean = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => name.startsWith('DISCORD_') && value !== undefined && value !== ''),
  );
  const result = discordEnvSchema.safeParse(clean);
  if (!result.success) {
    throw new VigieError(ErrorCode.ConfigInvalid, `Discord environment: ${describeIssues(result.error).join('; ')}`);
  }
  return result.data;
}
