import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: `X-Vigie-Timestamp: <unix seconds>` and
 * `X-Vigie-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. The timestamp is
 * inside the signed text and must be recent, so a captured request cannot be replayed later.
 */
export function signWebhook(secret: string, timestamp: number, body: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return `v1=${mac.digest('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: Buffer,
  nowMs: number,
  toleranceSeconds: number,
): SignatureCheck {
  if (!headers.timestamp || !headers.signature) return { ok: false, reason: 'missing X-Vigie-Timestamp or X-Vigie-Signature' };
  if (!/^\d{1,12}$/.test(headers.timestamp)) return { ok: false, reason: 'X-Vigie-Timestamp must be unix seconds' };
  const ts = Number(headers.timestamp);
  if (Math.abs(nowMs / 1000 - ts) > toleranceSeconds) return { ok: false, reason: 'timestamp too old or in the future (replay?)' };
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad signature' };
  return { ok: true };
}
