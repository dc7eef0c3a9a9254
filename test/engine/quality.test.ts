import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { atLeast, type Level } from '../../src/core/levels.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { loadRulePack } from '../../src/engine/rule-pack.js';
import { mentionSchema } from '../../src/mentions/mention.js';

/**
 * The default pack against hand-labelled sets (French and English; metro, airport, city; with the
 * slang traps). Labels say what a person on the team would want, not what the rules do:
 * critical = life or security at stake now; high = a serious incident, press, harassment, assault;
 * watch = service failures and reputation; none = praise, questions, slang, fiction, drills.
 *
 * `labelled.jsonl` is the set the pack was first written against. `labelled-2.jsonl` was written
 * later, before the pack was reworked, and on purpose unlike the first: other phrasings, synonyms
 * and indirect descriptions, typos and missing accents, SMS, caps, emoji, hashtags, replies and
 * reposts, irony, and more traps (slang, titles, drills, remembrance, news from abroad, praise).
 * `labelled-3.jsonl` was written independently of the pack, after it, around a few days of incidents
 * (a security alert at the airport, a flooded station, smoke in a tunnel, a storm on a riverside
 * festival, a strike): indirect descriptions ("everyone is running to the exit", "water coming in
 * under the doors"), tourists' English, press and elected officials, after-the-fact updates, and
 * slang traps of its own ("une tuerie", "killer deal", "mort de chaud", book and film titles).
 * `labelled-4.jsonl` was written independently again, around the same kind of days (a bag alert at
 * the airport and its rumours, a sick passenger and an overheating brake on line 4, a strike, a
 * museum poster called propaganda, a staff video going viral, families sleeping outside city hall, a
 * line 14 outage), with traps aimed at the pack: figurative explosions ("mon code a explosé en
 * prod"), mist on the river, music releases with 💣, history ("ce jour-là en 1952"), praise that
 * mentions an incident, forgotten-suitcase all-clears, strike tips and jokes.
 * Each set is scored by one engine in file order, as `vigie score FILE.jsonl` does.
 */
function load(file: string) {
  const lines = readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.map((line) => {
    const raw = JSON.parse(line) as { expected: Level };
    return { mention: mentionSchema.parse(raw), expected: raw.expected };
  });
}

const count = (set: ReturnType<typeof load>, l: Level) => set.filter((x) => x.expected === l).length;

/** The aims: critical paged at high or above, anything needing a human shown, the rest kept quiet. */
const AIMS = { critical: 0.95, human: 0.9, quietFalse: 0.05 };

