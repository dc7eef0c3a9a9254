import { z } from 'zod';
import { ErrorCode, VigieError } from '../../../src/core/errors.js';
import type { ReplyResult } from '../../../src/sources/port.js';
import { joinUrl, platformError, readBodyLimited } from '../runtime/http.js';
import { checkPayload } from '../runtime/payload.js';
import { POST_COLLECTION } from './jetstream-events.js';
import { postUrl } from './to-mention.js';

export const BLUESKY_REPLY_MAX_GRAPHEMES = 300;

export interface AtprotoClientOptions {
  /** The account's PDS (or the bsky.social entryway), where the session and the record are made. */
  serviceUrl: string;
  identifier: string;
  appPassword: string;
  fetch: typeof fetch;
  clock: () => Date;
}

const sessionSchema = z.looseObject({ accessJwt: z.string().min(1), did: z.string().startsWith('did:') });
const strongRef = z.looseObject({ uri: z.string().startsWith('at://'), cid: z.string().min(1) });
const getRecordSchema = z.looseObject({
  uri: z.string().startsWith('at://'),
  cid: z.string().min(1),
  value: z.looseObject({ reply: z.looseObject({ root: strongRef, parent: strongRef }).optional() }),
});
const createdSchema = strongRef;
const xrpcErrorSchema = z.looseObject({ error: z.string().optional() });

/** `at://did/app.bsky.feed.post/rkey` or `https://bsky.app/profile/<did>/post/<rkey>` → its parts. */
export function parsePostRef(ref: string): { did: string; rkey: string } | null {
  const at = /^at:\/\/(did:[a-z]+:[^/]+)\/app\.bsky\.feed\.post\/([^/?#]+)$/i.exec(ref);
  if (at) return { did: at[1]!, rkey: at[2]! };
  const web = /^https:\/\/bsky\.app\/profile\/(did(?::|%3A)[^/]+)\/post\/([^/?#]+)$/i.exec(ref);
  if (web) return { did: decodeURIComponent(web[1]!), rkey: decodeURIComponent(web[2]!) };
  return null;
}

function graphemes(text: string): number {
  let n = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) n++;
  return n;
}

/** Link facets so addresses in a reply are clickable (Bluesky does not detect them server-side). */
export function linkFacets(text: string): Array<Record<string, unknown>> {
  const facets: Array<Record<string, unknown>> = [];
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g)) {
    const byteStart = Buffer.byteLength(text.slice(0, m.index), 'utf8');
    const byteEnd = byteStart + Buffer.byteLength(m[0], 'utf8');
    facets.push({ index: { byteStart, byteEnd }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: m[0] }] });
  }
  return facets;
}

/**
 * The few AT Protocol calls a reply needs: a session from an app password, the parent post (its
 * cid, and its thread root), then the new post with `reply.root` / `reply.parent`.
 */
export class AtprotoClient {
  private session: z.output<typeof sessionSchema> | null = null;

  constructor(private readonly options: AtprotoClientOptions) {}

  async reply(inReplyTo: string, text: string): Promise<ReplyResult> {
    const ref = parsePostRef(inReplyTo);
    if (!ref) throw new VigieError(ErrorCode.InputInvalid, `not a Bluesky post: ${inReplyTo.slice(0, 200)}`);
    if (graphemes(text) > BLUESKY_REPLY_MAX_GRAPHEMES) {
      throw new VigieError(ErrorCode.InputInvalid, `a Bluesky reply is at most ${BLUESKY_REPLY_MAX_GRAPHEMES} characters`);
    }
    const parentQuery = new URLSearchParams({ repo: ref.did, collection: POST_COLLECTION, rkey: ref.rkey });
    const parent = await this.xrpc('GET', `com.atproto.repo.getRecord?${parentQuery}`, undefined, getRecordSchema, 'Bluesky: read the post replied to');
    const parentRef = { uri: parent.uri, cid: parent.cid };
    const root = parent.value.reply?.root ?? parentRef;
    const facets = linkFacets(text);
    const session = await this.ensureSession();
    const record = {
      $type: POST_COLLECTION,
      text,
      createdAt: this.options.clock().toISOString(),
      reply: { root: { uri: root.uri, cid: root.cid }, parent: parentRef },
      ...(facets.length > 0 ? { facets } : {}),
    };
    const created = await this.xrpc(
      'POST',
      'com.atproto.repo.createRecord',
      { repo: session.did, collection: POST_COLLECTION, record },
      createdSchema,
      'Bluesky: post the reply',
    );
    const rkey = created.uri.split('/').at(-1) ?? '';
    return { id: created.uri, url: postUrl(session.did, rkey) };
  }

  private async ensureSession(): Promise<z.output<typeof sessionSchema>> {
    if (this.session) return this.session;
    const res = await this.options.fetch(joinUrl(this.options.serviceUrl, '/xrpc/com.atproto.server.createSession'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: this.options.identifier, password: this.options.appPassword }),
    });
    if (!res.ok) throw await platformError(res, 'Bluesky: sign in with the app password');
    const parsed = checkPayload(JSON.parse(await readBodyLimited(res)), sessionSchema);
    if (!parsed.ok) throw new VigieError(ErrorCode.PlatformError, `Bluesky: unexpected session answer (${parsed.reason})`);
    this.session = parsed.value;
    return this.session;
  }

  /** One XRPC call with the session; an expired session is renewed once (sessions last about two hours). */
  private async xrpc<S extends z.ZodType>(method: 'GET' | 'POST', nsid: string, body: unknown, schema: S, what: string): Promise<z.output<S>> {
    for (let attempt = 0; ; attempt++) {
      const session = await this.ensureSession();
      const res = await this.options.fetch(joinUrl(this.options.serviceUrl, `/xrpc/${nsid}`), {
        method,
        headers: {
          authorization: `Bearer ${session.accessJwt}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (res.ok) {
        let json: unknown;
        try {
          json = JSON.parse(await readBodyLimited(res));
        } catch (cause) {
          throw new VigieError(ErrorCode.PlatformError, `${what}: unreadable answer`, { cause });
        }
        const parsed = checkPayload(json, schema);
        if (!parsed.ok) throw new VigieError(ErrorCode.PlatformError, `${what}: unexpected answer (${parsed.reason})`);
        return parsed.value;
      }
      if (attempt === 0 && (res.status === 401 || (res.status === 400 && (await expiredToken(res.clone()))))) {
        await res.body?.cancel();
        this.session = null;
        continue;
      }
      throw await platformError(res, what);
    }
  }
}

async function expiredToken(res: Response): Promise<boolean> {
  try {
    const parsed = xrpcErrorSchema.safeParse(JSON.parse(await readBodyLimited(res, 64 * 1024)));
    return parsed.success && (parsed.data.error === 'ExpiredToken' || parsed.data.error === 'InvalidToken');
  } catch {
    return false;
  }
}
