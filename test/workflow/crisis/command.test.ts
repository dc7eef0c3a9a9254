import { describe, expect, it } from 'vitest';
import { crisisHelpNotice, crisisUsageNotice, parseCrisisCommand, resolveCrisisTarget } from '../../../src/crisis/index.js';

describe('parseCrisisCommand', () => {
  it('opens with a quoted title, a site and a severity in any order', () => {
    expect(parseCrisisCommand('open "Alerte colis suspect T2E" site:roissy severity:1')).toEqual({ ok: true, command: { verb: 'open', title: 'Alerte colis suspect T2E', site: 'roissy', severity: 1, terms: [] } });
    expect(parseCrisisCommand('open severity:2 Panne ligne 4 site:METRO')).toEqual({ ok: true, command: { verb: 'open', title: 'Panne ligne 4', site: 'metro', severity: 2, terms: [] } });
    expect(parseCrisisCommand('open « Crue de la Seine » terms:"berges, crue, quais"')).toMatchObject({ ok: true, command: { title: 'Crue de la Seine', site: null, severity: null, terms: ['berges', 'crue', 'quais'] } });
    expect(parseCrisisCommand("ouvrir Incident à l'aéroport")).toMatchObject({ ok: true, command: { verb: 'open', title: "Incident à l'aéroport" } });
  });
  it('addresses a crisis by #id or leaves it to the only open one', () => {
    expect(parseCrisisCommand('update #12 Levée de doute en cours')).toEqual({ ok: true, command: { verb: 'update', crisisId: 12, text: 'Levée de doute en cours' } });
    expect(parseCrisisCommand('update Levée de doute en cours')).toEqual({ ok: true, command: { verb: 'update', crisisId: null, text: 'Levée de doute en cours' } });
    expect(parseCrisisCommand('status #3')).toEqual({ ok: true, command: { verb: 'status', crisisId: 3 } });
    expect(parseCrisisCommand('close')).toEqual({ ok: true, command: { verb: 'close', crisisId: null, summary: null } });
    expect(parseCrisisCommand('close #3 Fin de l’alerte, trafic rétabli')).toEqual({ ok: true, command: { verb: 'close', crisisId: 3, summary: 'Fin de l’alerte, trafic rétabli' } });
  });
  it('takes the link out of a relay', () => {
    expect(parseCrisisCommand('relay #4 La préfecture confirme la levée de doute : https://x.com/prefpolice/status/18.')).toEqual({
      ok: true,
      command: { verb: 'relay', crisisId: 4, text: 'La préfecture confirme la levée de doute : https://x.com/prefpolice/status/18.', url: 'https://x.com/prefpolice/status/18' },
    });
    expect(parseCrisisCommand('relay Communiqué des pompiers : pas de blessé')).toMatchObject({ ok: true, command: { url: null } });
  });
  it('answers help for empty text and help', () => {
    expect(parseCrisisCommand('  ')).toEqual({ ok: true, command: { verb: 'help' } });
    expect(parseCrisisCommand('aide')).toEqual({ ok: true, command: { verb: 'help' } });
  });
  it('reports errors as codes with the verb meant', () => {
    expect(parseCrisisCommand('explode now')).toEqual({ ok: false, error: { code: 'unknown-verb', detail: 'explode' } });
    expect(parseCrisisCommand('open site:roissy')).toEqual({ ok: false, error: { code: 'missing-title', verb: 'open' } });
    expect(parseCrisisCommand('open X severity:5')).toEqual({ ok: false, error: { code: 'bad-severity', verb: 'open', detail: '5' } });
    expect(parseCrisisCommand('open X severity:')).toMatchObject({ ok: false, error: { code: 'bad-severity' } });
    expect(parseCrisisCommand('open X site:Ro$$y')).toMatchObject({ ok: false, error: { code: 'bad-site' } });
    expect(parseCrisisCommand('open X site:orly', { sites: ['roissy', 'metro'] })).toEqual({ ok: false, error: { code: 'unknown-site', verb: 'open', detail: 'orly', known: ['roissy', 'metro'] } });
    expect(parseCrisisCommand('open "Alerte T2E site:roissy')).toEqual({ ok: false, error: { code: 'unclosed-quote', detail: '"' } });
    expect(parseCrisisCommand('update #2')).toEqual({ ok: false, error: { code: 'missing-text', verb: 'update' } });
    expect(parseCrisisCommand(`update ${'x'.repeat(3_001)}`)).toMatchObject({ ok: false, error: { code: 'too-long', verb: 'update' } });
  });
});

describe('resolveCrisisTarget', () => {
  const open = [{ id: 7, title: 'Panne ligne 4' }, { id: 5, title: 'Colis T2E' }];
  it('uses the only open crisis, or the one named', () => {
    expect(resolveCrisisTarget(null, [open[0]!])).toEqual({ ok: true, crisisId: 7 });
    expect(resolveCrisisTarget(5, open)).toEqual({ ok: true, crisisId: 5 });
  });
  it('refuses ambiguity, a closed id, or nothing open, listing the open ones', () => {
    expect(resolveCrisisTarget(null, open)).toEqual({ ok: false, error: { code: 'ambiguous', open: [{ id: 5, title: 'Colis T2E' }, { id: 7, title: 'Panne ligne 4' }] } });
    expect(resolveCrisisTarget(9, open)).toMatchObject({ ok: false, error: { code: 'not-open', id: 9 } });
    expect(resolveCrisisTarget(null, [])).toEqual({ ok: false, error: { code: 'no-open-crisis' } });
  });
});

describe('usage notices', () => {
  it('says what is wrong and shows the syntax of the verb meant', () => {
    const n = crisisUsageNotice({ code: 'bad-severity', verb: 'open', detail: '5' }, 'fr');
    expect(n.sections).toEqual([
      { lines: ['Gravité invalide « 5 » : 1 (majeure), 2 ou 3.'] },
      { heading: 'Syntaxe', lines: ['/crisis open TITRE [site:SITE] [severity:1-3] [terms:"mot, mot"]'] },
    ]);
  });
  it('lists the open crises when the target is ambiguous', () => {
    const n = crisisUsageNotice({ code: 'ambiguous', open: [{ id: 5, title: 'Colis T2E' }, { id: 7, title: 'Panne ligne 4' }] }, 'en');
    expect(n.sections[0]?.lines).toEqual(['Several crises are open: say which one with #ID (#5 Colis T2E, #7 Panne ligne 4).']);
    expect(n.sections[1]?.lines).toHaveLength(5);
  });
  it('help lists the five verbs', () => {
    expect(crisisHelpNotice('en').sections[0]?.lines.map((l) => l.split(' ')[1])).toEqual(['open', 'update', 'relay', 'status', 'close']);
  });
});
