import { z } from 'zod';
import { VigieError, ErrorCode } from '../core/errors.js';
import { describeIssues } from '../core/zod-issues.js';

/** Secrets and URLs: only from the environment. Platform variables are validated by each adapter. */
export const envSchema = z.object({
  VIGIE_CONFIG: z.string().min(1).optional(),
  VIGIE_DATA_DIR: z.string().min(1).default('.vigie'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Accepted clock skew of signed webhook requests, in seconds. */
  WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().positive().default(300),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  /** Which chat platforms to start; default: those whose credentials are set, else the console. */
  VIGIE_CHAT: z.string().optional(),
});

export type VigieEnv = z.infer<typeof envSchema>;

export function parseEnv(env: NodeJS.ProcessEnv = process.env): VigieEnv {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(clean);
  if (!result.success) {
    throw new VigieError(ErrorCode.ConfigInvalid, `environment: ${describeIssues(result.error).join('; ')}`);
  }
  return result.data;
}
