import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isVigieError } from '../../../src/core/errors.js';
import { buildLibrary, loadTemplates, renderTemplate, suggestTemplates, templateFreshness } from '../../../src/templates/index.js';

const now = new Date('2026-11-28T08:00:00Z');
const library = await loadTemplates(join(import.meta.dirname, '../../../templates'));

describe('the bundled template library', () => {
  it('holds at least 15 templates in French and English for metro, airport and city', () => {
    expect(library.length).toBeGreaterThanOrEqual(15);
    expect(new Set(library.map((t) => t.language))).toEqual(new Set(['fr', 'en']));
    for (const site of ['metro', 'roissy', 'city']) expect(library.some((t) => t.sites.includes(site))).toBe(true);
    for (const t of library) expect(t.owner).not.toBe('');
  });
  it('has fresh, due and expired templates on 2026-11-28', () => {
    const by = (s: string) => library.filter((t) => templateFreshness(t, now) === s).map((t) => t.id);
    expect(by('expired')).toEqual(['city-political-neutrality-fr']);
    expect(by('due').sort()).toEqual(['airport-lost-luggage-en', 'city-flooding-fr', 'metro-strike-fr']);
    expect(by('fresh').length).toBe(library.length - 4);
  });
  it('every template fits on X once filled with realistic values', () => {
    const sample: Record<string, string> = {
      station: 'Châtelet-Les Halles', line: '14', eta: '18 h 30', date: 'jeudi 3 décembre', terminal: '2E', flight: 'AF1234',
      airline: 'Air France', official_link: 'https://x.com/prefpolice/status/1800000000000000002', area: 'quai de la Tournelle',
      section: 'entre le pont Neuf et le pont de Sully', first_name: 'Julie', until: 'lundi', reopening: 'samedi',
    };
    for (const t of library) {
      const r = renderTemplate(t, sample, { network: 'x' });
      expect([t.id, r.ok]).toEqual([t.id, true]);
    }
  });
  it('carries the contact to turn to on the airline templates', () => {
    const luggage = library.find((t) => t.id === 'airport-lost-luggage-fr');
    expect(luggage?.contact).toMatch(/compagnie/);
    expect(luggage?.body).not.toMatch(/aéroport retrouve/);
  });
});

describe('suggestTemplates', () => {
  it("offers the category's templates for the site (not other sites'), then the generic ones, in the locale", () => {
    const s = suggestTemplates(library, ['disruption'], 'fr', { site: 'roissy', now });
    expect(s.map((x) => x.template.id)).toEqual(['airport-flight-delay-fr', 'airport-lost-luggage-fr', 'generic-looking-into-it-fr']);
  });
  it('leaves expired templates out and flags due ones', () => {
    const fr = suggestTemplates(library, ['politics'], 'fr', { now });
    expect(fr.map((x) => x.template.id)).toEqual(['generic-looking-into-it-fr']);
    const en = suggestTemplates(library, ['disruption'], 'en', { site: 'roissy', now });
    expect(en.find((x) => x.template.id === 'airport-lost-luggage-en')?.freshness).toBe('due');
  });
  it('follows the order of several categories and caps the list', () => {
    const s = suggestTemplates(library, ['praise', 'security'], 'en', { site: 'metro', limit: 3 });
    expect(s.map((x) => x.template.id)).toEqual(['praise-thanks-en', 'metro-unattended-bag-en', 'generic-looking-into-it-en']);
    expect(s[0]?.freshness).toBe(null);
  });
});

describe('loadTemplates errors', () => {
  const good = 'id: a\ntitle: A\ncategory: praise\nlanguage: fr\nbody: "Merci {{name}}"\nvariables: [{ name: name, label: Nom }]\nowner: me\nversion: 1\nreviewedAt: 2026-11-01\n';
  it('names the file and the path of each problem', () => {
    try {
      buildLibrary([
        { file: 'good.yaml', text: good },
        { file: 'bad.yaml', text: `- ${good.replaceAll('\n', '\n  ').replace('version: 1', 'version: zero')}` },
        { file: 'vars.yaml', text: good.replace('id: a', 'id: b').replace('{{name}}', '{{who}}') },
        { file: 'dup.yaml', text: good },
        { file: 'broken.yaml', text: 'id: [' },
      ]);
      expect.unreachable();
    } catch (err) {
      expect(isVigieError(err, 'template_invalid')).toBe(true);
      const message = (err as Error).message;
      expect(message).toContain('bad.yaml: [0].version');
      expect(message).toContain('vars.yaml: body: uses {{who}} which is not declared in variables');
      expect(message).toContain('dup.yaml: id "a" already defined in good.yaml');
      expect(message).toMatch(/broken\.yaml: YAML/);
    }
  });
  it('applies defaults and checks the hard limit is after the review period', () => {
    const [t] = buildLibrary([{ file: 'a.yaml', text: good }]);
    expect(t).toMatchObject({ reviewEveryDays: 90, hardLimitDays: 180, sites: [], reviewedAt: new Date('2026-11-01T00:00:00Z'), file: 'a.yaml' });
    expect(() => buildLibrary([{ file: 'a.yaml', text: `${good}reviewEveryDays: 90\nhardLimitDays: 30\n` }])).toThrow(/a\.yaml: hardLimitDays: must be at least reviewEveryDays/);
    expect(() => buildLibrary([{ file: 'a.yaml', text: good.replace('2026-11-01', '2026-13-01') }])).toThrow(/a\.yaml: reviewedAt/);
  });
  it('reads only yaml files from a directory and reports an unreadable one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tpl-'));
    await writeFile(join(dir, 'a.yml'), good);
    await writeFile(join(dir, 'notes.txt'), 'not a template');
    expect((await loadTemplates(dir)).map((t) => t.id)).toEqual(['a']);
    await expect(loadTemplates(join(dir, 'missing'))).rejects.toThrow(/Cannot read the templates directory/);
  });
});
