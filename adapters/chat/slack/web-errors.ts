import { webApi } from '@slack/bolt';
import { AmbiguousDeliveryError, PlatformRateLimitError } from '../../../src/chat/port.js';
import { ErrorCode, VigieError } from '../../../src/core/errors.js';

/**
 * Translates a Web API failure into the port's errors: 429 → PlatformRateLimitError (the worker waits
 * Retry-After), a network error, timeout or 5xx after the request may have left → AmbiguousDeliveryError
 * (the worker calls `find` before posting again), anything else → VigieError(platform_error).
 */
export function translateWebError(method: string, err: unknown): Error {
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return new PlatformRateLimitError(Math.max(0, err.retryAfter) * 1_000, { cause: err });
  }
  if (err instanceof webApi.WebAPIRequestError) {
    return new AmbiguousDeliveryError(`slack ${method}: no answer (${err.original.message})`, { cause: err });
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    if (err.statusCode >= 500) return new AmbiguousDeliveryError(`slack ${method}: HTTP ${err.statusCode}`, { cause: err });
    return new VigieError(ErrorCode.PlatformError, `slack ${method}: HTTP ${err.statusCode}`, { cause: err });
  }
  if (err instanceof webApi.WebAPIPlatformError) {
    // Slack answers `ok:false, error:"ratelimited"` on some surfaces instead of a 429.
    if (err.data.error === 'ratelimited') return new PlatformRateLimitError(1_000, { cause: err });
    return new VigieError(ErrorCode.PlatformError, `slack ${method}: ${err.data.error}`, { cause: err });
  }
  return new VigieError(ErrorCode.PlatformError, `slack ${method}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** Runs a Web API call and translates its failure. */
export async function callSlack<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw translateWebError(method, err);
  }
}
