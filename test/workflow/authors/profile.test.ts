import { describe, expect, it } from 'vitest';
import { type AuthorDecision, type AuthorProfileInput, authorProfile, renderAuthorNotice } from '../../../src/authors/index.js';

const lists = { press: ['@LeParisienLutece'], elected: ['ElueDuQuartier'], institution: [], politicised: ['@CollectifColere'] };
const at = (h: number) => new Date(Date.UTC(2026, 10, 20 + h));

function input(extra: Partial<AuthorProfileInput> = {}): AuthorProfileInput {
  return {
    source: 'twitter',
    snapshot: { handle: 'jdupont', name: 'J. Dupont', followers: 8200, verified: false, bio: 'Usager de la ligne 4' },
    mentions: 12,
    tickets: 3,
    firstSeen: new Date('2026-09-01T10:00:00Z'),
    lastSeen: new Date('2026-11-28T08:00:00Z'),
    decisions: [],
    ...extra,
  };
}
const troll = (ticketId: number): AuthorDecision => ({ ticketId, action: 'ignore', reason: 'troll', category: 'reputation', at: at(ticketId) });

describe('authorProfile', () => {
  it('states reach and history, with no hint for an ordinary passenger', () => {
    const p = authorProfile(input({ decisions: [{ ticketId: 1, action: 'reply', category: 'disruption', at: at(1) }, { ticketId: 2, action: 'ignore', reason: 'duplicate', at: at(2) }] }), lists);
    expect(p).toMatchObject({ handle: 'jdupont', reach: 'modest', followers: 8200, history: { replied: 1, ignored: 1, ignoredFor: [{ reason: 'duplicate', count: 1 }], lastDecisionAt: at(2) }, flags: [] });
    expect(p.hint).toEqual({ considerNotReplying: false, reasons: [] });
  });
  it('takes flags from the configured lists whatever the case or @', () => {
    const p = authorProfile(input({ snapshot: { handle: '@collectifcolere', followers: 30_000 } }), lists);
    expect(p.flags).toEqual([{ flag: 'politicised', origin: 'configured' }]);
    expect(p.hint).toEqual({ considerNotReplying: true, reasons: ['politicised'] });
  });
  it('learns troll after two tickets ignored as troll, not after one ticket ignored twice', () => {
    const once = authorProfile(input({ decisions: [troll(1), { ...troll(1), at: at(5) }] }), lists);
    expect(once.flags).toEqual([]);
    expect(once.hint.reasons).toEqual(['troll-history', 'modest-reach']);
    const twice = authorProfile(input({ decisions: [troll(1), troll(2)] }), lists);
    expect(twice.flags).toEqual([{ flag: 'troll', origin: 'learned', count: 2 }]);
  });
  it('learns politicised from two tickets on political subjects', () => {
    const p = authorProfile(input({ decisions: [
      { ticketId: 4, action: 'assign', category: 'politics', at: at(1) },
      { ticketId: 4, action: 'resolve', category: 'politics', at: at(2) },
      { ticketId: 7, action: 'ignore', reason: 'off-topic', category: 'politics', at: at(3) },
    ] }), lists);
    expect(p.flags).toEqual([{ flag: 'politicised', origin: 'learned', count: 2 }]);
  });
  it('hints on a political subject with modest reach, but not for large reach or the press', () => {
    expect(authorProfile(input({ currentCategory: 'politics' }), lists).hint).toEqual({ considerNotReplying: true, reasons: ['political-category', 'modest-reach'] });
    expect(authorProfile(input({ currentCategory: 'politics', snapshot: { handle: 'big', followers: 250_000 } }), lists).hint.considerNotReplying).toBe(false);
    expect(authorProfile(input({ currentCategory: 'politics', snapshot: { handle: 'leparisienlutece', followers: 5_000 } }), lists).hint.considerNotReplying).toBe(false);
    expect(authorProfile(input({ currentCategory: 'disruption' }), lists).hint.considerNotReplying).toBe(false);
  });
  it('keeps flags the store recorded and treats troll-history as a reason', () => {
    const p = authorProfile(input({ storedFlags: ['troll-history'], snapshot: { handle: 'x', followers: null } }), lists);
    expect(p).toMatchObject({ reach: 'unknown', flags: [{ flag: 'troll-history', origin: 'stored' }], hint: { considerNotReplying: true, reasons: ['troll-history'] } });
  });
});

describe('renderAuthorNotice', () => {
  it('renders the French card with reach, history, flags and the hint', () => {
    const p = authorProfile(input({ decisions: [troll(1), troll(2)], currentCategory: 'politics' }), lists);
    const n = renderAuthorNotice(p, 'fr');
    expect(n.title).toBe('@jdupont — J. Dupont');
    expect(n.level).toBe('watch');
    expect(n.sections.map((s) => s.heading)).toEqual(['Audience', 'Bio', 'Historique avec nous', 'Repères', 'Envisager de ne pas répondre (risque d’effet Streisand)']);
    expect(n.sections[0]?.lines).toEqual(['8 200 abonnés · audience modeste (twitter)']);
    expect(n.sections[2]?.lines).toEqual(['12 mentions, 3 tickets', '0 répondus, 2 ignorés', 'Ignoré pour : troll / politisé (2)', 'Vu du 1 septembre 2026 au 28 novembre 2026']);
    expect(n.sections[3]?.lines).toEqual(['troll — appris de nos décisions (2 fois)']);
    expect(n.sections[4]?.lines).toEqual(['• déjà ignoré comme troll', '• sujet politique', '• audience modeste : une réponse officielle l’amplifierait']);
  });
  it('renders English without a hint', () => {
    const n = renderAuthorNotice(authorProfile(input({ snapshot: { handle: 'amy', followers: 120_000, verified: true } }), lists), 'en');
    expect(n.level).toBeUndefined();
    expect(n.sections[0]?.lines).toEqual(['120,000 followers · large reach · verified account (twitter)']);
    expect(n.sections.at(-1)?.lines).toEqual(['Nothing argues against replying.']);
  });
});