const sets = [
  {
    file: 'labelled.jsonl',
    aims: AIMS,
    // Size and shape of the set, then the traps it must hold and keep at none (start of a text).
    shape: (set: ReturnType<typeof load>) => {
      expect(set.length).toBeGreaterThanOrEqual(200);
      expect(Math.min(count(set, 'critical'), count(set, 'high'), count(set, 'watch'), count(set, 'none'))).toBeGreaterThanOrEqual(30);
    },
    traps: ['était une bombe', 'explosé de rire', 'mort de rire', 'exercice'],
    quiet: ['Ce concert était une bombe', "J'ai explosé de rire", 'Mort de rire', 'Exercice de sécurité prévu', 'Bullet Train'],
  },
  {
    file: 'labelled-2.jsonl',
    aims: AIMS,
    shape: (set: ReturnType<typeof load>) => {
      expect(set.length).toBeGreaterThanOrEqual(300);
      expect(count(set, 'critical')).toBeGreaterThanOrEqual(45);
      expect(count(set, 'high')).toBeGreaterThanOrEqual(45);
      expect(count(set, 'watch')).toBeGreaterThanOrEqual(70);
      expect(count(set, 'none')).toBeGreaterThanOrEqual(100);
      expect(set.filter((x) => x.mention.lang === 'en').length).toBeGreaterThanOrEqual(50);
      expect(set.some((x) => x.mention.repostOf) && set.some((x) => x.mention.replyTo)).toBe(true);
    },
    traps: ["c'était une bombe", 'explosé de rire', 'mort de rire', "i'm dead", 'this song is fire', 'killer app', 'ça a tué', 'exercice grandeur nature', 'fire drill'],
    quiet: [
      "La soirée d'inauguration du tram c'était une bombe",
      'Le contrôleur déguisé en père Noël ce matin',
      'mort de rire la mamie',
      "ptdr I'm dead 😂",
      'this song is fire',
      'killer app',
      'Le spectacle de danse à la mairie, ça a tué',
      'Info : exercice grandeur nature',
      'fire drill at the office',
      'Drill at terminal 3',
      'Bomb threat at an airport in Texas',
      'Remembering the victims of the 7/7 London bombings',
      "Il y a 30 ans, l'attentat de la station Saint-Michel",
      "la nouvelle déco de la station c'est de la bombe",
      'Airport gym is fire',
    ],
  },
  {
    file: 'labelled-3.jsonl',
    // Reached when it was added: critical 0.98, human 0.96, quiet false 0.04.
    aims: { critical: 0.95, human: 0.95, quietFalse: 0.05 },
    shape: (set: ReturnType<typeof load>) => {
      expect(set.length).toBeGreaterThanOrEqual(300);
      expect(count(set, 'critical')).toBeGreaterThanOrEqual(50);
      expect(count(set, 'high')).toBeGreaterThanOrEqual(50);
      expect(count(set, 'watch')).toBeGreaterThanOrEqual(75);
      expect(count(set, 'none')).toBeGreaterThanOrEqual(110);
      expect(set.filter((x) => x.mention.lang === 'en').length).toBeGreaterThanOrEqual(60);
      expect(set.some((x) => x.mention.repostOf) && set.some((x) => x.mention.replyTo)).toBe(true);
      expect(new Set(set.map((x) => x.mention.account)).size).toBeGreaterThanOrEqual(3);
    },
    traps: ['une bombe ce prix', 'killer deal', 'une tuerie', 'mort de chaud', 'explosé de rire', 'je suis mort', 'die hard', 'attack on titan', 'exercice incendie', 'fire playlist', 'minute de silence'],
    quiet: [
      'mdr mon pote a trouvé un Roissy-Lisbonne à 89€, une bombe ce prix',
      'exercice de sécurité prévu mardi au terminal 1',
      'watching Die Hard 2 at the gate',
      'Thoughts with everyone after the explosion at Valmora International',
      'the crêpes at the T2 food court are a killer deal',
      'le mec qui joue Attack on Titan',
      'Il y a 80 ans jour pour jour, la crue de 1946',
      'Moving ceremony today at the memorial',
      "minute de silence ce midi devant l'Hôtel de Ville",
      "on a testé le food truck coréen aux berges, c'est une tuerie",
      'je suis mort 😂 un pigeon',
      'Ce soir je revois La Grève',
      'fire playlist for the flight',
      'Le roman "Terminus Montval"',
      'ptdr le mec dans le métro qui explique',
      "exercice incendie à l'Hôtel de Ville",
      'that set at the riverbank was FIRE',
      "j'ai explosé de rire au spectacle",
      '"Le dernier métro" ce soir',
      'Airport 1975 is such a bad film',
      "J'ai cru que le tonnerre c'était une explosion",
      '"Attentat au Palais" de Lucie Morel',
      'Le DJ de 15h aux berges, une BOMBE atomique',
      'What if there was a fire in the metro',
      'Just finished Metro 2033',
      'Superbe expo photo sur les quais',
      'Les secouristes de la scène B ont été hyper rapides',
      'thanks for helping us find our lost kid',
    ],
  },
  {
    file: 'labelled-4.jsonl',
    // Reached when it was added: critical 1.00, human 0.99, quiet false 0.02.
    aims: { critical: 0.95, human: 0.95, quietFalse: 0.05 },
    shape: (set: ReturnType<typeof load>) => {
      expect(set.length).toBeGreaterThanOrEqual(300);
      expect(count(set, 'critical')).toBeGreaterThanOrEqual(50);
      expect(count(set, 'high')).toBeGreaterThanOrEqual(50);
      expect(count(set, 'watch')).toBeGreaterThanOrEqual(85);
      expect(count(set, 'none')).toBeGreaterThanOrEqual(100);
      expect(set.filter((x) => x.mention.lang === 'en').length).toBeGreaterThanOrEqual(50);
      expect(set.some((x) => x.mention.repostOf) && set.some((x) => x.mention.replyTo)).toBe(true);
      expect(new Set(set.map((x) => x.mention.account)).size).toBeGreaterThanOrEqual(3);
    },
    traps: [
      'code a explosé',
      'une tuerie',
      'nouveau son',
      'le fleuve qui fume',
      'en 1952',
      "malgré l'évacuation",
      "c'était une valise oubliée",
      'covoiturage',
      'survival guide',
      "n'est pas de la propagande",
      'explosé de rire',
      'bullet train',
    ],
    quiet: [
      "Ce jour-là en 1952 : l'incendie de la gare",
      "bombe à roissy ? nan c'est juste mon nouveau son",
      'le nouveau jeu "Metro Panic" c\'est une tuerie',
      'Footing sur les berges piétonnes à 7h, personne, le fleuve qui fume',
      "Franchement merci à l'équipe du 2E hier, débordés mais souriants malgré l'évacuation",
      'To be fair to @LuteceAeroport the lounge staff in 2E were lovely after the chaos',
      "Ouf, mon mari va bien, à Roissy c'était une valise oubliée",
      'ok my sister is fine, the roissy thing was a forgotten suitcase',
      'Update: paramedics got her, she was talking',
      'Grève jeudi ? Mon vélo ne fait jamais grève',
      'Pour mes élèves : la grève des traminots de Lutèce en 1936',
      'Je teste le covoiturage demain pour la grève',
      'survival guide for the Lutece metro strike',
      "Petit rappel : une affiche pour une expo de musée n'est pas de la propagande",
      'Merci @VilleDeLutece pour les nouveaux bancs du square Montsouris',
      "Coucher de soleil depuis le viaduc de la ligne 6, ça valait presque les 20 min d'attente",
      'Bilan de la journée : 0 retard à vélo',
      "@LuteceAeroport pour un bagage perdu il faut bien s'adresser à la compagnie",
      "ce concert hier soir c'était une BOMBE",
      "j'ai explosé de rire le mec dans la rame",
      'Explosion de joie à la mairie du 5e',
      "Exercice d'évacuation à l'hôtel de ville ce matin",
      'Those fireworks over city hall for the light festival sounded like gunshots',
      "Il y a 10 ans, l'attentat de la station Cluny",
      'Terrible images of the terminal fire at Port Elara airport overseas',
      'Lecture du jour : un polar qui commence par une explosion',
      "ce soir c'est match et le métro va être une dinguerie",
      '"bagage abandonné" = ma valise',
    ],
  },
];

