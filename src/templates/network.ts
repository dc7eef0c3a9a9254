/** Where a reply goes, and what each network counts against its limit. */
export const NETWORKS = ['x', 'bluesky', 'mastodon', 'generic'] as const;
export type Network = (typeof NETWORKS)[number];

export const NETWORK_LIMITS: Readonly<Record<Network, number | null>> = {
  x: 280,
  bluesky: 300, // graphemes
  mastodon: 500,
  generic: null,
};

/** Maps a mention's `source` to the network its replies go to. */
export function networkOfSource(source: string): Network {
  const s = source.toLowerCase();
  if (s === 'twitter' || s === 'x') return 'x';
  if (s === 'bluesky' || s === 'bsky' || s === 'jetstream') return 'bluesky';
  if (s === 'mastodon' || s === 'fediverse') return 'mastodon';
  return 'generic';
}

const URL = /https?:\/\/[^\s<>"]+/g;
/** X and Mastodon count every link as 23 characters whatever its length (t.co / Mastodon's rule). */
const LINK_WEIGHT = 23;

let segmenter: Intl.Segmenter | undefined;
function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

const EMOJI = /\p{Extended_Pictographic}/u;

/** X's weighting (twitter-text v3): Latin and common punctuation weigh 1, the rest (CJK, emoji) 2. */
function xWeight(grapheme: string): number {
  if (EMOJI.test(grapheme)) return 2;
  const code = grapheme.codePointAt(0) ?? 0;
  const light = code <= 4351 || (code >= 8192 && code <= 8205) || (code >= 8208 && code <= 8223) || (code >= 8242 && code <= 8247);
  return light ? 1 : 2;
}

/** The length of a text as the network counts it. */
export function networkLength(text: string, network: Network): number {
  switch (network) {
    case 'x': {
      let links = 0;
      const rest = text.replace(URL, () => {
        links++;
        return '';
      });
      return links * LINK_WEIGHT + graphemes(rest).reduce((n, g) => n + xWeight(g), 0);
    }
    case 'mastodon': {
      let links = 0;
      const rest = text.replace(URL, () => {
        links++;
        return '';
      });
      return links * LINK_WEIGHT + [...rest].length;
    }
    case 'bluesky':
      return graphemes(text).length;
    case 'generic':
      return [...text].length;
  }
}
