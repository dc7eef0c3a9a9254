import { FIELDS, type FieldName } from './ast.js';
import { RuleSyntaxError, type QueryOrigin } from './syntax-error.js';

export type Token =
  | { kind: '(' | ')' | 'AND' | 'OR' | 'NOT' | 'EOF'; at: number }
  | { kind: 'NEAR'; distance: number; ordered: boolean; at: number }
  | { kind: 'WORD' | 'PHRASE'; text: string; at: number }
  | { kind: 'FIELD'; field: FieldName; value: string; at: number }
  | { kind: 'LIST'; name: string; at: number };

export const MAX_NEAR = 50;
const FIELD_SET = new Set<string>(FIELDS);
const SPACE = /\s/;

/** Splits a query into tokens. Operators are UPPERCASE only, so `or` and `not` stay plain words. */
export function lex(query: string, origin?: QueryOrigin): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch, at: i });
      i++;
      continue;
    }
    if (ch === '"' || ch === '“' || ch === '«') {
      const close = ch === '"' ? '"' : ch === '“' ? '”' : '»';
      const end = query.indexOf(close, i + 1);
      if (end === -1) throw new RuleSyntaxError(query, i, 'this quote is never closed', origin);
      tokens.push({ kind: 'PHRASE', text: query.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < query.length && !SPACE.test(query[end]!) && !'()"“«'.includes(query[end]!)) end++;
    const word = query.slice(i, end);
    tokens.push(classify(query, word, i, origin));
    i = end;
  }
  tokens.push({ kind: 'EOF', at: query.length });
  return tokens;
}

function classify(query: string, word: string, at: number, origin?: QueryOrigin): Token {
  if (word === 'AND' || word === 'OR' || word === 'NOT') return { kind: word, at };
  if (word === '&&') return { kind: 'AND', at };
  if (word === '||') return { kind: 'OR', at };
  // NEAR/n: within n words, either order. BEFORE/n: the left side first ("pas de" BEFORE/2
  // bousculade is a denial; "bousculade, pas de blessés" is not).
  // (BEFORE came later: only `BEFORE` and `BEFORE/…` are the operator, so an older pack's `BEFOREHAND` stays a word.)
  const op = word.startsWith('NEAR') ? 'NEAR' : word === 'BEFORE' || word.startsWith('BEFORE/') ? 'BEFORE' : null;
  if (op) {
    const m = /^[A-Z]+\/(\d+)$/.exec(word);
    if (!m) throw new RuleSyntaxError(query, at, `${op} needs a distance, e.g. ${op}/3`, origin);
    const distance = Number(m[1]);
    if (distance < 1 || distance > MAX_NEAR) throw new RuleSyntaxError(query, at, `${op} distance must be between 1 and ${MAX_NEAR}`, origin);
    return { kind: 'NEAR', distance, ordered: op === 'BEFORE', at };
  }
  if (word.startsWith('$')) {
    const name = word.slice(1);
    if (!/^[a-z][a-z0-9_-]*$/i.test(name)) throw new RuleSyntaxError(query, at, 'a list name is letters, digits, "-" or "_" after "$"', origin);
    return { kind: 'LIST', name, at };
  }
  const field = /^([a-z]+):(.*)$/i.exec(word);
  if (field) {
    const name = field[1]!.toLowerCase();
    if (!FIELD_SET.has(name)) throw new RuleSyntaxError(query, at, `unknown field "${name}:" (use ${FIELDS.map((f) => `${f}:`).join(', ')})`, origin);
    const value = field[2]!;
    if (value === '') throw new RuleSyntaxError(query, at + word.length, `"${name}:" needs a value`, origin);
    return { kind: 'FIELD', field: name as FieldName, value, at };
  }
  return { kind: 'WORD', text: word, at };
}