describe.each(sets)('default pack quality on $file', async ({ file, aims, shape, traps, quiet }) => {
  const labelled = load(file);
  const engine = createEngine({ rules: await loadRulePack(new URL('../../rules/default.yaml', import.meta.url)) });
  const results = labelled.map(({ mention, expected }) => ({ expected, got: engine.analyze(mention).level, text: mention.text }));
  const recall = (expected: (l: Level) => boolean, reached: (l: Level) => boolean) => {
    const relevant = results.filter((r) => expected(r.expected));
    return { rate: relevant.filter((r) => reached(r.got)).length / relevant.length, missed: relevant.filter((r) => !reached(r.got)).map((r) => `${r.expected}→${r.got}: ${r.text}`) };
  };

  it('is a real set: its size, both languages, every level, the traps', () => {
    shape(labelled);
    const texts = labelled.map((x) => x.mention.text.toLowerCase());
    for (const trap of traps) expect(texts.some((t) => t.includes(trap.toLowerCase())), trap).toBe(true);
  });

  it(`pages critical mentions: recall of critical at high or critical >= ${aims.critical}`, () => {
    const { rate, missed } = recall((l) => l === 'critical', (l) => atLeast(l, 'high'));
    expect(rate, missed.join('\n')).toBeGreaterThanOrEqual(aims.critical);
  });

  it(`shows what needs a human: recall of watch-or-above at watch or above >= ${aims.human}`, () => {
    const { rate, missed } = recall((l) => l !== 'none', (l) => atLeast(l, 'watch'));
    expect(rate, missed.join('\n')).toBeGreaterThanOrEqual(aims.human);
  });

  it(`stays quiet on the rest: at most ${aims.quietFalse * 100}% of expected-none at watch or above`, () => {
    const quietOnes = results.filter((r) => r.expected === 'none');
    const noisy = quietOnes.filter((r) => atLeast(r.got, 'watch'));
    expect(noisy.length / quietOnes.length, noisy.map((r) => `${r.got}: ${r.text}`).join('\n')).toBeLessThanOrEqual(aims.quietFalse);
  });

  it('keeps the named slang, fiction, drill and remembrance traps at none', () => {
    for (const trap of quiet) {
      const hit = results.find((r) => r.text.startsWith(trap));
      expect(hit, `no mention starts with "${trap}"`).toBeDefined();
      expect(hit?.expected, trap).toBe('none');
      expect(hit?.got, trap).toBe('none');
    }
  });
});
