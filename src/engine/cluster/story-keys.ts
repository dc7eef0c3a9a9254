/**
 * Keys that tie a mention to a story besides its text: links it shares and the place it names.
 */

const TRACKING = /^(utm_|fbclid$|gclid$|igshid$|s$|t$|ref$|si$)/;

/**
 * A link's identity: host without `www.`, path without trailing slash, tracking parameters dropped.
 * Bare home pages are not a story (everybody links to ratp.fr), so they give no key.
 */
export function linkKey(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const path = u.pathname.replace(/\/+$/, '');
  if (path === '' || path === '/') return null;
  const params = [...u.searchParams.entries()].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => a.localeCompare(b));
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : '';
  return `${u.hostname.replace(/^www\./, '').toLowerCase()}${path}${query}`;
}

const LINE_WORDS = new Set(['ligne', 'line', 'metro', 'tram', 'rer', 'bus', 'transilien', 'train']);
const SITE_WORDS = new Set(['terminal', 'aerogare', 'gare', 'station', 'porte', 'gate', 'hall', 'quai', 'platform']);
const FILLERS = new Set(['de', 'du', 'des', 'la', 'le', 'l', 'd', 'of', 'the', 'a', 'n', 'no', 'numero']);
const TERMINAL = /^t[1-9][a-g]?$/;

/** Places named in the text, as words: `ligne 13`, `terminal 2e`, `gare lyon`. */
export function places(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (TERMINAL.test(w)) {
      out.push(`terminal ${w.slice(1)}`);
      continue;
    }
    const line = LINE_WORDS.has(w);
    if (!line && !SITE_WORDS.has(w)) continue;
    let j = i + 1;
    while (j < words.length && FILLERS.has(words[j]!)) j++;
    const next = words[j];
    if (next === undefined) continue;
    // A line is a number or a letter (ligne 13, RER B); a site is any word (gare de Lyon).
    if (line ? /^(\d{1,3}[a-z]?|[a-z])$/.test(next) : !LINE_WORDS.has(next)) out.push(`${w === 'line' || w === 'metro' ? 'ligne' : w} ${next}`);
  }
  return out;
}
