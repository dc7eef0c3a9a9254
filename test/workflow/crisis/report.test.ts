import { describe, expect, it } from 'vitest';
import { type CrisisReportData, crisisReport, volumeCurve } from '../../../src/crisis/index.js';

const t = (hhmm: string) => new Date(`2026-11-28T${hhmm}:00Z`);

/** Crisis #3, 08:05 → 10:20 UTC (09:05 → 11:20 in Paris). Figures below are counted by hand. */
const data: CrisisReportData = {
  crisis: { id: 3, title: 'Colis suspect T2E', site: 'roissy', severity: 1, openedAt: t('08:05'), closedAt: t('10:20'), openedBy: 'Camille', closedBy: 'Camille', summary: 'Levée de doute, trafic rétabli' },
  timeline: [
    { at: t('09:30'), kind: 'update', actorName: 'Karim', text: 'Levée de doute terminée' },
    { at: t('08:05'), kind: 'open', actorName: 'Camille', text: 'Colis suspect T2E' },
    { at: t('08:07'), kind: 'step', actorName: 'Camille', text: "Appeler l'astreinte direction" },
    { at: t('08:40'), kind: 'relay', actorName: 'Camille', text: 'Préfecture : levée de doute en cours', url: 'https://x.com/prefpolice/status/18' },
    { at: t('10:20'), kind: 'close', actorName: 'Camille', text: 'Levée de doute, trafic rétabli' },
  ],
  // Buckets of 15 min from 07:45: [07:55]=1 · [08:02, 08:10, 08:14]=3+5+2=10 · [08:20]=4 · [09:40]=1 (09:30 bucket)
  volume: [
    { at: t('07:55'), count: 1 },
    { at: t('08:02'), count: 3 },
    { at: t('08:10'), count: 5 },
    { at: t('08:14'), count: 2 },
    { at: t('08:20'), count: 4 },
    { at: t('09:40'), count: 1 },
  ],
  cards: [
    { ticketId: 102, level: 'high', status: 'ignored', openedAt: t('08:15'), firstDecisionAt: t('08:45'), text: 'On nous fait attendre | sans info #T2E', url: 'https://x.com/b/status/2' },
    { ticketId: 101, level: 'critical', status: 'replied', openedAt: t('08:01'), firstDecisionAt: t('08:12'), text: 'Alerte à la bombe à Roissy ??', url: 'https://x.com/a/status/1' },
    { ticketId: 103, level: 'high', status: 'open', openedAt: t('09:00'), firstDecisionAt: null },
  ],
  decisions: [
    { ticketId: 101, action: 'draft-reply', actorName: 'Karim', at: t('08:12') },
    { ticketId: 101, action: 'approve-reply', actorName: 'Camille', at: t('08:14') },
    { ticketId: 102, action: 'ignore', actorName: 'Camille', at: t('08:45'), detail: 'doublon' },
  ],
};

describe('crisisReport', () => {
  const { model, notice, markdown } = crisisReport(data, 'fr');

  it('computes the volume curve, the cards, the decisions and the time to first decision', () => {
    expect(model.volume).toEqual({ bucketMinutes: 15, start: t('07:45'), counts: [1, 10, 4, 0, 0, 0, 0, 1, 0, 0, 0], total: 16, peak: { at: t('08:00'), count: 10 }, sparkline: '▂█▄▁▁▁▁▂▁▁▁' });
    expect(model.durationMs).toBe(135 * 60_000);
    expect(model.cards.byLevel).toEqual({ none: 0, watch: 0, high: 2, critical: 1 });
    expect(model.cards.list.map((c) => c.ticketId)).toEqual([101, 102, 103]);
    expect(model.decisions.byAction).toEqual({ 'draft-reply': 1, 'approve-reply': 1, ignore: 1 });
    // First decision 08:12, crisis opened 08:05: 7 minutes.
    expect(model.firstDecision).toEqual({ at: t('08:12'), afterOpenMs: 7 * 60_000, actorName: 'Karim' });
    // #101 waited from the crisis opening (08:05, later than the card) to 08:12 = 7 min; #102 08:15 → 08:45 = 30 min.
    expect(model.perCard).toEqual({ decided: 2, undecided: 1, medianMs: 18.5 * 60_000, maxMs: 30 * 60_000 });
    expect(model.relays.map((r) => r.url)).toEqual(['https://x.com/prefpolice/status/18']);
    expect(model.timeline.map((e) => e.kind)).toEqual(['open', 'step', 'relay', 'update', 'close']);
  });

  it('renders the notice in French', () => {
    expect(notice.title).toBe('Rapport de crise #3 — Colis suspect T2E');
    expect(notice.sections[0]?.lines).toEqual(['Ouverte le 28 nov., 09:05 par Camille', 'Close le 28 nov., 11:20 par Camille', 'Durée : 2 h 15', 'Site : roissy · Gravité : 1', 'Bilan : Levée de doute, trafic rétabli']);
    expect(notice.sections[1]).toEqual({ heading: 'Volume des mentions (par 15 min)', lines: ['▂█▄▁▁▁▁▂▁▁▁', '08:45 → 11:20 · 16 mentions · pic 10 à 09:00'] });
    expect(notice.sections[2]?.lines).toEqual([
      '3 cartes (critique 1, élevé 2)',
      '3 décisions : réponses approuvées 1, réponses proposées 1, ignorées 1',
      'Première décision 7 min après l’ouverture (Karim)',
      '2/3 cartes décidées ; délai médian 19 min, le plus long 30 min',
      '1 cartes sans décision',
    ]);
    expect(notice.sections[3]?.lines[2]).toBe('09:40 · relais officiel (Camille) : Préfecture : levée de doute en cours');
    expect(notice.sections[4]).toMatchObject({ heading: 'Communications officielles relayées', links: [{ label: 'Communiqué 1', url: 'https://x.com/prefpolice/status/18' }] });
  });

  it('exports Markdown with the cards table, one chronology and outside text escaped', () => {
    expect(markdown).toContain('# Rapport de crise \\#3 — Colis suspect T2E');
    expect(markdown).toContain('| 28 nov., 09:00 | 10 |');
    expect(markdown).toContain('| #102 | élevé | ignoré | 09:15 | 30 min | [On nous fait attendre \\| sans info \\#T2E](https://x.com/b/status/2) |');
    const chronology = markdown.slice(markdown.indexOf('## Chronologie'));
    expect(chronology.indexOf('#101 réponses proposées (Karim)')).toBeLessThan(chronology.indexOf('relais officiel'));
    expect(chronology).toContain('#102 ignorées (Camille) : doublon');
  });

  it('renders English too', () => {
    const en = crisisReport(data, 'en', 'UTC').notice;
    expect(en.sections[2]?.lines[2]).toBe('First decision 7 min after opening (Karim)');
    expect(en.sections[0]?.lines[0]).toBe('Opened 28 Nov, 08:05 by Camille');
  });
});

describe('volumeCurve', () => {
  it('widens the buckets for a long crisis so the curve stays one line', () => {
    const c = volumeCurve([{ at: t('00:10'), count: 2 }], t('00:00'), new Date('2026-11-30T00:00:00Z'));
    expect(c.bucketMinutes).toBe(30); // 48 h: 192 quarters > 96, 96 half-hours fit
    expect(c.counts.length).toBe(97);
    expect(c.counts[0]).toBe(2);
  });
});
