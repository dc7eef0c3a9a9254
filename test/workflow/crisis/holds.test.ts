import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findHoldConflicts, holdWarningNotice, loadHoldsCalendar, parseHoldsCalendar, parseIcs } from '../../../src/crisis/index.js';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Lutece//Editorial//FR',
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'UID:reno-chatelet@lutece.fr',
  'DTSTART;TZID=Europe/Paris:20261128T110000',
  'SUMMARY:Rénovation de la station Châtelet : découvrez les nouveaux quai',
  ' s\\, en images',
  'CATEGORIES:métro,station',
  'CATEGORIES:rénovation',
  'LOCATION:metro',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:photo-contest',
  'DTSTART:20261128T150000Z',
  'SUMMARY:Concours photo',
  'CATEGORIES:photo\\,concours',
  'LOCATION:City',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20260705',
  'SUMMARY:Fête d’été (heure d’été)',
  'CATEGORIES:fête',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

describe('ICS editorial calendar', () => {
  it('reads TZID, UTC and all-day starts, folded lines, escapes and repeated CATEGORIES', () => {
    const posts = parseHoldsCalendar(ICS, 'calendar.ics');
    expect(posts).toEqual([
      { id: 'reno-chatelet@lutece.fr', title: 'Rénovation de la station Châtelet : découvrez les nouveaux quais, en images', at: new Date('2026-11-28T10:00:00Z'), subjects: ['métro', 'station', 'rénovation'], sites: ['metro'] },
      { id: 'photo-contest', title: 'Concours photo', at: new Date('2026-11-28T15:00:00Z'), subjects: ['photo,concours'], sites: ['city'] },
      // All day in Paris in July: midnight summer time is 22:00 UTC the day before.
      { id: 'event-line-23', title: 'Fête d’été (heure d’été)', at: new Date('2026-07-04T22:00:00Z'), subjects: ['fête'], sites: [] },
    ]);
  });
  it('reports what it cannot read, with the line', () => {
    expect(() => parseHoldsCalendar('BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:2026-11-28\nEND:VEVENT\nEND:VCALENDAR', 'bad.ics')).toThrow(/bad\.ics:\n {2}- line 2: DTSTART "2026-11-28" is not a date-time/);
    expect(parseIcs('BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=Mars/Olympus:20261128T110000\nEND:VEVENT\nEND:VCALENDAR').problems).toEqual(['line 2: unknown TZID "Mars/Olympus"']);
    expect(parseIcs('BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261128T110000Z\nRRULE:FREQ=WEEKLY\nEND:VEVENT\nEND:VCALENDAR').problems[0]).toMatch(/RRULE/);
    expect(parseIcs('hello').problems).toEqual(['not an iCalendar file (no BEGIN:VCALENDAR)']);
  });
  it('reads floating times in the default zone, across the DST change', () => {
    const { events } = parseIcs('BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260329T030000\nEND:VEVENT\nEND:VCALENDAR', 'Europe/Paris');
    expect(events[0]?.start).toEqual(new Date('2026-03-29T01:00:00Z'));
  });
});

describe('YAML editorial calendar', () => {
  it('loads the bundled example', async () => {
    const posts = await loadHoldsCalendar(join(import.meta.dirname, '../../../config/editorial-calendar.yaml'));
    expect(posts.map((p) => [p.id, p.at.toISOString(), p.sites])).toEqual([
      ['renovation-station-chatelet', '2026-11-28T10:00:00.000Z', ['metro']],
      ['tour-eiffel-photo-contest', '2026-11-28T15:00:00.000Z', ['city']],
    ]);
  });
  it('names the file and the field of a problem, and loads .ics files by extension', async () => {
    expect(() => parseHoldsCalendar('posts:\n  - id: a\n    title: A\n    at: tomorrow\n    subjects: [x]\n', 'cal.yaml')).toThrow(/cal\.yaml:\n {2}- posts\[0\]\.at/);
    expect(() => parseHoldsCalendar('posts:\n  - { id: a, title: A, at: "2026-11-28T10:00:00Z", subjects: [x] }\n  - { id: a, title: B, at: "2026-11-28T10:00:00Z", subjects: [x] }\n', 'cal.yaml')).toThrow(/duplicate id "a"/);
    const dir = await mkdtemp(join(tmpdir(), 'holds-'));
    await writeFile(join(dir, 'c.ics'), ICS);
    expect((await loadHoldsCalendar(join(dir, 'c.ics'))).length).toBe(3);
    await expect(loadHoldsCalendar(join(dir, 'missing.yaml'))).rejects.toThrow(/Cannot read the editorial calendar/);
  });
});

