import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/create-engine.js';
import { linkKey, places } from '../../src/engine/cluster/story-keys.js';
import { mention } from './helpers.js';

const rules = {
  rules: [
    { id: 'breakdown', category: 'disruption', weight: 30, query: 'panne' },
    { id: 'bomb', category: 'security', weight: 80, query: 'bombe' },
  ],
};

describe('story clustering', () => {
  it('puts replies, reposts and quotes with their original', () => {
    const engine = createEngine({ rules });
    const original = engine.analyze(mention('Panne géante sur la ligne 4', { id: 'o1' }));
    const reply = engine.analyze(mention('pareil ici', { replyTo: 'o1', at: 1 }));
    const repost = engine.analyze(mention('RT', { repostOf: 'o1', at: 2 }));
    expect(original.cluster.isNew).toBe(true);
    expect([reply.cluster.id, repost.cluster.id]).toEqual([original.cluster.id, original.cluster.id]);
    expect(repost.cluster).toMatchObject({ isNew: false, count: 3, recentCount: 3 });
  });

  it('groups mentions sharing a link, ignoring tracking parameters, but not bare home pages', () => {
    const engine = createEngine({ rules });
    const a = engine.analyze(mention('regardez https://news.example/article/42?utm_source=x'));
    const b = engine.analyze(mention('incroyable https://www.news.example/article/42/', { at: 3 }));
    const c = engine.analyze(mention('voir https://news.example', { at: 4 }));
    const d = engine.analyze(mention('et https://news.example/', { at: 5 }));
    expect(b.cluster.id).toBe(a.cluster.id);
    expect(d.cluster.id).not.toBe(c.cluster.id);
    expect(linkKey('https://x.com/u/status/1?s=20&lang=fr')).toBe('x.com/u/status/1?lang=fr');
  });

  it('groups near-duplicate texts and keeps different stories apart', () => {
    const engine = createEngine({ rules });
    const a = engine.analyze(mention('Alerte à la bombe à Roissy, tout le terminal 2E est évacué, incroyable'));
    const b = engine.analyze(mention('alerte a la bombe a roissy tout le terminal 2E est évacué !!! 😱', { at: 2 }));
    const c = engine.analyze(mention('Le marché de Noël ouvre samedi sur la place, venez nombreux', { at: 3 }));
    expect(b.cluster.id).toBe(a.cluster.id);
    expect(c.cluster.id).not.toBe(a.cluster.id);
  });

  it('groups the same category at the same place within the window only', () => {
    const engine = createEngine({ rules, risk: { cluster: { windowMinutes: 60 } } });
    const a = engine.analyze(mention('Encore une panne ligne 13 ce matin'));
    const b = engine.analyze(mention('La 13 est en panne, métro 13 à l arrêt', { at: 20 }));
    const c = engine.analyze(mention('panne sur la ligne 4', { at: 25 }));
    const d = engine.analyze(mention('nouvelle panne ligne 13', { at: 200 }));
    expect(b.cluster.id).toBe(a.cluster.id);
    expect(c.cluster.id).not.toBe(a.cluster.id);
    expect(d.cluster.id).not.toBe(a.cluster.id);
    expect(places(['terminal', '2e', 'rer', 'b', 'gare', 'de', 'lyon', 't2f'])).toEqual(['terminal 2e', 'rer b', 'gare lyon', 'terminal 2f']);
  });

  it('tells incidents at one place as one story across incident categories, not reputation', () => {
    const more = {
      rules: [...rules.rules, { id: 'sick', category: 'safety', weight: 50, query: 'malaise' }, { id: 'shame', category: 'reputation', weight: 30, query: 'honte' }],
    };
    const engine = createEngine({ rules: more });
    const a = engine.analyze(mention('Malaise voyageur ligne 4, rame immobilisée'));
    const b = engine.analyze(mention('encore une panne ligne 4, rien ne bouge', { at: 5 }));
    const c = engine.analyze(mention('ligne 4 la honte chaque semaine', { at: 6 }));
    expect(b.cluster.id).toBe(a.cluster.id);
    expect(c.cluster.id).not.toBe(a.cluster.id);
    const apart = createEngine({ rules: more, risk: { cluster: { incidentCategories: [] } } });
    const x = apart.analyze(mention('Malaise voyageur ligne 4, rame immobilisée'));
    expect(apart.analyze(mention('encore une panne ligne 4, rien ne bouge', { at: 5 })).cluster.id).not.toBe(x.cluster.id);
  });

  it('tells a security rumour about one account as one story, however it is worded, within the site window', () => {
    const accounts = [
      { handle: '@Aeroport', site: 'roissy', aliases: ['roissy', 'cdg'] },
      { handle: '@Metro', site: 'metro', aliases: ['métro'] },
    ];
    const engine = createEngine({ rules, accounts, risk: { cluster: { siteWindowMinutes: 30 } } });
    const a = engine.analyze(mention('Une bombe à Roissy ?? tout le monde court'));
    const b = engine.analyze(mention('cdg : on parle d une bombe dans un sac, la police évacue', { at: 10 }));
    const c = engine.analyze(mention('@Aeroport bombe ou pas ? dites quelque chose', { at: 35 }));
    const elsewhere = engine.analyze(mention('alerte bombe dans le métro ce matin', { at: 12 }));
    const otherCategory = engine.analyze(mention('panne des tapis à Roissy', { at: 14 }));
    const later = engine.analyze(mention('bombe à Roissy, encore', { at: 100 }));
    expect([b.cluster.id, c.cluster.id]).toEqual([a.cluster.id, a.cluster.id]);
    expect(elsewhere.cluster.id).not.toBe(a.cluster.id);
    expect(otherCategory.cluster.id).not.toBe(a.cluster.id);
    expect(later.cluster.id).not.toBe(a.cluster.id);

    // Off for a category not listed, and for mentions no account claims.
    const off = createEngine({ rules, accounts, risk: { cluster: { siteCategories: [] } } });
    const x = off.analyze(mention('Une bombe à Roissy ?? tout le monde court'));
    expect(off.analyze(mention('cdg : on parle d une bombe dans un sac', { at: 1 })).cluster.id).not.toBe(x.cluster.id);
    const anywhere = createEngine({ rules });
    const y = anywhere.analyze(mention('Une bombe à Roissy ?? tout le monde court'));
    expect(anywhere.analyze(mention('cdg : on parle d une bombe dans un sac', { at: 1 })).cluster.id).not.toBe(y.cluster.id);
  });

  it('carries the highest member level, category and top authors, raised by velocity', () => {
    const engine = createEngine({ rules, risk: { velocity: { raiseLevelAt: 5 } } });
    const first = engine.analyze(mention('panne ligne 1 station Nation', { id: 's1', author: { id: 'x', handle: 'alice' } }));
    let last = first;
    for (let i = 0; i < 4; i++) last = engine.analyze(mention(`encore ${i}`, { replyTo: 's1', at: i + 1, author: { id: 'y', handle: 'bob' } }));
    expect(first.cluster.level).toBe('watch');
    expect(last.cluster).toMatchObject({ count: 5, recentCount: 5, level: 'high', category: 'disruption' });
    expect(last.cluster.topAuthors).toEqual(['bob', 'alice']);
    expect(last.reasons.some((r) => r.code === 'velocity')).toBe(false);
  });

  it('counts velocity over the window only', () => {
    const engine = createEngine({ rules });
    engine.analyze(mention('panne générale ligne 8', { id: 'v1' }));
    for (let i = 1; i <= 5; i++) engine.analyze(mention('panne', { replyTo: 'v1', at: i }));
    const late = engine.analyze(mention('panne', { replyTo: 'v1', at: 30 }));
    expect(late.cluster).toMatchObject({ count: 7, recentCount: 1 });
  });

  it('keeps the live set bounded, evicting the least recently touched story', () => {
    const engine = createEngine({ rules, risk: { cluster: { liveSetCap: 10 } } });
    const first = engine.analyze(mention('histoire zéro unique', { id: 'e0' }));
    for (let i = 1; i <= 20; i++) engine.analyze(mention(`histoire ${i} unique`, { id: `e${i}`, at: i }));
    expect(engine.liveClusters).toBe(10);
    expect(engine.snapshot(first.cluster.id)).toBeNull();
    const reply = engine.analyze(mention('réponse', { replyTo: 'e0', at: 21 }));
    expect(reply.cluster.id).not.toBe(first.cluster.id);
  });

  it('bounds the keys of one endless storm, still joining replies to its recent members', () => {
    const engine = createEngine({ rules });
    const first = engine.analyze(mention('Panne géante ligne 4', { id: 's0' }));
    const sizes: number[] = [];
    for (let i = 1; i <= 12_000; i++) {
      const m = engine.analyze(mention(`réponse numéro ${i}`, { id: `s${i}`, replyTo: `s${i - 1}`, at: i }));
      expect(m.cluster.id).toBe(first.cluster.id);
      if (i % 3_000 === 0) sizes.push(engine.liveIndexKeys);
    }
    // Every member id registered would make 12,000 keys and growing; the cap keeps it flat.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4_100);
    expect(sizes[3]! - sizes[1]!).toBeLessThan(2_100);
    const late = engine.analyze(mention('moi aussi', { replyTo: 's11990', at: 12_001 }));
    expect(late.cluster).toMatchObject({ id: first.cluster.id, count: 12_002 });
  });

  it('snapshots a cluster and restores it in a new engine after a restart', () => {
    const engine = createEngine({ rules });
    const a = engine.analyze(mention('Alerte à la bombe à Roissy, tout le terminal 2E est évacué maintenant', { id: 'r1' }));
    const snap = JSON.parse(JSON.stringify(engine.snapshot(a.cluster.id)));
    expect(snap).toMatchObject({ id: a.cluster.id, count: 1, level: 'critical', category: 'security' });

    const restarted = createEngine({ rules });
    restarted.restore([{ ...snap, firstSeen: new Date(snap.firstSeen), lastSeen: new Date(snap.lastSeen) }]);
    const dup = restarted.analyze(mention('alerte à la bombe à roissy tout le terminal 2E est évacué maintenant !!', { at: 2 }));
    const reply = restarted.analyze(mention('quoi ??', { replyTo: 'r1', at: 3 }));
    expect(dup.cluster.id).toBe(a.cluster.id);
    expect(reply.cluster).toMatchObject({ id: a.cluster.id, count: 3, isNew: false });
  });

  it('restores a cluster whose stored signature is unreadable, without its fingerprint', () => {
    const engine = createEngine({ rules });
    const at = new Date('2026-11-28T08:00:00Z');
    engine.restore([{ id: 'twitter:old', firstSeen: at, lastSeen: at, count: 4, level: 'high', category: 'security', signature: { v: 99 } }]);
    expect(engine.snapshot('twitter:old')).toMatchObject({ count: 4, level: 'high' });
    expect(engine.analyze(mention('suite', { replyTo: 'old' })).cluster.count).toBe(5);
  });
});
