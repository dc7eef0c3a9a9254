import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeDigest, type DigestInput, renderDigestNotice } from '../../../src/digest/index.js';
import { loadTemplates } from '../../../src/templates/index.js';

const at = (iso: string) => new Date(`2026-11-${iso}:00Z`);
// 08:00 in Paris: the window is 27 Nov 07:00Z → 28 Nov 07:00Z.
const now = at('28T07:00');
const templates = await loadTemplates(join(import.meta.dirname, '../../../templates'));

/** One fixture day. Every expected figure below is counted by hand from these rows. */
const day: DigestInput = {
  volume: [
    { hour: at('27T06:00'), account: '@MetroLutece', source: 'twitter', count: 50 }, // before the window
    { hour: at('27T07:00'), account: '@MetroLutece', source: 'twitter', count: 10, risky: 2 },
    { hour: at('27T07:00'), account: '@MetroLutece', source: 'bluesky', count: 4 },
    { hour: at('27T12:00'), account: '@MetroLutece', source: 'twitter', count: 30, risky: 10 },
    { hour: at('27T20:00'), account: '@VilleDeLutece', source: 'twitter', count: 5 },
    { hour: at('28T06:00'), account: '@LuteceAeroport', source: 'twitter', count: 40, risky: 25 },
    { hour: at('28T06:00'), account: '@LuteceAeroport', source: 'mastodon', count: 6, risky: 1 },
    { hour: at('28T07:00'), account: '@LuteceAeroport', source: 'twitter', count: 99 }, // the current hour: after the window
  ],
  cards: [
    { ticketId: 1, level: 'critical', openedAt: at('27T08:00'), firstDecisionAt: at('27T08:10'), status: 'replied' }, // 10 min ≤ 15: on time
    { ticketId: 2, level: 'critical', openedAt: at('27T09:00'), firstDecisionAt: at('27T09:20'), status: 'ignored' }, // 20 min: late
    { ticketId: 3, level: 'critical', openedAt: at('28T06:50'), firstDecisionAt: null, status: 'open' }, // 10 min old: pending
    { ticketId: 4, level: 'high', openedAt: at('27T10:00'), firstDecisionAt: at('27T10:45'), status: 'assigned' }, // 45 ≤ 60: on time
    { ticketId: 5, level: 'high', openedAt: at('27T14:00'), firstDecisionAt: null, status: 'open' }, // 17 h undecided: late
    { ticketId: 6, level: 'high', openedAt: at('28T06:30'), firstDecisionAt: at('28T06:40'), status: 'replied' }, // on time
    { ticketId: 7, level: 'watch', openedAt: at('27T15:00'), firstDecisionAt: null, status: 'open' },
    { ticketId: 8, level: 'watch', openedAt: at('27T16:00'), firstDecisionAt: null, status: 'open' },
    { ticketId: 9, level: 'high', openedAt: at('27T06:30'), firstDecisionAt: null, status: 'open' }, // before the window
  ],
  decisions: [
    { ticketId: 1, action: 'reply', at: at('27T08:10') },
    { ticketId: 2, action: 'ignore', reason: 'troll', at: at('27T09:20') },
    { ticketId: 4, action: 'assign', at: at('27T10:45') },
    { ticketId: 10, action: 'ignore', reason: 'off-topic', at: at('27T11:00') },
    { ticketId: 11, action: 'ignore', reason: 'troll', at: at('27T12:00') },
    { ticketId: 4, action: 'resolve', at: at('27T18:00') },
    { ticketId: 4, action: 'note', at: at('27T19:00') },
    { ticketId: 6, action: 'draft-reply', at: at('28T06:40') },
    { ticketId: 6, action: 'approve-reply', at: at('28T06:45') },
    { ticketId: 1, action: 'reply', at: at('27T06:59') }, // before the window
  ],
  openRisks: [
    { ticketId: 3, level: 'critical', status: 'open', openedAt: at('28T06:50') }, // 10 min < 15
    { ticketId: 5, level: 'high', status: 'open', openedAt: at('27T14:00'), category: 'disruption', text: 'Ligne 4 encore en panne', url: 'https://x.com/u/status/5' },
    { ticketId: 4, level: 'high', status: 'assigned', openedAt: at('27T10:00') },
    { ticketId: 9, level: 'high', status: 'open', openedAt: at('27T06:30') },
    { ticketId: 12, level: 'critical', status: 'assigned', openedAt: at('28T06:00'), category: 'security' },
    { ticketId: 7, level: 'watch', status: 'open', openedAt: at('27T15:00') },
  ],
  crises: [
    { id: 1, title: 'Panne ligne 4', openedAt: at('27T07:30'), closedAt: at('27T09:00'), site: 'metro' },
    { id: 2, title: 'Colis T2E', openedAt: at('28T06:15'), closedAt: null, site: 'roissy' },
    { id: 3, title: 'Crue de la Seine', openedAt: at('20T10:00'), closedAt: null, site: 'city' },
  ],
  clusters: [
    { id: 'c2', score: 70, velocity: 3.5, count: 25, category: 'disruption', url: 'https://x.com/u/status/2', sampleText: 'Ligne 4 encore en panne', praise: false },
    { id: 'c1', score: 92, velocity: 14, count: 120, category: 'security', url: 'https://x.com/u/status/1', sampleText: 'Alerte à la bombe à Roissy ??', praise: false },
    { id: 'c3', score: 70, velocity: 5, count: 12, category: 'reputation', url: null, sampleText: 'Toujours sale cette station', praise: false },
    { id: 'c4', score: 40, velocity: 2, count: 9, category: 'praise', url: 'https://x.com/u/status/4', sampleText: 'Merci aux agents de Châtelet', praise: true },
    { id: 'c5', score: 55, velocity: 1, count: 4, category: 'praise', url: 'https://x.com/u/status/5b', sampleText: "Bravo pour l'info trafic", praise: true },
  ],
  spikes: [
    { subject: 'bombe roissy', at: at('28T06:10'), count: 45, account: '@LuteceAeroport' },
    { subject: 'grève', at: at('26T10:00'), count: 80 }, // before the window
  ],
  templates,
};

