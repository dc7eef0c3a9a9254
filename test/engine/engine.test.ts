import { describe, expect, it } from 'vitest';
import { isVigieError } from '../../src/core/errors.js';
import { readFileSync } from 'node:fs';
import { createEngine } from '../../src/engine/create-engine.js';
import { CompiledPack } from '../../src/engine/match/compile-pack.js';
import { parseTextModel, TextModel, textModelFromJson } from '../../src/engine/model/text-model.js';
import { parseRulePack, validateRulePack } from '../../src/engine/rule-pack.js';
import { mentionSchema } from '../../src/mentions/mention.js';
import { mention } from './helpers.js';

const rules = {
  rules: [
    { id: 'bomb-alert', category: 'security', weight: 80, query: '"alerte à la bombe" OR (bombe NEAR/5 (gare OR terminal)) NOT concert' },
    { id: 'delay', category: 'disruption', weight: 30, query: 'retard*' },
    { id: 'orly', category: 'disruption', weight: 30, query: 'orly panne', accounts: ['@ParisAeroport'] },
    { id: 'thanks', category: 'praise', weight: 0, query: 'merci' },
  ],
};

describe('engine', () => {
  it('analyses a mention: normalised text, language, rules, score, level, reasons, cluster', () => {
    const engine = createEngine({ rules });
    const a = engine.analyze(mention('Alerte à la BOMBE à Roissy ?? tout le terminal 2E est évacué @ParisAeroport', { account: '@ParisAeroport' }));
    expect(a).toMatchObject({
      normalizedText: 'alerte a la bombe a roissy tout le terminal 2e est evacue',
      lang: 'fr',
      account: '@ParisAeroport',
      handles: ['ParisAeroport'],
      score: 80,
      level: 'critical',
      category: 'security',
      rules: [{ ruleId: 'bomb-alert', category: 'security', weight: 80 }],
    });
    expect(a.reasons[0]?.text).toBe('rule security/bomb-alert +80');
  });

  it('keeps slang quiet', () => {
    const engine = createEngine({ rules });
    expect(engine.analyze(mention('ce concert à la gare était une bombe')).level).toBe('none');
  });

  it('puts a repost or quote that joins a story at the level of the story, and leaves replies and unknown originals alone', () => {
    const engine = createEngine({ rules });
    const original = mention('Alerte à la bombe à Roissy, terminal 2E évacué', { id: 'o1' });
    expect(engine.analyze(original).level).toBe('critical');
    const quote = engine.analyze(mention('c est vrai ça ??', { id: 'q1', quoteOf: 'o1', at: 1 }));
    expect(quote).toMatchObject({ level: 'critical', score: 75 });
    expect(quote.reasons.at(-1)).toEqual({ code: 'story', text: 'quote of a critical story +75', points: 75 });
    expect(engine.analyze(mention('RT on en sait plus ?', { id: 'r1', repostOf: 'o1', at: 2 })).level).toBe('critical');
    // A reply answers; it does not pass the story on.
    expect(engine.analyze(mention('on en sait plus ?', { id: 'p1', replyTo: 'o1', at: 3 })).level).toBe('none');
    // A repost of a post this engine never saw is a story of its own.
    expect(engine.analyze(mention('RT on en sait plus ?', { id: 'r2', repostOf: 'unknown', at: 4 })).level).toBe('none');
    const off = createEngine({ rules, risk: { cluster: { sharesTakeStoryLevel: false } } });
    off.analyze(mention('Alerte à la bombe à Roissy, terminal 2E évacué', { id: 'o1' }));
    expect(off.analyze(mention('c est vrai ça ??', { id: 'q1', quoteOf: 'o1', at: 1 })).level).toBe('none');
  });

  it('leaves a quote that says the story is over or was nothing at its own level', () => {
    const withDamping = { rules: [...rules.rules, { id: 'all-clear', category: 'security', weight: -60, damps: ['security'], query: '"fausse alerte" OR "valise oubliée"' }] };
    const engine = createEngine({ rules: withDamping });
    expect(engine.analyze(mention('Alerte à la bombe à Roissy, terminal 2E évacué', { id: 'o1' })).level).toBe('critical');
    expect(engine.analyze(mention('fausse alerte, c était une valise oubliée', { id: 'q1', quoteOf: 'o1', at: 1 })).level).toBe('none');
    expect(engine.analyze(mention('c est vrai ça ??', { id: 'q2', quoteOf: 'o1', at: 2 })).level).toBe('critical');
    // A repost passes the story on whatever it says: it is the original again.
    expect(engine.analyze(mention('RT fausse alerte ?', { id: 'r1', repostOf: 'o1', at: 3 })).level).toBe('critical');
    const off = createEngine({ rules: withDamping, risk: { cluster: { dampingQuotesKeepOwnLevel: false } } });
    off.analyze(mention('Alerte à la bombe à Roissy, terminal 2E évacué', { id: 'o1' }));
    expect(off.analyze(mention('fausse alerte, c était une valise oubliée', { id: 'q1', quoteOf: 'o1', at: 1 })).level).toBe('critical');
  });

  it('keeps the own watch-level notices of the watched accounts below a card, not their alerts', () => {
    const accounts = [{ handle: '@MetroVille' }];
    const by = (text: string, handle: string) => mention(text, { author: { id: '9', handle } });
    const engine = createEngine({ rules, accounts });
    const notice = engine.analyze(by('Ligne 4 : retards en raison d un incident, bus de remplacement', 'MetroVille'));
    expect(notice).toMatchObject({ level: 'none', score: 24 });
    expect(notice.reasons.at(-1)).toEqual({ code: 'own-post', text: 'posted by our own account @MetroVille -6', points: -6 });
    expect(engine.analyze(by('Ligne 4 : retards en raison d un incident, bus de remplacement', 'someone')).level).toBe('watch');
    expect(engine.analyze(by('Alerte à la bombe en gare, ne venez pas', 'metroville')).level).toBe('critical');
    const off = createEngine({ rules, accounts, risk: { quietOwnNotices: false } });
    expect(off.analyze(by('Ligne 4 : retards en raison d un incident', 'MetroVille')).level).toBe('watch');
  });

  it('puts a reply of a watched account inside a high or critical story at the story level, not its replies in calm stories', () => {
    const accounts = [{ handle: '@MetroVille' }];
    const engine = createEngine({ rules, accounts });
    engine.analyze(mention('Alerte à la bombe à Roissy, terminal 2E évacué', { id: 'o1' }));
    const ours = mention('Nos équipes sont sur place, merci de suivre les consignes', { id: 'a1', replyTo: 'o1', at: 1, author: { id: '9', handle: 'MetroVille' } });
    const reply = engine.analyze(ours);
    expect(reply).toMatchObject({ level: 'critical', score: 75 });
    expect(reply.reasons.at(-1)).toEqual({ code: 'story', text: 'reply of ours in a critical story +75', points: 75 });
    // The same words from anyone else, or from us in a story that is only at watch, keep their own level.
    expect(engine.analyze({ ...ours, id: 'a2', author: { id: '8', handle: 'someone' } }).level).toBe('none');
    engine.analyze(mention('encore du retard ce matin', { id: 'w1', at: 2 }));
    expect(engine.analyze({ ...ours, id: 'a3', replyTo: 'w1', text: 'Désolés pour la gêne, le trafic reprend' }).level).toBe('none');
    const off = createEngine({ rules, accounts, risk: { cluster: { ownRepliesTakeStoryLevel: false } } });
    off.analyze(mention('Alerte à la bombe à Roissy, terminal 2E évacué', { id: 'o1' }));
    expect(off.analyze(ours).level).toBe('none');
  });

  it('puts a reply worth a look inside a critical story at high, not quiet replies nor replies in calmer stories', () => {
    const engine = createEngine({ rules });
    engine.analyze(mention('Alerte à la bombe à la gare, tout le monde dehors', { id: 'c1' }));
    const report = mention('encore 20 min de retard et on est toujours bloqués dehors', { id: 'c2', replyTo: 'c1', at: 1 });
    const raised = engine.analyze(report);
    expect(raised).toMatchObject({ level: 'high', score: 50 });
    expect(raised.reasons.at(-1)).toEqual({ code: 'story', text: 'reply in a critical story +20', points: 20 });
    // A quiet reply stays quiet; the same report replying to a story at watch keeps its level.
    expect(engine.analyze(mention('merci pour l info', { id: 'c3', replyTo: 'c1', at: 2 })).level).toBe('none');
    engine.analyze(mention('retard ce matin', { id: 'w1', at: 3 }));
    expect(engine.analyze({ ...report, id: 'c4', replyTo: 'w1' }).level).toBe('watch');
    const off = createEngine({ rules, risk: { cluster: { replyReportsInCriticalStoriesAreHigh: false } } });
    off.analyze(mention('Alerte à la bombe à la gare, tout le monde dehors', { id: 'c1' }));
    expect(off.analyze(report).level).toBe('watch');
  });

  it('counts praise under its category without raising the level', () => {
    const a = createEngine({ rules }).analyze(mention('Merci pour le super accueil'));
    expect(a).toMatchObject({ level: 'none', score: 0, category: 'praise' });
  });

  it('resolves the account from a handle, an alias, or the only account a rule is for', () => {
    const engine = createEngine({ rules, accounts: [{ handle: '@MetroVille', aliases: ['ligne 13'] }, { handle: '@ParisAeroport' }] });
    expect(engine.analyze(mention('hello @metroville')).account).toBe('@MetroVille');
    expect(engine.analyze(mention('retard sur la ligne 13')).account).toBe('@MetroVille');
    expect(engine.analyze(mention('orly en panne')).account).toBe('@ParisAeroport');
    expect(engine.analyze(mention('bonjour')).account).toBeNull();
  });

  it('raises mentions on the subject of an open crisis, by term or by site', () => {
    const engine = createEngine({ rules, accounts: [{ handle: '@ParisAeroport', site: 'roissy' }] });
    const openCrises = [{ id: 'c1', terms: ['terminal 2E'], site: 'roissy' }];
    const byTerm = engine.analyze(mention('on est bloqués au terminal 2E'), { openCrises });
    const bySite = engine.analyze(mention('des nouvelles ?', { account: '@ParisAeroport' }), { openCrises });
    const off = engine.analyze(mention('des nouvelles ?', { account: '@MetroVille' }), { openCrises });
    expect(byTerm.reasons).toContainEqual({ code: 'crisis', text: 'open crisis on this subject +15', points: 15 });
    expect(bySite.score).toBe(15);
    expect(off.score).toBe(0);
  });

  it('takes author flags from configured lists and from the context', () => {
    const engine = createEngine({ rules, risk: { authors: { press: ['@LeJournal'] } } });
    const listed = engine.analyze(mention('retard', { author: { id: '1', handle: 'lejournal' } }));
    const fromDecisions = engine.analyze(mention('retard'), { author: { flags: ['elected'] } });
    expect(listed.reasons.map((r) => r.text)).toContain('author flagged press +15');
    expect(fromDecisions.reasons.map((r) => r.text)).toContain('author flagged elected +15');
  });

  it('guesses the language when the mention has none', () => {
    const engine = createEngine({ rules });
    expect(engine.analyze(mention('the train is late again', { lang: null })).lang).toBe('en');
    expect(engine.analyze(mention('the train', { lang: 'EN-gb' })).lang).toBe('en');
  });

  it('swaps rules without losing live clusters, and refuses an invalid pack with a coded error', () => {
    const engine = createEngine({ rules });
    const before = engine.analyze(mention('retard ligne 4', { id: 'k1' }));
    engine.replaceRules({ rules: [{ id: 'new', category: 'safety', weight: 55, query: 'fumée' }] });
    const after = engine.analyze(mention('fumée et retard', { replyTo: 'k1', at: 1 }));
    expect(after.rules.map((r) => r.ruleId)).toEqual(['new']);
    expect(after.cluster.id).toBe(before.cluster.id);
    let error: unknown;
    try {
      engine.replaceRules({ rules: [{ id: 'bad', category: 'x', weight: 1, query: '(oops' }] });
    } catch (err) {
      error = err;
    }
    expect(isVigieError(error, 'rule_syntax')).toBe(true);
    expect(engine.analyze(mention('fumée')).rules.map((r) => r.ruleId)).toEqual(['new']);
  });

  it('rejects an invalid risk configuration with a coded error naming the field', () => {
    expect(() => createEngine({ rules, risk: { levels: { watch: 'low' } } })).toThrow(/levels\.watch/);
    try {
      createEngine({ rules, risk: { cluster: { liveSetCap: -1 } } });
    } catch (err) {
      expect(isVigieError(err, 'config_invalid')).toBe(true);
    }
  });

  it('is deterministic: same input, same output', () => {
    const run = () => {
      const engine = createEngine({ rules });
      return [0, 1, 2].map((i) => engine.analyze(mention(`retard ${i} alerte à la bombe gare`, { id: `d${i}`, at: i, author: { id: `${i}`, handle: `u${i}`, followers: 60_000 } })));
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(first[0]?.level).toBe('critical');
  });

  it('analyses the same with a shared compiled pack and model as with its own, and shares no live state', () => {
    const root = new URL('../../', import.meta.url);
    const pack = parseRulePack(readFileSync(new URL('rules/default.yaml', root), 'utf8'), 'rules/default.yaml');
    const modelData = textModelFromJson(readFileSync(new URL('rules/default-model.json', root), 'utf8'), 'default-model.json');
    const lines = readFileSync(new URL('test/engine/fixtures/labelled-3.jsonl', root), 'utf8').split('\n').filter(Boolean);
    const mentions = lines.map((l) => mentionSchema.parse(JSON.parse(l)));
    // Checked data is not checked again; an edited copy of it is.
    expect(parseTextModel(modelData)).toBe(modelData);
    expect(() => parseTextModel({ ...modelData, bias: [0, 0] })).toThrow(/bias/);
    const compiled = new CompiledPack(pack);
    const model = new TextModel(modelData);
    const own = createEngine({ rules: pack, model: modelData });
    const shared = [createEngine({ rules: compiled, model }), createEngine({ rules: compiled, model })];
    // The two sharing engines take turns: each one's stories are its own.
    const got = mentions.map((m, i) => shared[i % 2]!.analyze(m));
    const alone = [createEngine({ rules: pack, model: modelData }), createEngine({ rules: pack, model: modelData })];
    expect(got).toEqual(mentions.map((m, i) => alone[i % 2]!.analyze(m)));
    expect(got.filter((a) => a.level !== 'none').length).toBeGreaterThan(100);
    // And one engine alone sees every mention's story grow where the two halves do not.
    const single = mentions.map((m) => own.analyze(m));
    expect(Math.max(...single.map((a) => a.cluster.count))).toBeGreaterThan(Math.max(...got.map((a) => a.cluster.count)));
    expect(shared[0]!.liveClusters + shared[1]!.liveClusters).toBeGreaterThan(own.liveClusters);
  });

  it('checks a pack once: a checked pack is taken as is, a plain copy is checked again', () => {
    const pack = validateRulePack(rules);
    expect(validateRulePack(pack)).toBe(pack);
    const edited = { ...pack, rules: [...pack.rules, { ...pack.rules[0]!, id: 'broken', query: '(bombe' }] };
    expect(() => validateRulePack(edited)).toThrow(/broken/);
    expect(() => createEngine({ rules: edited })).toThrow(/broken/);
  });
});

describe('spikes', () => {
  it('flags a subject whose last hour is well above its previous twelve', () => {
    const engine = createEngine({ rules, accounts: [{ handle: '@MetroVille' }] });
    // A steady trickle of 1 an hour for twelve hours, then 12 in the last hour.
    for (let h = 0; h < 12; h++) engine.analyze(mention(`retard ${h}`, { at: h * 60, account: '@MetroVille' }));
    for (let i = 0; i < 12; i++) engine.analyze(mention(`retard encore ${i}`, { at: 12 * 60 + 5 + i, account: '@MetroVille' }));
    const now = new Date(Date.UTC(2026, 10, 28, 8) + (12 * 60 + 30) * 60_000);
    const spikes = engine.spikes(now);
    const rule = spikes.find((s) => s.key === 'rule:disruption/delay');
    expect(rule).toMatchObject({ currentCount: 12, level: 'high' });
    // The twelve hours before the last one hold the whole trickle.
    expect(rule?.baselinePerHour).toBe(1);
    expect(spikes.map((s) => s.key)).toEqual(expect.arrayContaining(['category:disruption', 'account:@MetroVille']));
    expect(rule?.text).toContain('12 in the last hour');
  });

  it('does not flag a steady volume, a small burst, or anything an hour later', () => {
    const engine = createEngine({ rules });
    for (let h = 0; h < 13; h++) for (let i = 0; i < 10; i++) engine.analyze(mention(`retard ${h} ${i}`, { at: h * 60 + i }));
    engine.analyze(mention('alerte à la bombe gare', { at: 12 * 60 + 10 }));
    const now = new Date(Date.UTC(2026, 10, 28, 8) + (12 * 60 + 30) * 60_000);
    expect(engine.spikes(now)).toEqual([]);
  });

  it('reports good buzz as a spike that pages no one', () => {
    const engine = createEngine({ rules });
    for (let i = 0; i < 10; i++) engine.analyze(mention(`merci ${i}`, { at: i }));
    const spikes = engine.spikes(new Date(Date.UTC(2026, 10, 28, 8, 30)));
    expect(spikes.find((s) => s.key === 'category:praise')?.level).toBe('none');
  });
});
