import { pino } from 'pino';

export type Logger = pino.Logger;

/** Paths whose values never reach a log line. */
const REDACT = [
  'token',
  'secret',
  'password',
  '*.token',
  '*.secret',
  '*.password',
  'headers.authorization',
  'headers["x-slack-signature"]',
  'env.SLACK_BOT_TOKEN',
  'env.SLACK_APP_TOKEN',
  'env.SLACK_SIGNING_SECRET',
  'env.DISCORD_TOKEN',
  'env.WEBHOOK_SECRET',
  'env.DATABASE_URL',
  'env.REDIS_URL',
];

export interface LoggerOptions {
  level?: string;
  /** Pretty output for a person at a terminal; JSON lines otherwise. */
  pretty?: boolean;
  /** Where log lines go; defaults to stderr so stdout stays free for the console chat and CLI output. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const pretty = options.pretty ?? (process.stderr.isTTY === true && process.env.LOG_FORMAT !== 'json');
  if (pretty) {
    return pino({
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  const dest = options.destination ?? pino.destination({ fd: 2, sync: false });
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, dest as pino.DestinationStream);
}

/** A logger that drops everything, for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
