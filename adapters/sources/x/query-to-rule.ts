/**
 * Watch-rule queries → X filtered-stream rules, where the meaning carries over. The watch language
 * (AND / space, OR, NOT, parentheses, "phrases", suffix wildcards, NEAR/n, account:/author:/lang:/
 * source: fields, $lists) is read by a small tokenizer of its own here, so this adapter does not
 * depend on the engine's parser.
 *
 * What X cannot express makes the whole rule untranslatable (null): wildcards, NEAR, lists,
 * `account:` (decided by Vigie, not by X), a negated AND group, and rules with no standalone
 * operator (X refuses `lang:fr` or `-foo` alone). X matches accents exactly while Vigie ignores them,
 * so an accented word is sent with its unaccented form too (`(grève OR greve)`): the stream may bring
 * a little more than the rule matches, never less; Vigie matches again locally anyway.
 */

type Token =
  | { kind: '(' | ')' | 'AND' | 'OR' | 'NOT' | 'NEAR' | 'END' }
  | { kind: 'WORD' | 'PHRASE'; text: string }
  | { kind: 'FIELD'; field: string; value: string }
  | { kind: 'LIST' };

type Node =
  | { type: 'or' | 'and'; items: Node[] }
  | { type: 'not'; item: Node }
  | { type: 'near' }
  | { type: 'list' }
  | { type: 'term'; text: string; phrase: boolean }
  | { type: 'field'; field: string; value: string };

class Untranslatable extends Error {}

const QUOTES: Record<string, string> = { '"': '"', '“': '”', '«': '»' };

function tokenize(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      out.push({ kind: ch });
      i++;
    } else if (QUOTES[ch]) {
      const end = query.indexOf(QUOTES[ch], i + 1);
      if (end === -1) throw new Untranslatable('unclosed quote');
      out.push({ kind: 'PHRASE', text: query.slice(i + 1, end).trim() });
      i = end + 1;
    } else {
      let end = i;
      while (end < query.length && !/\s/.test(query[end]!) && !'()"“«'.includes(query[end]!)) end++;
      const word = query.slice(i, end);
      i = end;
      if (word === 'AND' || word === '&&') out.push({ kind: 'AND' });
      else if (word === 'OR' || word === '||') out.push({ kind: 'OR' });
      else if (word === 'NOT') out.push({ kind: 'NOT' });
      else if (/^NEAR\/\d+$/.test(word)) out.push({ kind: 'NEAR' });
      else if (word.startsWith('$')) out.push({ kind: 'LIST' });
      else {
        const field = /^([a-z]+):(.+)$/i.exec(word);
        if (field && ['account', 'author', 'lang', 'source'].includes(field[1]!.toLowerCase())) out.push({ kind: 'FIELD', field: field[1]!.toLowerCase(), value: field[2]! });
        else out.push({ kind: 'WORD', text: word });
      }
    }
  }
  out.push({ kind: 'END' });
  return out;
}

/** OR < AND (explicit or by juxtaposition) < NEAR < NOT. */
function parse(tokens: Token[]): Node {
  let at = 0;
  const peek = () => tokens[at]!;
  const next = () => tokens[at++]!;
  const startsOperand = (t: Token) => t.kind === '(' || t.kind === 'NOT' || t.kind === 'WORD' || t.kind === 'PHRASE' || t.kind === 'FIELD' || t.kind === 'LIST';

  const or = (): Node => {
    const items = [and()];
    while (peek().kind === 'OR') {
      next();
      items.push(and());
    }
    return items.length === 1 ? items[0]! : { type: 'or', items };
  };
  const and = (): Node => {
    const items = [near()];
    for (;;) {
      if (peek().kind === 'AND') next();
      else if (!startsOperand(peek())) break;
      items.push(near());
    }
    return items.length === 1 ? items[0]! : { type: 'and', items };
  };
  const near = (): Node => {
    const left = unary();
    if (peek().kind !== 'NEAR') return left;
    while (peek().kind === 'NEAR') {
      next();
      unary();
    }
    return { type: 'near' };
  };
  const unary = (): Node => {
    const t = next();
    if (t.kind === 'NOT') return { type: 'not', item: unary() };
    if (t.kind === '(') {
      const inner = or();
      if (next().kind !== ')') throw new Untranslatable('unbalanced parentheses');
      return inner;
    }
    if (t.kind === 'WORD' || t.kind === 'PHRASE') return { type: 'term', text: t.text, phrase: t.kind === 'PHRASE' };
    if (t.kind === 'FIELD') return { type: 'field', field: t.field, value: t.value };
    if (t.kind === 'LIST') return { type: 'list' };
    throw new Untranslatable('unexpected token');
  };
  const root = or();
  if (peek().kind !== 'END') throw new Untranslatable('trailing tokens');
  return root;
}