const options = { now, timeZone: 'Europe/Paris', targets: { high: 60, critical: 15 }, locale: 'fr' as const, accountLabels: { '@MetroLutece': 'Métro de Lutèce', '@LuteceAeroport': 'Lutèce-Roissy' } };

describe('computeDigest on the fixture day', () => {
  const model = computeDigest(day, options);

  it('counts volume by account and source over the 24 whole hours', () => {
    expect(model.window).toEqual({ from: at('27T07:00'), to: at('28T07:00') });
    expect(model.volume.total).toBe(95); // 10+4+30+5+40+6
    expect(model.volume.risky).toBe(38); // 2+10+25+1
    expect(model.volume.bySource).toEqual([{ source: 'twitter', count: 85 }, { source: 'mastodon', count: 6 }, { source: 'bluesky', count: 4 }]);
    expect(model.volume.byAccount.map((a) => [a.label, a.total, a.risky, a.bySource])).toEqual([
      ['Lutèce-Roissy', 46, 26, [{ source: 'twitter', count: 40 }, { source: 'mastodon', count: 6 }]],
      ['Métro de Lutèce', 44, 12, [{ source: 'twitter', count: 40 }, { source: 'bluesky', count: 4 }]],
      ['@VilleDeLutece', 5, 0, [{ source: 'twitter', count: 5 }]],
    ]);
    // Sparkline bars: n/max × 7 rounded up (14/46 → 3, 30/46 → 5, 5/46 → 1; metro alone 14/30 → 4).
    // Hour slots: 0 (07:00Z) = 14, 5 (12:00Z) = 30, 13 (20:00Z) = 5, 23 (06:00Z) = 46.
    expect(model.volume.hourly[0]).toBe(14);
    expect(model.volume.hourly[5]).toBe(30);
    expect(model.volume.hourly[13]).toBe(5);
    expect(model.volume.hourly[23]).toBe(46);
    expect(model.volume.hourly.reduce((a, b) => a + b, 0)).toBe(95);
    expect(model.volume.sparkline).toBe('▄▁▁▁▁▆▁▁▁▁▁▁▁▂▁▁▁▁▁▁▁▁▁█');
  });

  it('counts cards by level and decisions by outcome with the ignore reasons', () => {
    expect(model.cards).toEqual({ total: 8, byLevel: { none: 0, watch: 2, high: 3, critical: 3 } });
    expect(model.decisions.total).toBe(9);
    expect(model.decisions.byOutcome).toEqual([
      { outcome: 'ignored', count: 3 },
      { outcome: 'replied', count: 2 },
      { outcome: 'assigned', count: 1 },
      { outcome: 'drafted', count: 1 },
      { outcome: 'other', count: 1 },
      { outcome: 'resolved', count: 1 },
    ]);
    expect(model.decisions.ignoreReasons).toEqual([{ reason: 'troll', count: 2 }, { reason: 'off-topic', count: 1 }]);
  });

  it('gives the share of high and critical cards decided within target, pending ones aside', () => {
    expect(model.onTime.critical).toEqual({ targetMinutes: 15, judged: 2, within: 1, late: 1, pending: 1, share: 0.5 });
    expect(model.onTime.high).toEqual({ targetMinutes: 60, judged: 3, within: 2, late: 1, pending: 0, share: 2 / 3 });
    expect(model.onTime.both).toEqual({ judged: 5, within: 3, share: 0.6 });
  });

  it('lists open risks past their target, critical first then oldest', () => {
    expect(model.openRisks.open).toBe(5);
    expect(model.openRisks.overdue.map((r) => [r.ticketId, r.ageMs / 60_000])).toEqual([
      [12, 60],
      [9, 1_470],
      [4, 1_260],
      [5, 1_020],
    ]);
  });

  it('lists crises, buzz, spikes and templates due', () => {
    expect(model.crises.opened.map((c) => c.id)).toEqual([1, 2]);
    expect(model.crises.closed.map((c) => c.id)).toEqual([1]);
    expect(model.crises.stillOpen.map((c) => c.id)).toEqual([2, 3]);
    expect(model.badBuzz.map((c) => c.id)).toEqual(['c1', 'c3', 'c2']);
    expect(model.goodBuzz.map((c) => c.id)).toEqual(['c5', 'c4']);
    expect(model.spikes.map((s) => s.subject)).toEqual(['bombe roissy']);
    // Due dates: 14 Jul, 18 Sep, 18 Oct, 30 Oct; days to 28 Nov: 137, 71, 41, 29.
    expect(model.templatesDue.map((t) => [t.id, t.freshness, t.daysOverdue])).toEqual([
      ['city-political-neutrality-fr', 'expired', 137],
      ['city-flooding-fr', 'due', 71],
      ['airport-lost-luggage-en', 'due', 41],
      ['metro-strike-fr', 'due', 29],
    ]);
  });
});