describe('findHoldConflicts', () => {
  const posts = parseHoldsCalendar(ICS, 'calendar.ics');
  const now = new Date('2026-11-28T08:00:00Z');

  it('warns about a metro post while a high story on the metro mentions its subject', () => {
    const conflicts = findHoldConflicts(posts, [], [
      { id: 21, level: 'high', category: 'disruption', site: 'metro', text: 'Encore une panne à la station Châtelet, ligne 4 à l’arrêt' },
      { id: 22, level: 'watch', category: 'disruption', site: 'metro', text: 'station sale' },
      { id: 23, level: 'high', category: 'disruption', site: 'metro', text: 'ligne 4 à l’arrêt' },
      { id: 24, level: 'critical', category: 'security', site: 'roissy', text: 'station évacuée' },
    ], now, 24);
    expect(conflicts.map((c) => [c.post.id, c.with.kind, c.with.id, c.reasons, c.subjects, c.inMs])).toEqual([
      ['reno-chatelet@lutece.fr', 'story', 21, ['same-site', 'same-subject'], ['station'], 2 * 3_600_000],
    ]);
  });
  it('warns about every post on the site of an open crisis or on its subject, within the horizon only', () => {
    const crises = [{ id: 3, title: 'Panne générale métro', terms: ['panne', 'rénovation'], site: 'metro' }];
    const c = findHoldConflicts(posts, crises, [], now, 6);
    expect(c.map((x) => [x.post.id, x.with.id, x.reasons, x.subjects])).toEqual([['reno-chatelet@lutece.fr', 3, ['same-site', 'same-subject'], ['rénovation']]]);
    // The photo contest (15:00) is beyond a 6-hour horizon, and on another site anyway.
    expect(findHoldConflicts(posts, [{ id: 4, title: 'Crue', terms: ['crue'], site: null }], [], now, 24).map((x) => x.post.id)).toEqual(['reno-chatelet@lutece.fr', 'photo-contest']);
    expect(findHoldConflicts(posts, [{ id: 5, title: 'Colis T2E', terms: ['colis'], site: 'roissy' }], [], now, 24)).toEqual([]);
    expect(findHoldConflicts(posts, crises, [], new Date('2026-11-28T12:00:00Z'), 24)).toEqual([]);
  });
  it('renders the warning with Postpone / Keep buttons', () => {
    const [conflict] = findHoldConflicts(posts, [{ id: 3, title: 'Panne générale métro', terms: ['panne'], site: 'metro' }], [], now, 24);
    const n = holdWarningNotice(conflict!, 'fr');
    expect(n).toEqual({
      title: 'Publication programmée : la maintenir ?',
      level: 'critical',
      sections: [
        { lines: ['« Rénovation de la station Châtelet : découvrez les nouveaux quais, en images » prévue le 28 nov., 11:00 (dans 2 h 00)'] },
        { heading: 'Pourquoi', lines: ['Crise #3 ouverte : Panne générale métro', 'même site : metro'] },
      ],
      buttons: [
        { id: 'hold:reno-chatelet@lutece.fr:postpone', label: 'Reporter' },
        { id: 'hold:reno-chatelet@lutece.fr:keep', label: 'Maintenir' },
      ],
    });
    expect(holdWarningNotice(conflict!, 'en').buttons?.map((b) => b.label)).toEqual(['Postpone', 'Keep']);
  });
});
