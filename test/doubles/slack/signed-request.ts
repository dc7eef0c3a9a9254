import { createHmac } from 'node:crypto';

/** Slack's request signature: `v0=` + hex HMAC-SHA256(secret, `v0:${timestamp}:${body}`). */
export function slackSignature(secret: string, timestampSeconds: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
}

export interface SignedRequestOptions {
  secret: string;
  /** Seconds; defaults to now. An old value simulates a replay. */
  timestampSeconds?: number;
  /** Overrides the computed signature (to send a bad one). */
  signature?: string;
}

export type HttpPayload =
  | { kind: 'command'; fields: Record<string, string> }
  | { kind: 'interaction'; payload: Record<string, unknown> }
  | { kind: 'event'; body: Record<string, unknown> };

/** Encodes a payload the way Slack's HTTP delivery does: form fields, `payload=<json>`, or JSON. */
export function encodeHttpPayload(payload: HttpPayload): { body: string; contentType: string } {
  switch (payload.kind) {
    case 'command':
      return { body: new URLSearchParams(payload.fields).toString(), contentType: 'application/x-www-form-urlencoded' };
    case 'interaction':
      return { body: new URLSearchParams({ payload: JSON.stringify(payload.payload) }).toString(), contentType: 'application/x-www-form-urlencoded' };
    case 'event':
      return { body: JSON.stringify(payload.body), contentType: 'application/json' };
  }
}

/** POSTs a signed Slack request to `url` (e.g. http://127.0.0.1:PORT/slack/events). */
export async function sendSignedRequest(url: string, payload: HttpPayload, options: SignedRequestOptions): Promise<{ status: number; body: string }> {
  const { body, contentType } = encodeHttpPayload(payload);
  const ts = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': options.signature ?? slackSignature(options.secret, ts, body),
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}
