import { createHash } from 'node:crypto';
import { startHttp } from './http-util.js';

/**
 * A local web server for feeds: each path serves a document with a strong ETag and a
 * Last-Modified date, and answers 304 to a matching If-None-Match or If-Modified-Since.
 */
export interface FeedRequest {
  path: string;
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
  status: number;
}

export interface FeedDoubleOptions {
  /** Serve without ETag (Last-Modified only), as many CMSs do. */
  noEtag?: boolean;
}

export interface FeedDouble {
  origin: string;
  requests: FeedRequest[];
  /** Sets (or replaces) the document at `path`; a new version gets a new ETag and date. */
  serve(path: string, body: string, contentType?: string, lastModified?: Date): void;
  /** The next `n` requests to `path` get this status (429 with Retry-After: `retryAfter` seconds). */
  fail(path: string, n: number, status: number, retryAfter?: number): void;
  close(): Promise<void>;
}

export async function startFeedDouble(options: FeedDoubleOptions = {}): Promise<FeedDouble> {
  const docs = new Map<string, { body: string; type: string; etag: string; lastModified: string }>();
  const failures = new Map<string, { n: number; status: number; retryAfter: number | undefined }>();
  const requests: FeedRequest[] = [];
  const http = await startHttp((req, res, url) => {
    const ifNoneMatch = (req.headers['if-none-match'] as string | undefined) ?? null;
    const ifModifiedSince = (req.headers['if-modified-since'] as string | undefined) ?? null;
    const record = (status: number) => requests.push({ path: url.pathname, ifNoneMatch, ifModifiedSince, status });
    const failure = failures.get(url.pathname);
    if (failure && failure.n > 0) {
      failure.n--;
      record(failure.status);
      res.writeHead(failure.status, failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {});
      return void res.end('try later');
    }
    const doc = docs.get(url.pathname);
    if (!doc) {
      record(404);
      res.writeHead(404);
      return void res.end('not found');
    }
    const etagMatches = !options.noEtag && ifNoneMatch !== null && ifNoneMatch.split(',').some((t) => t.trim() === doc.etag);
    // RFC 9110: If-Modified-Since is ignored when If-None-Match is present.
    const notModifiedSince = ifNoneMatch === null && ifModifiedSince !== null && Date.parse(ifModifiedSince) >= Date.parse(doc.lastModified);
    if (etagMatches || notModifiedSince) {
      record(304);
      res.writeHead(304, options.noEtag ? {} : { etag: doc.etag });
      return void res.end();
    }
    record(200);
    res.writeHead(200, { 'content-type': doc.type, 'last-modified': doc.lastModified, ...(options.noEtag ? {} : { etag: doc.etag }) });
    res.end(doc.body);
  });
  let version = 0;
  return {
    origin: http.origin,
    requests,
    serve(path, body, contentType = 'application/rss+xml; charset=utf-8', lastModified) {
      version++;
      const etag = `"${createHash('sha1').update(`${version}:${body}`).digest('hex').slice(0, 16)}"`;
      const date = lastModified ?? new Date(Date.UTC(2026, 10, 28, 8, 0, version));
      docs.set(path, { body, type: contentType, etag, lastModified: date.toUTCString() });
    },
    fail(path, n, status, retryAfter) {
      failures.set(path, { n, status, retryAfter });
    },
    close: () => http.close(),
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface FeedItem {
  guid?: string;
  link?: string;
  title: string;
  description?: string;
  pubDate?: Date;
  author?: string;
}

/** An RSS 2.0 document (items newest first, as feeds list them). */
export function rssDocument(p: { title: string; link: string; language?: string; items: FeedItem[] }): string {
  const items = p.items
    .map(
      (i) => `<item>
  <title>${esc(i.title)}</title>
  ${i.link ? `<link>${esc(i.link)}</link>` : ''}
  ${i.guid ? `<guid isPermaLink="false">${esc(i.guid)}</guid>` : ''}
  ${i.description ? `<description><![CDATA[${i.description}]]></description>` : ''}
  ${i.pubDate ? `<pubDate>${i.pubDate.toUTCString()}</pubDate>` : ''}
  ${i.author ? `<dc:creator>${esc(i.author)}</dc:creator>` : ''}
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>${esc(p.title)}</title>
  <link>${esc(p.link)}</link>
  ${p.language ? `<language>${p.language}</language>` : ''}
  ${items}
</channel>
</rss>`;
}

/** An Atom document. `html` titles/summaries are escaped HTML, as Google Alerts sends them. */
export function atomDocument(p: { title: string; link: string; lang?: string; entries: Array<{ id: string; link: string; title: string; summary?: string; published?: Date; author?: string }> }): string {
  const entries = p.entries
    .map(
      (e) => `<entry>
  <id>${esc(e.id)}</id>
  <title type="html">${esc(e.title)}</title>
  <link href="${esc(e.link)}"/>
  ${e.published ? `<published>${e.published.toISOString()}</published>` : ''}
  <updated>${(e.published ?? new Date(0)).toISOString()}</updated>
  ${e.summary ? `<content type="html">${esc(e.summary)}</content>` : ''}
  ${e.author ? `<author><name>${esc(e.author)}</name></author>` : ''}
</entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"${p.lang ? ` xml:lang="${p.lang}"` : ''}>
  <id>tag:example,2026:feed</id>
  <title>${esc(p.title)}</title>
  <link href="${esc(p.link)}" rel="alternate"/>
  <updated>2026-11-28T08:00:00Z</updated>
  ${entries}
</feed>`;
}
