import { describe, expect, it } from 'vitest';
import { diffAgainstTemplate, escapeVariable, networkLength, networkOfSource, renderTemplate, templateFreshness } from '../../../src/templates/index.js';

const t = {
  body: 'Bonjour {{ name }}, le trafic reprend sur la ligne {{line}} vers {{eta}}.',
  variables: [
    { name: 'name', label: 'Prénom' },
    { name: 'line', label: 'Ligne' },
    { name: 'eta', label: 'Heure', default: '10 h' },
  ],
};

describe('renderTemplate', () => {
  it('fills the variables and uses defaults for empty ones', () => {
    expect(renderTemplate(t, { name: 'Julie', line: '4', eta: '' }, { network: 'x' })).toEqual({ ok: true, text: 'Bonjour Julie, le trafic reprend sur la ligne 4 vers 10 h.', length: 58, limit: 280, network: 'x' });
  });
  it('refuses missing variables and names each of them', () => {
    expect(renderTemplate(t, { line: '  ' }, { network: 'x' })).toEqual({ ok: false, code: 'missing-variables', missing: ['name', 'line'], labels: ['Prénom', 'Ligne'] });
  });
  it('neutralises mentions, controls and nested placeholders injected through variables', () => {
    const r = renderTemplate(t, { name: '@everyone\u202e @elu＠x', line: '4\n\n{{eta}}' }, { network: 'mastodon' });
    expect(r.ok && r.text).toBe('Bonjour @\u200beveryone @\u200belu＠\u200bx, le trafic reprend sur la ligne 4 {{eta}} vers 10 h.');
  });
  it('reports the length against each network limit', () => {
    const long = { body: '{{text}}', variables: [{ name: 'text', label: 'Texte' }] };
    expect(renderTemplate(long, { text: 'a'.repeat(281) }, { network: 'x' })).toMatchObject({ ok: false, code: 'too-long', length: 281, limit: 280 });
    expect(renderTemplate(long, { text: 'a'.repeat(281) }, { network: 'bluesky' })).toMatchObject({ ok: true, length: 281, limit: 300 });
    expect(renderTemplate(long, { text: 'a'.repeat(501) }, { network: 'mastodon' })).toMatchObject({ ok: false, limit: 500 });
    expect(renderTemplate(long, { text: 'a'.repeat(5000) }, { network: 'generic' })).toMatchObject({ ok: true, limit: null });
  });
});

describe('networkLength', () => {
  it('counts links as 23 on X and Mastodon, graphemes on Bluesky, emoji and CJK double on X', () => {
    const link = `voir https://www.metro-lutece.fr/trafic/ligne-14/${'x'.repeat(80)}`;
    expect(networkLength(link, 'x')).toBe(5 + 23);
    expect(networkLength(link, 'mastodon')).toBe(5 + 23);
    expect(networkLength(link, 'bluesky')).toBe(link.length);
    expect(networkLength('👨‍👩‍👧é', 'bluesky')).toBe(2);
    expect(networkLength('👨‍👩‍👧é', 'x')).toBe(3);
    expect(networkLength('東京', 'x')).toBe(4);
  });
  it('maps sources to networks', () => {
    expect(['twitter', 'bluesky', 'mastodon', 'rss'].map(networkOfSource)).toEqual(['x', 'bluesky', 'mastodon', 'generic']);
  });
});

describe('escapeVariable', () => {
  it('keeps ordinary text and e-mail-like values readable', () => {
    expect(escapeVariable('  Air   France ')).toBe('Air France');
    expect(escapeVariable('contact@lutece.fr')).toBe('contact@\u200blutece.fr');
    expect(escapeVariable('5 € @ 10 h')).toBe('5 € @ 10 h');
  });
});

describe('templateFreshness', () => {
  const tpl = { reviewedAt: new Date('2026-08-01T00:00:00Z'), reviewEveryDays: 90, hardLimitDays: 180 };
  it('is fresh before the review date, due from it, expired from the hard limit', () => {
    expect(templateFreshness(tpl, new Date('2026-10-29T23:59:59Z'))).toBe('fresh');
    expect(templateFreshness(tpl, new Date('2026-10-30T00:00:00Z'))).toBe('due');
    expect(templateFreshness(tpl, new Date('2027-01-27T23:59:59Z'))).toBe('due');
    expect(templateFreshness(tpl, new Date('2027-01-28T00:00:00Z'))).toBe('expired');
  });
});

describe('diffAgainstTemplate', () => {
  it('is null when only whitespace changed', () => {
    expect(diffAgainstTemplate('Bonjour,  le trafic\nreprend.', 'Bonjour, le trafic reprend.')).toBe(null);
  });
  it('describes replacements, additions and removals compactly', () => {
    const e = diffAgainstTemplate('Bonjour, reprise estimée vers 10 h. Nous sommes désolés pour la gêne.', 'Bonjour, reprise estimée vers 11 h. Nous sommes désolés. Merci de votre patience.');
    expect(e).toEqual({
      summary: '"10" → "11"; "désolés pour la gêne." → "désolés. Merci de votre patience."',
      hunks: [
        { removed: '10', added: '11' },
        { removed: 'désolés pour la gêne.', added: 'désolés. Merci de votre patience.' },
      ],
      wordsRemoved: 5,
      wordsAdded: 6,
      changedShare: 0.42,
    });
    expect(diffAgainstTemplate('a b c', 'a b c d')?.summary).toBe('+"d"');
    expect(diffAgainstTemplate('a b c', 'a c')?.summary).toBe('-"b"');
  });
  it('caps the summary', () => {
    const a = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
    const b = Array.from({ length: 200 }, (_, i) => (i % 2 ? `w${i}` : `z${i}`)).join(' ');
    const e = diffAgainstTemplate(a, b)!;
    expect(e.hunks.length).toBe(100);
    expect(e.summary.length).toBeLessThanOrEqual(300);
    expect(e.summary).toMatch(/; \+\d+ more$/);
  });
});
