import { htmlToText } from '../mastodon/html-to-text.js';
import { child, childElements, localName, parseXml, textOf, type XmlElement } from './xml.js';

/** One feed entry, whatever the format (RSS 2.0, RSS 1.0/RDF, Atom). */
export interface FeedEntry {
  /** guid / atom:id / rdf:about, when the feed gives one. */
  id: string | null;
  link: string | null;
  title: string;
  /** Plain text: summary or description, HTML turned into text. */
  summary: string;
  author: string | null;
  published: string | null;
  lang: string | null;
}

export interface Feed {
  format: 'rss' | 'atom' | 'rdf';
  title: string;
  link: string | null;
  lang: string | null;
  entries: FeedEntry[];
}

/** Entries read from one document, at most (the newest are first in every format). */
export const MAX_ENTRIES = 500;

const trimOrNull = (s: string | undefined | null): string | null => {
  const t = s?.trim() ?? '';
  return t === '' ? null : t;
};

/** Atom text constructs: `type="html"` carries escaped HTML, `xhtml` real markup, `text` plain text. */
function atomText(el: XmlElement | undefined): string {
  if (!el) return '';
  const type = el.attrs.type ?? 'text';
  if (type === 'html' || type === 'xhtml' || type === 'text/html') return htmlToText(textOf(el));
  return textOf(el).trim();
}

function atomLink(el: XmlElement): string | null {
  const links = childElements(el, 'link');
  const alt = links.find((l) => (l.attrs.rel ?? 'alternate') === 'alternate') ?? links[0];
  return trimOrNull(alt?.attrs.href);
}

/** Parses a feed document; throws when it is not a feed. */
export function parseFeed(xml: string): Feed {
  const doc = parseXml(xml);
  const root = localName(doc.name);
  if (root === 'feed') return parseAtom(doc);
  if (root === 'rss') {
    const channel = child(doc, 'channel');
    if (!channel) throw new Error('RSS document without <channel>');
    return parseRss(channel, childElements(channel, 'item'), 'rss');
  }
  if (root === 'RDF') {
    const channel = child(doc, 'channel');
    if (!channel) throw new Error('RDF document without <channel>');
    return parseRss(channel, childElements(doc, 'item'), 'rdf');
  }
  throw new Error(`not a feed (root element <${doc.name}>)`);
}

function parseRss(channel: XmlElement, items: XmlElement[], format: 'rss' | 'rdf'): Feed {
  const lang = trimOrNull(textOf(child(channel, 'language'))) ?? trimOrNull(textOf(child(channel, 'dc:language')));
  return {
    format,
    title: htmlToText(textOf(child(channel, 'title'))),
    link: trimOrNull(textOf(childElements(channel, 'link').find((l) => !l.name.includes(':')))),
    lang,
    entries: items.slice(0, MAX_ENTRIES).map((item) => {
      const description = textOf(child(item, 'description')) || textOf(child(item, 'content:encoded'));
      return {
        id: trimOrNull(textOf(child(item, 'guid'))) ?? trimOrNull(item.attrs['rdf:about']),
        link: trimOrNull(textOf(childElements(item, 'link').find((l) => !l.name.includes(':')))),
        // Titles are text, but feeds commonly put escaped HTML in them.
        title: htmlToText(textOf(child(item, 'title'))),
        summary: htmlToText(description),
        author: trimOrNull(textOf(child(item, 'dc:creator'))) ?? trimOrNull(textOf(child(item, 'author'))),
        published: trimOrNull(textOf(child(item, 'pubDate'))) ?? trimOrNull(textOf(child(item, 'dc:date'))),
        lang: trimOrNull(textOf(child(item, 'dc:language'))),
      };
    }),
  };
}

function parseAtom(feed: XmlElement): Feed {
  const feedLang = trimOrNull(feed.attrs['xml:lang']);
  return {
    format: 'atom',
    title: atomText(child(feed, 'title')),
    link: atomLink(feed),
    lang: feedLang,
    entries: childElements(feed, 'entry')
      .slice(0, MAX_ENTRIES)
      .map((entry) => ({
        id: trimOrNull(textOf(child(entry, 'id'))),
        link: atomLink(entry),
        title: atomText(child(entry, 'title')),
        summary: atomText(child(entry, 'summary')) || atomText(child(entry, 'content')),
        author: trimOrNull(textOf(child(child(entry, 'author') ?? { name: '', attrs: {}, children: [] }, 'name'))),
        published: trimOrNull(textOf(child(entry, 'published'))) ?? trimOrNull(textOf(child(entry, 'updated'))),
        lang: trimOrNull(entry.attrs['xml:lang']) ?? feedLang,
      })),
  };
}