/** An X expression, or always-true / always-false on X (e.g. `source:x` / `source:bluesky`). */
type Out =
  | { kind: 'true' }
  | { kind: 'false' }
  | {
      kind: 'expr';
      text: string;
      /** Contains an operator X accepts alone in a rule (keyword, phrase, #tag, @mention, from:). */
      standalone: boolean;
      /** Needs parentheses inside an AND. */
      isOr: boolean;
      /** The atoms whose negations, side by side, negate this expression; null when X cannot negate it. */
      negatable: string[] | null;
    };

const TRUE: Out = { kind: 'true' };
const FALSE: Out = { kind: 'false' };

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC');
}

function atom(text: string, standalone: boolean): Out {
  return { kind: 'expr', text, standalone, isOr: false, negatable: [text] };
}

function termOut(text: string, phrase: boolean): Out {
  if (text === '' || text.includes('*')) throw new Untranslatable('wildcard');
  const plain = !phrase && /^[#@]?[\p{L}\p{N}_]+$/u.test(text);
  const render = (t: string) => (plain ? t : `"${t.replace(/"/g, '')}"`);
  const folded = fold(text);
  if (folded === text) return atom(render(text), true);
  const variants = [render(text), render(folded)];
  return { kind: 'expr', text: `(${variants.join(' OR ')})`, standalone: true, isOr: false, negatable: variants };
}

function fieldOut(field: string, value: string): Out {
  if (value.includes('*')) throw new Untranslatable('wildcard field');
  if (field === 'lang') return atom(`lang:${value.toLowerCase()}`, false);
  if (field === 'author') {
    const handle = value.replace(/^@/, '');
    if (!/^\w{1,15}$/.test(handle)) throw new Untranslatable('not an X handle');
    return atom(`from:${handle}`, true);
  }
  if (field === 'source') return ['x', 'twitter'].includes(value.toLowerCase()) ? TRUE : FALSE;
  throw new Untranslatable(`${field}: has no X equivalent`);
}

function translate(node: Node): Out {
  switch (node.type) {
    case 'term':
      return termOut(node.text, node.phrase);
    case 'field':
      return fieldOut(node.field, node.value);
    case 'near':
      throw new Untranslatable('NEAR');
    case 'list':
      throw new Untranslatable('list');
    case 'not': {
      const inner = translate(node.item);
      if (inner.kind === 'true') return FALSE;
      if (inner.kind === 'false') return TRUE;
      // X does not negate groups: -(a OR b) is written -a -b.
      if (!inner.negatable) throw new Untranslatable('negated AND group');
      return { kind: 'expr', text: inner.negatable.map((a) => `-${a}`).join(' '), standalone: false, isOr: false, negatable: null };
    }
    case 'and': {
      const parts: Extract<Out, { kind: 'expr' }>[] = [];
      for (const item of node.items) {
        const out = translate(item);
        if (out.kind === 'false') return FALSE;
        if (out.kind === 'expr') parts.push(out);
      }
      if (parts.length === 0) return TRUE;
      if (parts.length === 1) return parts[0]!;
      return {
        kind: 'expr',
        text: parts.map((p) => (p.isOr ? `(${p.text})` : p.text)).join(' '),
        standalone: parts.some((p) => p.standalone),
        isOr: false,
        negatable: null,
      };
    }
    case 'or': {
      const parts: Extract<Out, { kind: 'expr' }>[] = [];
      for (const item of node.items) {
        const out = translate(item);
        if (out.kind === 'true') return TRUE;
        if (out.kind === 'expr') parts.push(out);
      }
      if (parts.length === 0) return FALSE;
      if (parts.length === 1) return parts[0]!;
      const negatable = parts.every((p) => p.negatable) ? parts.flatMap((p) => p.negatable!) : null;
      return {
        kind: 'expr',
        text: parts.map((p) => p.text).join(' OR '),
        // Every branch must stand alone, or one branch would match X's whole volume.
        standalone: parts.every((p) => p.standalone),
        isOr: true,
        negatable,
      };
    }
  }
}

/** The X rule for a watch-rule query, or null when it does not translate (see the module comment). */
export function translateQueryToXRule(query: string): string | null {
  try {
    const out = translate(parse(tokenize(query)));
    if (out.kind !== 'expr' || !out.standalone) return null;
    return out.text;
  } catch (err) {
    if (err instanceof Untranslatable) return null;
    throw err;
  }
}
