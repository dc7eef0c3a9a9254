import { describe, expect, it } from 'vitest';
import { atLeast, type Level } from '../../src/core/levels.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { loadRulePack } from '../../src/engine/rule-pack.js';
import { mention } from './helpers.js';

/**
 * Families of false alarms the default pack damps, each with sentences written for this test (none
 * is from a labelled set): those that must stay quiet, and the real alerts next to them that must
 * still be flagged at least at the given level. Rules only, no text model.
 */
const families: Array<{ family: string; quiet: string[]; alert: Array<[string, Level]> }> = [
  {
    family: 'events elsewhere',
    quiet: [
      'Colis suspect à la gare de Bordeaux ce matin, trafic coupé une heure',
      'Explosion in a subway station in Chicago tonight, several injured, awful pictures',
      'Evacuation at Amsterdam airport this afternoon after a bomb scare, glad I fly from Lutèce instead',
      'Alerte attentat dans le métro de Bruxelles, rien à voir avec Lutèce, courage à eux',
      'Fire at a shopping mall abroad on the news, people trampled at the exits',
    ],
    alert: [
      ['Alerte à la bombe au terminal 2 de Roissy, mon vol pour Londres est bloqué', 'critical'],
      ['Explosion au stade de Lutèce, des gens courent partout', 'critical'],
      ['Colis suspect dans le hall de la gare, périmètre de sécurité', 'high'],
      ['Incendie dans le métro ici, station évacuée, mes amis de Montréal sont avec moi', 'critical'],
      // A trip to or from another city, or people from there, does not move the alert away.
      ['Colis suspect au terminal 2, mon vol de Marseille est bloqué, la police fait reculer tout le monde', 'high'],
      ['Explosion dans le hall du terminal, des blessés, je suis avec des touristes de Madrid', 'critical'],
    ],
  },
  {
    family: 'crowds and teams that "explode", figurative killing',
    quiet: [
      'Le public a explosé quand le chanteur est revenu sur scène, quelle soirée',
      'On a explosé Valenciennes 5-1, la rame chantait jusqu au terminus',
      'The stadium erupted when the equaliser went in, unreal',
      'my little brother absolutely murdered that karaoke song on the last train home',
    ],
    alert: [
      ['Alerte à la bombe au stade, les tribunes sont évacuées', 'critical'],
      ['Une voiture a explosé devant le stade, il y a des blessés', 'critical'],
      ['Grosse explosion dans la station du stade après le match, fumée partout', 'critical'],
    ],
  },
  {
    family: 'praise of a handled incident, relief',
    quiet: [
      'Chapeau aux pompiers de la gare, évacuation du quai faite dans le calme, rapides et pros 👏',
      'Big thanks to the airport police, they cleared the hall quickly and calmly, all good now',
      'relieved the fire reports at the station were nothing, sorry for the panic everyone',
    ],
    alert: [
      ["Merci aux agents, mais l'évacuation du terminal s'est faite sans aucune info, 1h dehors", 'watch'],
      ['Incendie dans la rame, les pompiers arrivent, évacuation en cours', 'critical'],
      ['Un homme armé d un couteau sur le quai, les agents nous ont fait sortir calmement mais il est toujours là', 'critical'],
      ['Thanks to the firefighters who came fast, but people are still trapped in the smoke on the platform', 'critical'],
    ],
  },
  {
    family: 'routine alerts, jokes, hypotheticals, trivia',
    quiet: [
      'Un sac oublié à la gare c est tous les jours, respirez, c est la procédure',
      'my cheese sandwich is so strong it could set off the alarms at security 💀',
      'Question bête : si jamais il y avait un incendie dans le tram, on sort comment ?',
      'Fun fact: the old tunnel under the square was closed after a fire in 1921',
      'Explosive Kittens is the best card game, fight me',
    ],
    alert: [
      ['Sac abandonné sur le quai, les démineurs arrivent, la station est fermée', 'high'],
      ['Fumée dans le tunnel, odeur de brûlé, on est bloqués dans la rame', 'high'],
    ],
  },
  {
    family: 'disruption words in good news or chores',
    quiet: [
      'Le métro était parfait ce matin, pas un seul retard de la semaine',
      "Le train avait 20 min de retard mais le contrôleur était adorable, merci ❤️",
      'Flight delayed an hour, no worries, the lounge is lovely',
      'Grève générale de la vaisselle à la maison ce soir',
    ],
    alert: [
      ['45 min de retard sur la ligne 4 et aucune info', 'watch'],
      ['Grève du métro jeudi, la ligne 14 sera fermée', 'watch'],
    ],
  },
  {
    family: 'alerts the pack used to miss',
    quiet: ['Nouveau laser game près de la gare, trop bien', 'Trop bien la nouvelle place du marché, merci la mairie 🌱'],
    alert: [
      ['A laser was aimed at our plane on the approach, the pilot had to go around', 'critical'],
      ['Un homme allongé sur le quai depuis une heure, il ne bouge pas', 'critical'],
      ['My daughter got separated from us at the arrivals hall, she is 5, pink jacket', 'high'],
      ['Ma grand-mère a disparu dans le terminal, elle est désorientée', 'high'],
      ['ligne 7 totally dead this morning, no trains', 'watch'],
      ['Escalator de la sortie nord à l arrêt et barriéré depuis lundi', 'watch'],
      ['Une heure pour trois stations ce matin. Merci le métro', 'watch'],
    ],
  },
];

describe('default pack families', async () => {
  const engine = createEngine({ rules: await loadRulePack(new URL('../../rules/default.yaml', import.meta.url)) });
  const level = (text: string) => engine.analyze(mention(text)).level;

  describe.each(families)('$family', ({ quiet, alert }) => {
    it.each(quiet)('stays quiet: %s', (text) => {
      expect(level(text)).toBe('none');
    });
    it.each(alert)('still alerts: %s (at least %s)', (text, least) => {
      const got = level(text);
      expect(atLeast(got, least), `got ${got}`).toBe(true);
    });
  });
});
