import { normalizeText } from '../normalize/normalize-text.js';
import type { QueryNode, TermWord } from './ast.js';
import { lex, type Token } from './lexer.js';
import type { ListLookup } from './pack-lists.js';
import { RuleSyntaxError, type QueryOrigin } from './syntax-error.js';

export interface ParseOptions {
  origin?: QueryOrigin | undefined;
  /** Named lists a query can use as `$name`: each is an OR of its items. */
  lists?: ListLookup | undefined;
}

const MIN_PREFIX = 2;

/**
 * Parses a watch-rule query. Precedence, tightest first: NEAR/n and BEFORE/n, AND (or a plain space), OR; then
 * trailing exclusions. So `a b OR c` is `(a AND b) OR c`, and `x OR y NOT z` is `(x OR y) AND NOT z`:
 * a NOT that follows an expression excludes from all of it, as people mean "… except …". A NOT right
 * after AND, or at the start of a group, applies to the next operand only (`a AND NOT b OR c`).
 */
export function parseQuery(query: string, options: ParseOptions = {}): QueryNode {
  const tokens = lex(query, options.origin);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const fail = (at: number, reason: string): never => {
    throw new RuleSyntaxError(query, at, reason, options.origin);
  };

  /** An OR expression followed by exclusions: `x OR y NOT z NOT w`. */
  function parseExpr(): QueryNode {
    const node = parseOr();
    const exclusions: QueryNode[] = [];
    while (peek().kind === 'NOT') {
      pos++;
      const next = peek();
      if (!startsOperand(next) || next.kind === 'NOT') fail(next.at, 'NOT must be followed by a word, a phrase or a group');
      exclusions.push({ type: 'not', child: parseNear() });
    }
    if (exclusions.length > 0) {
      const rest = peek();
      if (rest.kind !== 'EOF' && rest.kind !== ')') {
        fail(rest.at, 'exclusions (NOT …) end an expression: put them last, or group with parentheses');
      }
      return { type: 'and', children: [...(node.type === 'and' ? node.children : [node]), ...exclusions] };
    }
    return node;
  }

  function parseOr(): QueryNode {
    const children = [parseAnd()];
    while (peek().kind === 'OR') {
      pos++;
      children.push(parseAnd());
    }
    return children.length === 1 ? children[0]! : { type: 'or', children };
  }

  function startsOperand(t: Token): boolean {
    return t.kind === 'WORD' || t.kind === 'PHRASE' || t.kind === 'FIELD' || t.kind === 'LIST' || t.kind === '(' || t.kind === 'NOT';
  }

  function parseAnd(): QueryNode {
    const children = [parseUnary()];
    for (;;) {
      const t = peek();
      if (t.kind === 'AND') {
        pos++;
        children.push(parseUnary());
      } else if (startsOperand(t) && t.kind !== 'NOT') children.push(parseUnary());
      else break;
    }
    if (children.every((c) => c.type === 'not')) {
      // A query made only of exclusions would match almost every mention: surely a mistake.
      fail(tokens[0]!.at, 'a query needs at least one word to look for, not only NOT parts');
    }
    return children.length === 1 ? children[0]! : { type: 'and', children };
  }

  function parseUnary(): QueryNode {
    const t = peek();
    if (t.kind === 'NOT') {
      pos++;
      const next = peek();
      if (!startsOperand(next)) fail(next.at, 'NOT must be followed by a word, a phrase or a group');
      return { type: 'not', child: parseUnary() };
    }
    return parseNear();
  }

  function parseNear(): QueryNode {
    let left = parsePrimary();
    while (peek().kind === 'NEAR') {
      const op = peek() as Extract<Token, { kind: 'NEAR' }>;
      pos++;
      const right = parsePrimary();
      for (const side of [left, right]) {
        if (!isPositional(side)) fail(op.at, `${op.ordered ? 'BEFORE' : 'NEAR'}/${op.distance} needs words, phrases or ( … OR … ) groups on both sides`);
      }
      left = { type: 'near', left, right, distance: op.distance, ordered: op.ordered, at: op.at };
    }
    return left;
  }

  function parsePrimary(): QueryNode {
    const t = peek();
    switch (t.kind) {
      case 'WORD':
      case 'PHRASE':
        pos++;
        return termOf(t.text, t.at, t.kind === 'PHRASE');
      case 'FIELD': {
        pos++;
        const prefix = t.value.endsWith('*');
        const value = (prefix ? t.value.slice(0, -1) : t.value).toLowerCase().replace(/^@/, '');
        if (value === '') fail(t.at, 'a field value needs letters before "*"');
        return { type: 'field', field: t.field, value, prefix, at: t.at };
      }
      case 'LIST': {
        pos++;
        const list = options.lists?.get(t.name);
        if (!list) fail(t.at, options.lists?.whyMissing?.(t.name) ?? `unknown list "$${t.name}"`);
        return list!;
      }
      case '(': {
        pos++;
        if (peek().kind === ')') fail(peek().at, 'empty parentheses');
        const inner = parseExpr();
        if (peek().kind !== ')') fail(peek().at, peek().kind === 'EOF' ? 'expected ")" before the end' : 'expected ")"');
        pos++;
        return inner;
      }
      case 'EOF':
        return fail(t.at, 'the query ends where a word was expected');
      default:
        return fail(t.at, `unexpected ${t.kind === ')' ? '")"' : t.kind}`);
    }
  }

  function termOf(raw: string, at: number, quoted: boolean): QueryNode {
    const words: TermWord[] = [];
    for (const piece of raw.split(/\s+/)) {
      if (piece === '') continue;
      const prefix = piece.endsWith('*');
      const body = prefix ? piece.slice(0, -1) : piece;
      if (body.includes('*')) fail(at, 'a wildcard "*" is only allowed at the end of a word');
      const keys = normalizeText(body).keys;
      if (keys.length === 0) fail(at, `"${piece}" has no letters or digits to look for (handles go in author: or account:)`);
      for (let i = 0; i < keys.length; i++) words.push({ key: keys[i]!, prefix: prefix && i === keys.length - 1 });
      const last = words[words.length - 1]!;
      if (last.prefix && last.key.length < MIN_PREFIX) fail(at, `a wildcard needs at least ${MIN_PREFIX} letters before "*"`);
    }
    if (words.length === 0) fail(at, quoted ? 'empty phrase' : 'empty word');
    return { type: 'term', words, raw, at };
  }

  if (peek().kind === 'EOF') fail(0, 'empty query');
  const root = parseExpr();
  const rest = peek();
  if (rest.kind !== 'EOF') fail(rest.at, rest.kind === ')' ? 'this ")" closes nothing' : 'unexpected text');
  return root;
}

function isPositional(node: QueryNode): boolean {
  if (node.type === 'term' || node.type === 'near') return true;
  if (node.type === 'or') return node.children.every(isPositional);
  return false;
}
