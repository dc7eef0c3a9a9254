import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { type EscalationStep, escalationJobIds, escalationNotice, escalationPlan, escalationStillDue } from '../../../src/escalation/index.js';

const defaults = configSchema.parse({ organisation: { name: 'T' }, channels: { watch: { console: 'veille' } }, teams: [{ id: 'p', label: { fr: 'P', en: 'P' } }] }).escalation;
const openedAt = new Date('2026-11-28T08:00:00Z');

describe('escalationPlan', () => {
  it('plans the default steps of a critical ticket: lead at +10 min, crisis cell at +30 min', () => {
    const now = new Date('2026-11-28T08:02:00Z');
    expect(escalationPlan({ id: 42, level: 'critical', category: 'security', openedAt }, defaults, now)).toEqual([
      { jobId: 'esc:42:0', ticketId: 42, stepIndex: 0, notify: 'lead', afterMinutes: 10, at: new Date('2026-11-28T08:10:00Z'), delayMs: 480_000 },
      { jobId: 'esc:42:1', ticketId: 42, stepIndex: 1, notify: 'crisis', afterMinutes: 30, at: new Date('2026-11-28T08:30:00Z'), delayMs: 1_680_000 },
    ]);
  });
  it('plans the high step only for a high ticket, nothing for watch or decided tickets', () => {
    expect(escalationPlan({ id: 7, level: 'high', category: null, openedAt }, defaults, openedAt).map((j) => [j.jobId, j.notify, j.delayMs])).toEqual([['esc:7:2', 'lead', 1_800_000]]);
    expect(escalationPlan({ id: 7, level: 'watch', category: null, openedAt }, defaults, openedAt)).toEqual([]);
    expect(escalationPlan({ id: 7, level: 'critical', category: null, openedAt, firstDecisionAt: openedAt }, defaults, openedAt)).toEqual([]);
  });
  it('limits steps to their categories and fires overdue steps at once', () => {
    const steps: EscalationStep[] = [
      { levels: ['high', 'critical'], categories: ['security', 'safety'], afterMinutes: 5, notify: 'crisis' },
      { levels: ['high'], categories: [], afterMinutes: 45, notify: 'lead' },
    ];
    const late = new Date('2026-11-28T08:20:00Z');
    expect(escalationPlan({ id: 3, level: 'high', category: 'safety', openedAt }, steps, late).map((j) => [j.jobId, j.delayMs])).toEqual([['esc:3:0', 0], ['esc:3:1', 1_500_000]]);
    expect(escalationPlan({ id: 3, level: 'high', category: 'disruption', openedAt }, steps, late).map((j) => j.jobId)).toEqual(['esc:3:1']);
    expect(escalationJobIds(3, steps)).toEqual(['esc:3:0', 'esc:3:1']);
  });
  it('lets the handler check the ticket is still waiting when the job fires', () => {
    const step = defaults[0];
    expect(escalationStillDue({ status: 'open', firstDecisionAt: null, level: 'critical', category: null }, step)).toBe(true);
    expect(escalationStillDue({ status: 'assigned', firstDecisionAt: openedAt, level: 'critical', category: null }, step)).toBe(false);
    expect(escalationStillDue({ status: 'open', firstDecisionAt: null, level: 'watch', category: null }, step)).toBe(false);
    expect(escalationStillDue({ status: 'open', firstDecisionAt: null, level: 'critical', category: null }, undefined)).toBe(false);
  });
});

describe('escalationNotice', () => {
  const input = { ticketId: 42, level: 'critical' as const, category: 'security', openedAt, notify: 'lead' as const, text: 'Alerte à la bombe\nà Roissy ??', url: 'https://x.com/a/status/1', accountLabel: 'Lutèce-Roissy Aéroport' };
  it('says how long the ticket waited, in French and English', () => {
    const fr = escalationNotice(input, new Date('2026-11-28T08:10:00Z'), 'fr');
    expect(fr).toEqual({
      title: 'Ticket #42 sans décision : au responsable d’équipe',
      level: 'critical',
      sections: [{
        lines: ['En attente depuis 10 min (ouvert à 09:00).', 'critique · security · Lutèce-Roissy Aéroport', '« Alerte à la bombe à Roissy ?? »', 'Merci de prendre la décision ou de l’assigner.'],
        links: [{ label: 'Voir la publication', url: 'https://x.com/a/status/1' }],
      }],
    });
    const en = escalationNotice({ ...input, notify: 'crisis', url: null, text: null }, new Date('2026-11-28T09:35:00Z'), 'en', 'UTC');
    expect(en.title).toBe('Ticket #42 undecided: to the crisis cell');
    expect(en.sections[0]?.lines).toEqual(['Waiting for 1 h 35 (opened at 08:00).', 'critical · security · Lutèce-Roissy Aéroport', 'The crisis cell takes over.']);
  });
});
