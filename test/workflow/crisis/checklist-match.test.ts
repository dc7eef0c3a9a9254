import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECKLIST } from '../../../src/config/schema.js';
import { checklistNotice, crisisMatches, defaultCrisisTerms, parseChecklistButton, parseHoldButton } from '../../../src/crisis/index.js';

describe('crisisMatches', () => {
  const crisis = { terms: ['colis', 'bagage abandonné', 'évacu*'], site: 'roissy' };
  it('matches terms ignoring case, accents and elongations, as words and phrases, with prefixes', () => {
    expect(crisisMatches(crisis, { normalizedText: 'Un COLIS suspect au T2E', site: 'roissy', category: 'security' })).toEqual({ term: 'colis' });
    expect(crisisMatches(crisis, { normalizedText: 'bagage abandonne porte 12', site: 'roissy', category: 'security' })).toEqual({ term: 'bagage abandonné' });
    expect(crisisMatches(crisis, { normalizedText: 'ils évacuuuent le terminal', site: null, category: null })).toEqual({ term: 'évacu*' });
    expect(crisisMatches(crisis, { normalizedText: 'bagage perdu, abandonné par la compagnie', site: 'roissy', category: 'disruption' })).toBe(null);
    expect(crisisMatches(crisis, { normalizedText: 'colissimo en retard', site: 'roissy', category: 'disruption' })).toBe(null);
  });
  it('leaves out other sites and praise', () => {
    expect(crisisMatches(crisis, { normalizedText: 'colis suspect station Châtelet', site: 'metro', category: 'security' })).toBe(null);
    expect(crisisMatches({ ...crisis, site: null }, { normalizedText: 'colis suspect station Châtelet', site: 'metro', category: 'security' })).toEqual({ term: 'colis' });
    expect(crisisMatches(crisis, { normalizedText: 'merci pour la gestion du colis', site: 'roissy', category: 'praise' })).toBe(null);
  });
  it('derives terms from a title', () => {
    expect(defaultCrisisTerms('Alerte colis suspect au terminal 2E')).toEqual(['colis', 'suspect', 'terminal', '2e']);
  });
});

describe('checklistNotice', () => {
  const crisis = { id: 3, title: 'Colis T2E', site: 'roissy', severity: 1 as const, openedAt: new Date('2026-11-28T08:05:00Z') };
  it('shows every step with a button, and who ticked what and when', () => {
    const n = checklistNotice(crisis, DEFAULT_CHECKLIST, [
      { stepId: 'call-duty-officer', byName: 'Camille', at: new Date('2026-11-28T08:07:00Z') },
      { stepId: 'hold-promotions', byName: 'Karim', at: new Date('2026-11-28T08:09:00Z') },
      { stepId: 'hold-promotions', byName: 'Karim', at: new Date('2026-11-28T08:10:00Z'), ticked: false },
    ], 'fr');
    expect(n.title).toBe('Crise #3 — Colis T2E : procédure');
    expect(n.level).toBe('critical');
    expect(n.sections[0]?.lines).toEqual(['Ouverte à 09:05 · site roissy · gravité 1', '1/5 étapes faites']);
    expect(n.sections[1]?.lines[0]).toBe("✅ Appeler l'astreinte direction — Camille, 09:07");
    expect(n.sections[1]?.lines[2]).toBe('⬜ Suspendre les publications promotionnelles');
    expect(n.buttons?.map((b) => b.id)).toEqual(DEFAULT_CHECKLIST.map((s) => `crisis:3:step:${s.id}`));
    expect(n.buttons?.[0]?.label).toBe("✓ Appeler l'astreinte direction");
  });
  it('parses its button ids back, and rejects forged ones', () => {
    expect(parseChecklistButton('crisis:3:step:hold-promotions')).toEqual({ crisisId: 3, stepId: 'hold-promotions' });
    for (const bad of ['crisis:x:step:a', 'crisis:3:step:', 'crisis:3:step:A B', 'hold:3:keep', 'crisis:0:step:a']) expect(parseChecklistButton(bad)).toBe(null);
    expect(parseHoldButton('hold:renovation-station-chatelet:postpone')).toEqual({ postId: 'renovation-station-chatelet', choice: 'postpone' });
    expect(parseHoldButton('hold:abc@cal:ics:keep')).toEqual({ postId: 'abc@cal:ics', choice: 'keep' });
    expect(parseHoldButton('hold:abc:delete')).toBe(null);
  });
});
