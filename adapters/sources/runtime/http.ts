import { ErrorCode, VigieError } from '../../../src/core/errors.js';

/** Largest response body read from a network API, so a broken proxy cannot fill the memory. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024; // 5 MiB

/** Reads a response body as text, refusing one larger than `max` bytes. */
export async function readBodyLimited(res: Response, max = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    throw new Error(`response of ${declared} bytes is larger than the ${max} allowed`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new Error(`response larger than the ${max} bytes allowed`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The coded error for a refused API call. The platform's own message stays in `cause` for the log:
 * it is never shown to a chat user as is.
 */
export async function platformError(res: Response, what: string): Promise<VigieError> {
  let detail = '';
  try {
    detail = (await readBodyLimited(res, 64 * 1024)).slice(0, 500);
  } catch {
    // The status alone says enough.
  }
  const cause = new Error(`HTTP ${res.status}: ${detail}`);
  if (res.status === 429) return new VigieError(ErrorCode.PlatformRateLimited, `${what}: rate limited`, { cause });
  if (res.status === 401 || res.status === 403) return new VigieError(ErrorCode.Forbidden, `${what}: not allowed (HTTP ${res.status})`, { cause });
  return new VigieError(ErrorCode.PlatformError, `${what}: HTTP ${res.status}`, { cause });
}

/** A URL for logs: no query string, which is where tokens travel (`access_token=`). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}
