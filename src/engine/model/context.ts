import type { NormalizedText } from '../normalize/normalize-text.js';

/**
 * What a mention's words alone do not say, as features the text model weighs beside them: it names
 * someone with an @, it asks a question, it replies to someone. "So you're sending 70,000 people to a
 * station with one exit? Brilliant." names no incident, but said to the metro's account, as a
 * question, it is a complaint worth a look; the same words between friends are not.
 *
 * None depends on the configuration (which accounts are watched, what the source fills in), so a
 * model trained here reads another organisation's mentions the same way. Features that did
 * ("about one of our accounts") measured a little better on our own sets and clearly worse when the
 * handles were someone else's.
 *
 * A bit set, so scoring builds nothing per mention; `CONTEXT_FEATURES[i]` names bit `1 << i`.
 */
export const CONTEXT_FEATURES = ['c:handle', 'c:question', 'c:reply'] as const;

const HANDLE = 1;
const QUESTION = 2;
const REPLY = 4;

/** How reasons show a context feature. */
export const CONTEXT_LABELS: Readonly<Record<(typeof CONTEXT_FEATURES)[number], string>> = {
  'c:handle': 'names someone',
  'c:question': 'a question',
  'c:reply': 'a reply',
};

export interface ContextInput {
  text: string;
  replyTo?: string | null | undefined;
}

/** The context bits of a mention; `norm` is its normalised text. */
export function mentionContext(m: ContextInput, norm: NormalizedText): number {
  let bits = 0;
  if (norm.handles.length > 0) bits |= HANDLE;
  if (asksQuestion(m.text, norm.urls)) bits |= QUESTION;
  if (typeof m.replyTo === 'string' && m.replyTo !== '') bits |= REPLY;
  return bits;
}

/**
 * A question mark in the original text (normalisation drops punctuation; the full-width one too)
 * that is not part of a link: `https://x.com/p/1?s=20` is how shared posts look, not a question.
 */
function asksQuestion(text: string, urls: readonly string[]): boolean {
  let marks = count(text, '?') + count(text, '\uFF1F');
  if (marks === 0) return false;
  for (const url of urls) marks -= count(url, '?');
  return marks > 0;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}
