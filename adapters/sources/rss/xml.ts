import { decodeEntities } from '../mastodon/html-to-text.js';

/**
 * A small, safe XML reader for feeds: elements, attributes, text and CDATA. It never expands
 * entities declared in a DOCTYPE (no XXE, no "billion laughs"), only XML's five and numeric
 * references, and it caps depth and size. Feeds in the wild are often not well-formed, so a stray
 * close tag closes up to its match instead of failing.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export const XML_LIMITS = {
  maxDepth: 64,
  maxNodes: 200_000,
} as const;

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's own entities and numeric references; anything else (HTML names, DTD entities) stays as written. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/gi, (whole, body: string) => {
    if (body[0] !== '#') return XML_ENTITIES[body.toLowerCase()] ?? whole;
    return decodeEntities(whole);
  });
}

const ATTR = /([^\s=/>]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

export class XmlError extends Error {}

export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  let nodes = 0;
  let i = 0;
  const top = () => stack[stack.length - 1]!;
  const addText = (t: string) => {
    if (t === '') return;
    const children = top().children;
    const last = children[children.length - 1];
    if (typeof last === 'string') children[children.length - 1] = last + t;
    else children.push(t);
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt === -1) {
      addText(decodeXmlText(text.slice(i)));
      break;
    }
    if (lt > i) addText(decodeXmlText(text.slice(i, lt)));
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      i = end === -1 ? text.length : end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      addText(text.slice(lt + 9, end === -1 ? text.length : end));
      i = end === -1 ? text.length : end + 3;
    } else if (text.startsWith('<!', lt)) {
      // DOCTYPE (with an optional [internal subset]): skipped whole, its entities are never used.
      let j = lt + 2;
      let bracket = 0;
      while (j < text.length) {
        const ch = text[j];
        if (ch === '[') bracket++;
        else if (ch === ']') bracket--;
        else if (ch === '>' && bracket <= 0) break;
        j++;
      }
      i = j + 1;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (text[lt + 1] === '/') {
      const end = text.indexOf('>', lt);
      const name = text.slice(lt + 2, end === -1 ? text.length : end).trim();
      const at = stack.map((e) => e.name).lastIndexOf(name);
      if (at > 0) stack.length = at;
      i = end === -1 ? text.length : end + 1;
    } else {
      const end = findTagEnd(text, lt + 1);
      if (end === -1) break;
      let inner = text.slice(lt + 1, end);
      const selfClosing = inner.endsWith('/');
      if (selfClosing) inner = inner.slice(0, -1);
      const nameMatch = /^[^\s/>]+/.exec(inner);
      if (!nameMatch) {
        addText('<');
        i = lt + 1;
        continue;
      }
      if (++nodes > XML_LIMITS.maxNodes) throw new XmlError(`more than ${XML_LIMITS.maxNodes} elements`);
      const el: XmlElement = { name: nameMatch[0], attrs: {}, children: [] };
      for (const m of inner.slice(nameMatch[0].length).matchAll(ATTR)) {
        el.attrs[m[1]!] = decodeXmlText(m[2] ?? m[3] ?? m[4] ?? '');
      }
      top().children.push(el);
      if (!selfClosing) {
        if (stack.length > XML_LIMITS.maxDepth) throw new XmlError(`elements nested deeper than ${XML_LIMITS.maxDepth}`);
        stack.push(el);
      }
      i = end + 1;
    }
  }
  const doc = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!doc) throw new XmlError('no XML element found');
  return doc;
}

/** The `>` closing a start tag, skipping quoted attribute values (which may contain `>`). */
function findTagEnd(text: string, from: number): number {
  let quote: string | null = null;
  for (let j = from; j < text.length; j++) {
    const ch = text[j]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return j;
  }
  return -1;
}

/** Local name, without the namespace prefix (`dc:creator` → `creator`). */
export function localName(name: string): string {
  const c = name.indexOf(':');
  return c === -1 ? name : name.slice(c + 1);
}

export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name || (!name.includes(':') && localName(c.name) === name)));
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return childElements(el, name)[0];
}

/** All text inside an element (for XHTML content, the tags' text too). */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}
