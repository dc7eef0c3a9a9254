/**
 * What a person changed in a rendered template before approving it, word by word. Stored with the
 * approval so a reviewer sees at a glance whether the approved language was followed.
 */
export interface TemplateEdit {
  /** e.g. `"15 min" → "30 min"; +"Merci de votre patience."` (capped at 300 characters). */
  summary: string;
  hunks: Array<{ removed: string; added: string }>;
  wordsRemoved: number;
  wordsAdded: number;
  /** Share of the template's words that were removed or replaced, 0–1, rounded to 2 decimals. */
  changedShare: number;
}

const SUMMARY_MAX = 300;
// Beyond this the quadratic table gets costly; replies are at most 500 characters anyway.
const MAX_WORDS = 1_500;

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

/** Null when the final text is the rendered text (whitespace aside). */
export function diffAgainstTemplate(rendered: string, finalText: string): TemplateEdit | null {
  const a = words(rendered);
  const b = words(finalText);
  if (a.length === b.length && a.every((w, i) => w === b[i])) return null;
  const hunks = a.length > MAX_WORDS || b.length > MAX_WORDS ? [{ removed: a.join(' '), added: b.join(' ') }] : wordHunks(a, b);
  const wordsRemoved = hunks.reduce((n, h) => n + words(h.removed).length, 0);
  const wordsAdded = hunks.reduce((n, h) => n + words(h.added).length, 0);
  return {
    summary: summarise(hunks),
    hunks,
    wordsRemoved,
    wordsAdded,
    changedShare: a.length === 0 ? 1 : Math.round((Math.min(wordsRemoved, a.length) / a.length) * 100) / 100,
  };
}

/** Longest common subsequence on words, then runs of non-common words grouped into hunks. */
function wordHunks(a: string[], b: string[]): Array<{ removed: string; added: string }> {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const hunks: Array<{ removed: string; added: string }> = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    if (removed.length > 0 || added.length > 0) hunks.push({ removed: removed.join(' '), added: added.join(' ') });
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      i++;
      j++;
    } else if (j < m && (i === n || table[i]![j + 1]! >= table[i + 1]![j]!)) {
      added.push(b[j]!);
      j++;
    } else {
      removed.push(a[i]!);
      i++;
    }
  }
  flush();
  return hunks;
}

function quote(text: string): string {
  return `"${text.length > 60 ? `${text.slice(0, 59)}…` : text}"`;
}

function summarise(hunks: ReadonlyArray<{ removed: string; added: string }>): string {
  const parts = hunks.map((h) => (h.removed === '' ? `+${quote(h.added)}` : h.added === '' ? `-${quote(h.removed)}` : `${quote(h.removed)} → ${quote(h.added)}`));
  let out = '';
  for (let k = 0; k < parts.length; k++) {
    const next = out === '' ? parts[k]! : `${out}; ${parts[k]}`;
    if (next.length > SUMMARY_MAX - 12) return `${out}; +${parts.length - k} more`;
    out = next;
  }
  return out;
}