describe('renderDigestNotice', () => {
  const notice = renderDigestNotice(computeDigest(day, options));
  const section = (heading: string) => notice.sections.find((s) => s.heading === heading);

  it('renders the fixture day in French', () => {
    expect(notice.title).toBe('Digest de la veille — du 27 nov., 08:00 au 28 nov., 08:00');
    expect(notice.level).toBe('high');
    expect(section('Volume par compte et par source')?.lines).toEqual([
      '95 mentions, dont 38 à risque — twitter 85, mastodon 6, bluesky 4',
      '▄▁▁▁▁▆▁▁▁▁▁▁▁▂▁▁▁▁▁▁▁▁▁█ par heure',
      '▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁█ Lutèce-Roissy — 46 (twitter 40, mastodon 6)',
      '▅▁▁▁▁█▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁ Métro de Lutèce — 44 (twitter 40, bluesky 4)',
      '▁▁▁▁▁▁▁▁▁▁▁▁▁█▁▁▁▁▁▁▁▁▁▁ @VilleDeLutece — 5 (twitter 5)',
    ]);
    expect(section('Cartes par niveau')?.lines).toEqual(['8 — critique 3 · élevé 3 · à surveiller 2']);
    expect(section('Décisions')?.lines).toEqual([
      '9 — ignoré 3 · répondu 2 · assigné 1 · réponse proposée 1 · autre 1 · résolu 1',
      'Motifs d’ignorance : troll / politisé 2, hors sujet 1',
    ]);
    expect(section('Décidées dans le délai cible')?.lines).toEqual([
      'critique : 1/2 en moins de 15 min (50 %)',
      'élevé : 2/3 en moins de 60 min (67 %)',
      'Élevé et critique : 3/5 (60 %)',
      '1 cartes récentes encore dans le délai, non comptées',
    ]);
    expect(section('Risques ouverts au-delà de la cible : 4 (sur 5 ouverts)')).toEqual({
      heading: 'Risques ouverts au-delà de la cible : 4 (sur 5 ouverts)',
      lines: [
        '#12 critique · ouvert depuis 1 h 00 · assigné · security',
        '#9 élevé · ouvert depuis 1 j 0 h · ouvert',
        '#4 élevé · ouvert depuis 21 h 00 · assigné',
        '#5 élevé · ouvert depuis 17 h 00 · ouvert · disruption · « Ligne 4 encore en panne »',
      ],
      links: [{ label: '#5', url: 'https://x.com/u/status/5' }],
    });
    expect(section('Crises')?.lines).toEqual([
      'Ouverte : #1 Panne ligne 4 (metro), le 27 nov., 08:30',
      'Ouverte : #2 Colis T2E (roissy), le 28 nov., 07:15',
      'Close : #1 Panne ligne 4 (metro), le 27 nov., 10:00',
      'Toujours ouverte : #3 Crue de la Seine (city)',
    ]);
    expect(section('Bad buzz du jour')).toEqual({
      heading: 'Bad buzz du jour',
      lines: [
        '1. « Alerte à la bombe à Roissy ?? » — 120 mentions, 14/h, score 92 · security',
        '2. « Toujours sale cette station » — 12 mentions, 5/h, score 70 · reputation',
        '3. « Ligne 4 encore en panne » — 25 mentions, 3,5/h, score 70 · disruption',
      ],
      links: [{ label: '1', url: 'https://x.com/u/status/1' }, { label: '3', url: 'https://x.com/u/status/2' }],
    });
    expect(section('Good buzz du jour')?.lines).toHaveLength(2);
    expect(section('Pics de volume')?.lines).toEqual(['28 nov., 07:10 · bombe roissy : 45 mentions (@LuteceAeroport)']);
    expect(section('Éléments de langage à relire')?.lines[0]).toBe('city-political-neutrality-fr — Cabinet — direction de la communication — P. Vidal : délai dépassé, non approuvable');
    expect(JSON.stringify(notice.sections)).not.toMatch(/follower|abonné/i);
  });

  it('renders English', () => {
    const en = renderDigestNotice(computeDigest(day, { ...options, locale: 'en' }));
    expect(en.title).toBe('Watch digest — 27 Nov, 08:00 to 28 Nov, 08:00');
    expect(en.sections.find((s) => s.heading === 'Decided within the target time')?.lines[1]).toBe('high: 2/3 within 60 min (67%)');
  });

  it('stays within platform limits on a huge day', () => {
    const huge: DigestInput = {
      ...day,
      volume: Array.from({ length: 400 }, (_, i) => ({ hour: at('27T10:00'), account: `@account${i}`, source: `source-${i % 7}`, count: i + 1 })),
      openRisks: Array.from({ length: 500 }, (_, i) => ({ ticketId: 1000 + i, level: 'critical' as const, status: 'open' as const, openedAt: at('27T10:00'), text: 'x'.repeat(2_000), url: `https://x.com/u/status/${i}` })),
      clusters: Array.from({ length: 300 }, (_, i) => ({ id: `k${i}`, score: i % 100, velocity: 1, count: 1, category: null, url: `https://x.com/k/${i}`, sampleText: 'y '.repeat(900), praise: i % 3 === 0 })),
      spikes: Array.from({ length: 80 }, (_, i) => ({ subject: `s${i}`, at: at('27T12:00'), count: 10 })),
    };
    const n = renderDigestNotice(computeDigest(huge, { ...options, top: 50 }));
    expect(n.sections.length).toBeLessThanOrEqual(45);
    for (const s of n.sections) {
      expect(s.lines.length).toBeLessThanOrEqual(12);
      for (const line of s.lines) expect([...line].length).toBeLessThanOrEqual(300);
      expect((s.links ?? []).length).toBeLessThanOrEqual(10);
    }
    const risks = n.sections.find((s) => s.heading?.startsWith('Risques ouverts'));
    expect(risks?.lines.at(-1)).toBe('+489 autres');
  });
});
