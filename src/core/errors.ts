/** Stable error codes: logs, HTTP answers and tests key on these, never on messages. */
export const ErrorCode = {
  ConfigInvalid: 'config_invalid',
  InputInvalid: 'input_invalid',
  DatabaseUnavailable: 'database_unavailable',
  DatabaseLocked: 'database_locked',
  QueueUnavailable: 'queue_unavailable',
  Conflict: 'conflict',
  NotFound: 'not_found',
  Forbidden: 'forbidden',
  RuleSyntax: 'rule_syntax',
  TemplateInvalid: 'template_invalid',
  PlatformRateLimited: 'platform_rate_limited',
  PlatformError: 'platform_error',
  AuditBroken: 'audit_broken',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class VigieError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VigieError';
    this.code = code;
  }
}

export function isVigieError(err: unknown, code?: ErrorCode): err is VigieError {
  return err instanceof VigieError && (code === undefined || err.code === code);
}
