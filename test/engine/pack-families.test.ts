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
    family: 'getting through a strike on foot or by bike (what the strike causes still reaches the team)',
    quiet: [
      'Deuxième jour de grève, 7 km à pied ce matin et je découvre enfin mon quartier, vive la marche',
      'Strike day three: walked to work along the river, honestly the best commute I have had in years',
      'Rail workers are on strike in Spain too this week, solidarity',
    ],
    alert: [
      ['Grève : 50 minutes sur le quai bondé à Bastide, impossible de monter dans la rame', 'watch'],
      ['strike again, no train to the airport and nobody answers, I am going to miss my flight', 'watch'],
      ['Grève ligne 4 : quai noir de monde à Châtelet, les gens sont poussés vers le bord des voies', 'high'],
    ],
  },
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
    family: 'critical situations told by their signs (crush, person down, water, vehicle, relatives, lost child)',
    quiet: [
      'Concert de fou hier, tout le monde pousse devant la scène et hurle les paroles 🤘',
      'Mon chat ne bouge plus du canapé depuis ce matin, la flemme totale',
      'Pas de nouvelles de ma sœur depuis son départ en vacances, elle doit bronzer tranquille',
      'Le petit a fait du vélo tout seul pour la première fois au parc, trop fier',
      'Bombed my exam so now drowning my sorrows in crêpes by the canal',
    ],
    alert: [
      ["Ça pousse de partout dans l'escalier de la sortie 4, un monsieur est par terre et personne peut le relever", 'critical'],
      ['Everyone is crushed against the barriers at the exit, people falling, I can not breathe', 'critical'],
      ["Une dame assise par terre sur le quai, elle parle plus et elle est toute pâle, on a appelé un agent", 'critical'],
      ["Un ado a plongé du pont dans le canal et il remonte pas, les gens crient", 'critical'],
      ['Une camionnette vient de rentrer dans la terrasse du café place du marché, il y a des gens au sol', 'critical'],
      ["Mon père est au terminal 2 et il répond plus depuis l'alerte, quelqu'un a des nouvelles ?", 'high'],
      ["Petite fille toute seule qui pleure près des guichets de la gare, quelqu'un connaît ses parents ?", 'high'],
      ['Deux victimes prises en charge par les pompiers après la chute dans l escalier mécanique', 'high'],
      ['Plane circling in a holding pattern above the airport, captain says security reasons', 'high'],
      ['Intervention de police en cours, les trains ne marquent pas l arrêt à la station Mairie', 'high'],
    ],
  },
  {
    family: 'over and fine, history, news from elsewhere, notices',
    quiet: [
      'Update: the smoke in the corridor was a burnt toaster in a kiosk, nobody hurt, station open again',
      'Il y a 30 ans, la grande crue paralysait le métro pendant une semaine : photos d archives 👇',
      'Throwback to the big blackout on the tram in 2009, anyone else remember walking home?',
      'Grenoble : un incendie a détruit un entrepôt dans la nuit, selon la préfecture aucun blessé',
      'Unrelated to Lutèce: a bomb threat closed an airport terminal in Texas this morning',
      'Nous regrettons la gêne occasionnée. Hydratez-vous et pensez à emporter de l eau',
      "c'est un four ce bureau, clim en panne, télétravail demain",
      'The crowd at the arena exploded on that last-second dunk, what a game',
    ],
    alert: [
      ['Update: the fire in the corridor is still burning, people still inside the station', 'critical'],
      ['Incendie dans le hall du terminal, fumée partout, on évacue', 'critical'],
      ["Comme il y a 20 ans, encore une panne géante sur la ligne 1, rien n'a changé", 'watch'],
      ['Le trafic reprend à la gare mais toujours 40 min de retard et aucune info', 'watch'],
      ['Clim en panne dans la rame, 38 degrés, une dame a fait un malaise', 'high'],
    ],
  },
  {
    family: 'everyday complaints and pressure with no alarm word',
    quiet: [
      'La piscine du quartier est ouverte jusqu à 22h cet été, génial',
      'Quelqu un sait si la bibliothèque ferme tard le jeudi ?',
      'Ça sent le croissant chaud dans toute la station ce matin, bonheur',
      'Concert magique hier soir dans le parc, trop bien jusqu à minuit',
      'Le conseil municipal a voté le budget des espaces verts ce soir',
    ],
    alert: [
      ['Les fontaines du square sont toutes cassées en pleine canicule, aucune qui marche', 'watch'],
      ['Odeur d égout insupportable dans le couloir de la station', 'watch'],
      ['Marteau-piqueur sous mes fenêtres à 2h du matin, impossible de dormir', 'watch'],
      ['Pas un seul chariot au terminal, on porte les valises à la main', 'watch'],
      ["L'application affiche le nom et l'adresse d'un autre usager, c'est une fuite de données", 'high'],
      ["Je demande l'audition du directeur au prochain conseil municipal après ce fiasco", 'high'],
      ['Bébé de 8 mois et pas d eau depuis 4 heures, on dort par terre dans le hall', 'high'],
      ['Ma valise est partie à Oslo et moi je suis ici, j attends depuis 48h sans nouvelles', 'watch'],
      ['The lift at the north exit is down again, third time this week, I carry the pram up the stairs', 'watch'],
      ['Camions de livraison garés sur la piste cyclable du boulevard, obligé de rouler dans la circulation', 'watch'],
      ['Le standard des objets trouvés sonne dans le vide depuis trois jours', 'watch'],
      ['Les marchés du festival attribués sans mise en concurrence à un ancien collaborateur du maire ?', 'high'],
      ['#SauvezLaPiscine en top tendance, rassemblement samedi devant la mairie', 'high'],
      ['Heating broken in the tram this morning, everyone freezing in coats', 'watch'],
      ['Fausse alerte au hall B, un sac oublié. Mais 2h dehors sous la pluie sans la moindre info', 'watch'],
      ["All clear, it was a forgotten bag, but the guard at security spoke to me like a dog", 'watch'],
      ['Une rame sur deux ce soir alors que le quai est bondé, sérieusement ?', 'watch'],
      ['Le guichet de la mairie ouvre à 9h, il est 10h et la porte est toujours fermée', 'watch'],
      ['Bruit de ferraille et grincements de freins à chaque virage sur le tram 3', 'watch'],
    ],
  },
  {
    family: 'round 5 quiet neighbours: news from elsewhere, trips, praise and good news',
    quiet: [
      'Rennes : un bus a pris feu cette nuit au dépôt, selon les pompiers aucun blessé',
      'Our album is trending on the charts this week, thank you all so much ❤️',
      'Piste cyclable inaugurée sur le quai ce matin, merci la mairie',
      'Lost my passport somewhere near gate K12 this morning, no idea where, I was heading to the baggage hall',
      'Quatrième fois que je regarde ce film dans le tram, toujours aussi bien',
      'Deuxième confinement de ma vie dans ce studio, covid quand tu nous tiens, on attend la fin',
      'Merci de ne pas laisser vos bagages sans surveillance, nos équipes veillent',
      'Free coffee handed out in the security queue this morning, lovely touch, thank you!',
      'Copenhagen is at 35 today too, their metro is a sauna but what a city',
      'Exercice d évacuation ce matin, 20 minutes dehors sous la pluie, tout s est bien passé',
      'Rappel : ne laissez jamais votre chien dans une voiture au soleil, même 10 minutes',
    ],
    alert: [
      ['Mon vol pour Rennes est annulé et personne au comptoir depuis 2h', 'watch'],
      ["Au marché tout le monde s'est mis à courir vers la sortie, sirènes partout, je sais pas ce qui se passe", 'critical'],
      ['On nous a fait rentrer dans la boutique, rideau baissé, des policiers partout dehors, on attend', 'high'],
      ['Police dogs going in and out of the terminal, everyone waiting outside on the car park', 'high'],
      ['Entrepôt du dépôt de bus : le feu est fixé, opérations de noyage en cours, 12 engins engagés', 'high'],
      ['La personne a été remontée sur le quai par les agents, les pompiers arrivent', 'high'],
      ['Incendie dans un bus au terminal, fumée dans le hall, des gens toussent', 'critical'],
    ],
  },
  {
    family: 'lateness and breakdowns that are not our service (a parcel, a teacher, one\'s own phone, the lift at home, a café)',
    quiet: [
      'Ma commande a déjà une semaine de retard, le transporteur ne sait même pas où elle est',
      'Notre professeur de maths est en retard, on révise en attendant',
      'Mon téléphone est en panne depuis hier, je vis sans notifications et c\'est reposant',
      "L'ascenseur de notre résidence est encore en panne, je monte six étages avec les courses",
      'Toujours au café depuis une heure à finir ce dossier, je ne bouge plus',
      "J'ai un train de retard sur les séries, quelqu'un peut me résumer ?",
    ],
    alert: [
      ['RER C en retard de 25 minutes, je vais rater mon cours de 8h', 'watch'],
      ["L'ascenseur de la station République est en panne depuis lundi", 'watch'],
      ["Ma voiture est en panne donc métro ce matin, et la ligne 2 est encore à l'arrêt", 'watch'],
    ],
  },
  {
    family: 'a delay told calmly (a book, a glass, "could be worse")',
    quiet: [
      "Vol pour Rome retardé de 2 heures, je suis au salon avec un livre, j'ai connu pire",
      'Our flight is delayed again, 90 minutes, but the seats are comfy and the coffee is decent, could be worse',
    ],
    alert: [
      ['Vol retardé de 3 heures et aucune annonce, on ne sait rien', 'watch'],
      ['Flight delayed 3 hours and still no information, the lounge is comfy at least', 'watch'],
    ],
  },
  {
    family: 'strike jokes, a football strike, a strike in another city',
    quiet: [
      'Mon cerveau est en grève de motivation depuis ce matin',
      "Ce chien fait la grève des câlins depuis qu'on est rentrés",
      'Unbelievable strike from 30 yards, top corner, what a goal',
      'Strike at Frankfurt airport today, my cousin is stuck there for the night',
      'Préavis de grève sur la ligne 4 ? Comme si on allait voir la différence 😂',
    ],
    alert: [
      ['Grève sur la ligne 4 demain, pas un train avant 10h', 'watch'],
      ['Strike at the airport today, 2 hour queues at security', 'watch'],
    ],
  },
  {
    family: 'a home or office alarm set off by cooking, party fire slang',
    quiet: [
      "Le détecteur de fumée de l'appart a sonné parce que j'ai cramé les crêpes",
      'The fire alarm in our building went off because my neighbour burnt his toast again',
      'Karaoké au bar ce soir, entrée gratuite, ça va être le feu',
    ],
    alert: [
      ['Alarme incendie au terminal 2, de la fumée sort du faux plafond', 'critical'],
      ["Le détecteur de fumée de l'immeuble sonne et il y a des flammes au deuxième étage", 'critical'],
    ],
  },
  {
    family: 'figurative terrorists, an attack denied, the only "fight" of the night',
    quiet: [
      "Les livreurs en scooter sur les trottoirs c'est des terroristes",
      "C'était pas un attentat, juste un pneu de bus qui a éclaté, tout le monde est reparti",
      "La seule bagarre de la soirée c'était pour la dernière crêpe",
    ],
    alert: [
      ['Attentat à la station Bastide, des gens blessés', 'critical'],
      ['Bagarre sur le quai de la ligne 13, un homme au sol', 'high'],
    ],
  },
  {
    family: 'the injured or unwell person is fine, the rescue is over',
    quiet: [
      "Le cycliste blessé hier place de la Bastide est sorti de l'hôpital, il va bien",
      'La dame qui avait fait un malaise dans le bus va bien, son fils a donné des nouvelles',
      'La brigade fluviale a récupéré les deux kayakistes, sains et saufs',
    ],
    alert: [
      ["Un homme blessé à l'escalator de Bastide, je sais pas s'il va bien, personne n'arrive", 'high'],
      ["La brigade fluviale cherche un homme tombé du pont, il n'est pas remonté", 'critical'],
    ],
  },
  {
    family: 'a phone that "exploded", a pet, a deleted post, a parody account',
    quiet: [
      'My phone exploded with texts after the final whistle',
      "Mon chien s'exhibe sur le canapé au soleil",
      "Désolé pour la panique de tout à l'heure, c'était une erreur, je supprime",
      '#Parodie : colis suspect à la mairie, il contenait le programme du maire',
    ],
    alert: [
      ['Colis suspect dans le hall de la gare, les démineurs arrivent', 'high'],
      ["Un homme s'exhibe devant les filles sur le quai", 'high'],
    ],
  },
  {
    family: 'crime and alert words played on one\'s own things, food, hair, toys or pet',
    quiet: [
      'Ma peluche a été prise en otage par le chien, rançon exigée en croquettes',
      'Someone kidnapped my snowman overnight, only the scarf is left, the investigation begins ⛄',
      "J'ai décrété un périmètre de sécurité autour de mes crêpes, personne n'approche",
      'Attentat culinaire à la cantine : des endives au jambon, encore',
      'my cat is a menace, he attacked my headphones and knocked the plant off the shelf 🐈',
      'Alerte attentat capillaire : ma coiffeuse a raté ma frange, je sors plus',
    ],
    alert: [
      ['Un homme a tenté d enlever une petite fille à la sortie de la station, la police est là', 'critical'],
      ['Colis suspect à côté du stand de crêpes devant la gare, les démineurs arrivent', 'high'],
      ["Un homme armé d'un couteau menace les gens au marché de Noël près du sapin, la police arrive", 'critical'],
      ["Ça sent le gaz dans tout l'immeuble, j'ai coupé la cuisinière et on sort", 'high'],
    ],
  },
  {
    family: 'banter and drinks with shooting words, a DJ who "set the place on fire"',
    quiet: [
      '"shots fired" 😂 my sister just told grandma her soup needs salt',
      'Tournée de shots de tequila pour fêter la fin des partiels 🥃',
      'Le DJ a mis le feu au quai des Brumes hier, quelle soirée 🎶',
    ],
    alert: [
      ['Shots fired near the station exit, people running everywhere', 'critical'],
      ['Coups de feu entendus devant le bar près de la gare, les gens courent', 'critical'],
      ['Un homme a mis le feu à une poubelle devant la scène, les flammes montent', 'critical'],
    ],
  },
  {
    family: 'a route found, a delay forgotten, a disruption only supposed, a past strike',
    quiet: [
      'Trouvé un itinéraire par le tram 2, 35 min au lieu de 20, ça me va',
      'Took the river bus instead, 50 minutes instead of 30 but not bad at all with that view',
      'Une crêpe au soleil sur le parvis et on a oublié le retard du matin',
      'Si mon vol est annulé, est-ce que la compagnie me rembourse l hôtel ? Question pour demain',
      'In case the train gets cancelled, is the ticket valid on the next one?',
      'Tu te souviens des grèves de l hiver 2019 ? Cette année c est rien à côté',
    ],
    alert: [
      ['1h10 au lieu de 25 min à cause de la panne sur la ligne 4, aucune info', 'watch'],
      ['Mon vol est encore annulé, deuxième fois cette semaine, personne au comptoir', 'watch'],
      ['if my flight gets cancelled one more time I will lose my job, third delay today', 'watch'],
      ['Grève sur la ligne 9 ce matin, pas un train avant 10h', 'watch'],
    ],
  },
  {
    family: 'praise of kind staff in the middle of the trouble',
    quiet: [
      "Les agents de la gare ont été insultés toute la soirée et ils répondaient avec le sourire, bravo à eux",
      'Huge thanks to the airport staff, shouted at all day and still helping everyone with a smile',
    ],
    alert: [
      ["L'agent m'a crié dessus devant tout le monde au guichet, aucun respect", 'watch'],
      ['Merci aux agents avec le sourire, mais encore 2h de retard et aucune info', 'watch'],
    ],
  },
  {
    family: '"explosions" explained as fireworks or tear gas',
    quiet: ['Les explosions entendues vers le port ? C était juste des pétards, respirez'],
    alert: [
      ['Explosion dans la station, fumée partout, des gens blessés', 'critical'],
      ['Grosse explosion près de la gare, tout le monde court, on dirait pas des pétards', 'critical'],
    ],
  },
  {
    family: 'round 7 alerts: a call for a doctor, chest compressions, threats to staff, people turned away into the cold, winter streets',
    quiet: [
      'Je suis morte de rire, mon fils a fait un bonhomme de neige avec une moustache',
      'Les trottoirs de la rue sont déneigés depuis 7h, merci aux agents 👏',
      'Snow ploughs out since 5am on the bridges, well done the city',
      'Le prochain qui me spoile la série je le défonce 😂',
      'Petit déj au chaud avant la luge, le parc est une vraie patinoire de bonheur',
    ],
    alert: [
      ['Une dame s est effondrée dans le bus, is there anyone who is a doctor ? est-ce qu il y a un médecin parmi vous', 'high'],
      ['Flight attendant asking if any doctors on board, a passenger collapsed in row 20', 'high'],
      ['Un monsieur par terre dans le hall, quelqu un fait des compressions thoraciques', 'critical'],
      ['Le contrôleur qui m a mis une amende, je sais où il habite et je vais le buter', 'critical'],
      ["next time that driver shuts the doors on me I'll wait for him after his shift and smash his face", 'critical'],
      ['Je suis mort d inquiétude, ma mère est dans le RER bloqué et elle a du mal à respirer', 'high'],
      ['Le centre d accueil est plein, des familles refoulées dans le froid à minuit', 'high'],
      ['Un homme en hypothermie allongé devant la gare, il tremble, on a appelé le 115', 'high'],
      ['Aucun trottoir salé dans tout le quartier, ma voisine de 80 ans est tombée', 'watch'],
      ['The pavement by the tram stop is a sheet of ice, nobody has gritted it', 'watch'],
      ['Les feux du carrefour de la mairie sont éteints depuis ce matin, c est dangereux', 'watch'],
      ['Shop windows smashed all along the high street last night, who pays for this?', 'watch'],
    ],
  },
  {
    family: 'round 8: critical signs at a crowded outdoor event (a race, a parade, a fan zone)',
    quiet: [
      'Des coureurs au sol après la ligne pour les étirements, les secouristes passent avec des couvertures',
      'My legs gave way at mile 20 but I crawled to the finish, what a day',
      "J'ai l'impression d'avoir été percuté par un bus après cette semaine",
      'I feel like I was hit by a truck after that 10k, send help and pizza',
      "Le public crie les prénoms des coureurs, les secouristes applaudissent aussi, trop d'ambiance",
      'Mort de rire, il paraît que quelqu un a fini le semi déguisé en banane, c est vrai ?',
      "La structure du nouveau parcours a été dévoilée ce matin, départ du pont",
      "N'hésitez pas à appeler le 15 en cas de malaise pendant la course",
    ],
    alert: [
      ['Un cycliste par terre au pied du pont, les pompiers arrivent en courant', 'high'],
      ['A spectator went down near the finish, medics rushing over with a stretcher', 'high'],
      ['Deux personnes lui appuient sur la poitrine à tour de rôle, quelqu un va chercher le défibrillateur', 'critical'],
      ['Someone is doing CPR by the bridge, lips turning blue, is there an AED anywhere?', 'critical'],
      ['Les gradins côté virage se sont affaissés, des gens coincés dessous', 'high'],
      ['The scaffolding by the stage just gave way, people underneath', 'high'],
      ['Une spectatrice fauchée par une moto de l escorte au km 12', 'critical'],
      ['Kid struck by a motorbike at the crossing on the parade route, he is not moving', 'critical'],
      ['Les gens tapent sur les vitres du bus pour qu on leur ouvre, il y a de la fumée', 'high'],
      ['Everyone waving and screaming for the paramedics on the other side of the barriers', 'high'],
      ['Le coureur zigzague, il tient plus debout et les bénévoles le retiennent', 'high'],
      ['Un spectateur victime d un coup de chaleur pris en charge près de l arrivée', 'high'],
      ['Un homme coincé sous la barrière, faut appeler les pompiers vite', 'high'],
      ['Heard a runner died near the river, can anyone confirm?', 'high'],
      ['La police fait reculer tout le monde autour des tentes, rubalise et démineurs', 'high'],
      ['Fans cannot find the lost kids point, my son is 6 and I cannot see him', 'high'],
      ['Il répond pas quand on lui parle, il est par terre et respire mal', 'critical'],
    ],
  },
  {
    family: 'round 8 quiet: sore legs that "exploded" or went on strike, food that "slapped", an army of paper frogs, a pet hostage, lives saved',
    quiet: [
      'Mes mollets ont explosé dans la dernière côte, je rampe jusqu à la douche',
      'My lungs exploded on that hill but the view from the top was worth it',
      'Mes cuisses sont en grève depuis le 30e, elles réclament une augmentation',
      'That hot chocolate at the finish slapped, no notes',
      'Les petits ont fabriqué une armée de dragons en carton pour le carnaval',
      'Mon chien me prend en otage tous les soirs pour sa promenade, au secours 🐕',
      'Bravo aux deux passants qui ont fait un massage cardiaque hier soir, le monsieur est en vie grâce à eux',
      'Learn CPR, folks: a woman is alive today because a stranger knew what to do',
    ],
    alert: [
      ['Grosse explosion près du quai, les vitres ont volé, des gens blessés aux jambes', 'critical'],
      ['Grève des conducteurs sur la ligne 2, aucun bus ce matin', 'watch'],
      ['He slapped the ticket inspector in the face on the platform and ran off', 'high'],
      ['Un homme armé d un couteau dans la rame, une armée de policiers arrive', 'high'],
      ['Un individu interpellé avec une arme de poing dans son bagage au terminal', 'high'],
      ['Un homme fait un massage cardiaque à une dame sur le quai, les secours arrivent pas, quelqu un a un défibrillateur ?', 'critical'],
      ['Merci aux témoins qui ont fait le massage cardiaque, le coureur est en réanimation à l hôpital', 'high'],
    ],
  },
  {
    family: 'round 8: an IT outage day (sites and kiosks down, services passing the buck, stranded without basics, staff shouted at, threats, hypos)',
    quiet: [
      'Le site de la mairie est de nouveau accessible, j ai pu payer la cantine 👍',
      'Si le site ne charge pas, essayez depuis l appli, ça passe mieux',
      'Table de ping pong installée dans le hall du terminal, les enfants adorent',
      "C'est la compagnie qui s'occupe des remboursements, pas l'aéroport : passez au comptoir de votre compagnie",
      'Randonnée de deux jours sans eau courante ni rien à manger de chaud, que du bonheur',
      'To the gate agent who got yelled at all morning and still smiled: you are a legend',
      'Mon cerveau ne charge plus après cette journée, bonne nuit',
    ],
    alert: [
      ["Impossible de payer la facture d'eau, le site de la ville affiche erreur 500 depuis ce matin", 'watch'],
      ['All the self check-in kiosks in hall 2 are down, one agent for the whole queue', 'watch'],
      ['Airline staff told us to ask the airport, the airport desk says it is the airline. Two hours of this', 'watch'],
      ['Les deux se renvoient la balle depuis ce matin et nous on dort où ?', 'watch'],
      ['No hotel rooms anywhere, so 300 of us sleeping on the floor of the terminal tonight', 'watch'],
      ['Un passager hurle sur l agent d embarquement depuis dix minutes, la tension monte à la porte', 'watch'],
      ['Si mon vol saute encore je reviens et je fous le feu à votre comptoir', 'critical'],
      ['Mon fils diabétique fait une hypo dans la file, quelqu un a du sucre ?', 'high'],
      ['The lady next to us is breathing weird and not really responding, lying across the seats, help', 'high'],
      ['Ça pousse de partout à l entrée, je touche plus le sol et des gens crient', 'critical'],
      ['Tout le monde repart en courant vers la sortie, les agents crient reculez, je sais pas ce qui se passe', 'critical'],
    ],
  },
  {
    family: 'round 8: an event day in town (diversions nobody knows, gouging, night crews, unanswered letters, toilet queues, a guard body-slamming)',
    quiet: [
      'Pensez à consulter le plan de déviation avant de partir, les bus 21 et 38 sont déviés dimanche',
      'Shameless plug: my photo book of the race is out, 25 euros, link in bio',
      'Feu d artifice à minuit sur le pont, concert gratuit dès 21h, venez nombreux 🎆',
      'Catch de folie ce soir, il lui a mis un body slam en plein ring 🤼',
      'Les toilettes du nouveau parc sont nickel, bravo',
      'Quelqu un sait si le bus 54 est dévié demain pour la course ?',
    ],
    alert: [
      ['Bus 21 dévié et le conducteur ne savait pas par où passer, on a tourné 40 minutes', 'watch'],
      ['Déviations pas indiquées du tout autour du stade, tout le monde tourne en rond', 'watch'],
      ['The bus still goes on the diversion even though the street reopened hours ago', 'watch'],
      ['12 euros la bouteille d eau au stand de l arrivée, scandaleux', 'watch'],
      ['Taxi driver said the meter broken and asked 80 euros for 4 km, shameless', 'watch'],
      ['Street cleaning trucks with their horns at 11pm, the kids can t sleep', 'watch'],
      ['Dismantling crew banging metal barriers under my window, please do this in the morning', 'watch'],
      ['J ai écrit trois fois à la mairie, réponse automatique à chaque fois, quelqu un lit ?', 'watch'],
      ['Toilettes du village départ : trois cabines et une file de 150 personnes, une blague', 'watch'],
      ['Steward body-slamming a teenager at the fan zone entrance, everyone filming', 'high'],
    ],
  },
  {
    family: 'round 8: a cyberattack claimed, luggage piling up, a disabled passenger forgotten, strike in a game title',
    quiet: [
      'Update: the airline confirms this was not a cyberattack, just a faulty update',
      'Webinar jeudi : se protéger d un rançongiciel dans une petite association',
      'Mon compte Instagram a été piraté, ne cliquez pas sur mes liens',
      'Tournoi Counter Strike ce soir sur le Discord du lycée, venez',
      'Le patch de ce soir a nerfé la grève des mineurs dans mon jeu de gestion 😂',
    ],
    alert: [
      ['Un groupe revendique une cyberattaque contre la mairie, les données des familles seraient en ligne', 'high'],
      ['Ransomware attack on the city hall systems, all services offline this morning', 'high'],
      ['Une montagne de valises au terminal 1, on nous dit qu elles seront acheminées ultérieurement', 'watch'],
      ['L assistance PMR m a oubliée au bout de la jetée pendant une heure, en fauteuil', 'watch'],
      ['Grève des contrôleurs ce week-end, pas de train pour la mer', 'watch'],
    ],
  },
  {
    family: 'round 8: a threat "no joke", planes that nearly collided, blue lips, a car caught in the water',
    quiet: [
      "Je rigole, mais si le guichetier me redit 'c est le système' je lui offre un café",
      'Mon fils a les lèvres toutes bleues après sa glace à la myrtille 😂',
      'Her lips were purple from the blackberry smoothie, so cute',
      'My car has been stuck at the garage all week, apparently the water pump is gone',
    ],
    alert: [
      ['Le prochain agent qui me répond mal je lui éclate la tête contre le comptoir, je plaisante pas', 'critical'],
      ['Deux avions ont failli se percuter sur la piste ce matin selon un pilote', 'critical'],
      ['He is on the floor by the gate, his lips look bluish and he is not answering', 'critical'],
      ['A man trapped in his car in the underpass, the water is rising fast', 'critical'],
    ],
  },
  {
    family: 'alerts the pack used to miss (round 6)',
    quiet: [],
    alert: [
      ['Des tags avec des menaces de mort contre un élu dans le couloir de la station', 'critical'],
      ['The crowd surged towards the gates at the station, people fell on the stairs', 'critical'],
      ["Un infirmier s'occupe d'elle sur le quai, elle respire mais ne répond plus", 'critical'],
      ['Un vieux monsieur par terre sur le quai qui peut plus se relever', 'critical'],
      ["Ça sent vraiment fort le gaz devant l'école, on a appelé les pompiers", 'high'],
      ['Les lampadaires du chemin le long du canal près du parc sont éteints', 'watch'],
      ['40°C mesurés dans la rame de la ligne 9 ce soir', 'watch'],
      ["La ligne 8 à l'arrêt, je marche jusqu'au bureau", 'watch'],
      ['Two of my mates had their phones lifted on the metro platform tonight', 'watch'],
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
  {
    family: 'denials: the event said not to have happened (a report with a reassurance, or a denial awaited, still alerts)',
    quiet: [
      "Point de situation : il n'y a pas eu de fusillade à la gare de Montval, les bruits entendus venaient d'un chantier",
      'Aucune explosion au terminal 3 : un pneu de chariot a éclaté, selon la direction de l aéroport',
      'The police confirm there was no shooting at Lutèce-Nord station this afternoon',
      "La mairie dément toute évacuation de l'école Jules-Ferry, les cours continuent normalement",
    ],
    alert: [
      ['Bousculade dans l escalier de la sortie 2, pas de blessés mais on étouffe', 'high'],
      ['Explosion dans le hall du terminal 3, pas de panique pour l instant mais ça fume', 'critical'],
      ["Fumée dans la rame et toujours aucune évacuation, on est coincés dans le tunnel", 'high'],
      ['Smoke in the station and no fire alarm went off, people are coughing', 'high'],
    ],
  },
  {
    family: "supporters' flares and coloured smoke (smoke in a station, or black smoke, still alerts)",
    quiet: [
      'Les ultras ont craqué les fumigènes à la 80e, tout le virage était rouge, frissons',
      'Le défilé de la victoire passe devant la mairie, fumée verte partout, les gens chantent',
      'blue smoke all over the fan zone when the goal went in, what a night',
    ],
    alert: [
      ['Quelqu un a allumé un fumigène dans la rame, on ne voit plus rien, les gens toussent', 'high'],
      ['Fumée noire qui sort de la bouche de métro à côté du stade, ça sent le brûlé', 'high'],
      ['Smoke filling the concourse after the match, people coughing and running for the exits', 'high'],
    ],
  },
  {
    family: 'mistaken for an attack: someone who took something harmless for one and says so (a frightening scene, or a real one, still alerts)',
    quiet: [
      "J'ai cru à un attentat pendant une seconde, en fait c'était un pneu de bus qui a éclaté",
      "on nous a dit fusillade à la gare, c'était des pétards de gamins",
      'We all thought it was a bomb, turns out it was a transformer popping',
      "Honnêtement j'avais cru à une explosion, finalement c'était juste le tonnerre",
    ],
    alert: [
      ["J'ai cru à un attentat, c'était horrible, des gens couraient partout dans la gare", 'high'],
      ["On pensait à des pétards mais c'était bien des coups de feu devant la station", 'high'],
      ['I thought it was gunshots at first, turns out it really was a shooting near the terminal, police everywhere', 'high'],
    ],
  },
  {
    family: 'exploding as a figure of speech: a rival beaten, a record broken, a queue that grew (a blast in a queue still alerts)',
    quiet: [
      'Elle a explosé tout le monde au premier tour, 62 % dans son quartier',
      "Notre club a explosé le record d'affluence hier soir, merci à tous",
      'la file du dépose-minute a explosé depuis que les vacances ont commencé',
    ],
    alert: [
      ['Une bombe a explosé dans la file d attente du terminal 2', 'critical'],
      ['Dans la file du contrôle, une batterie a explosé, il y a de la fumée', 'high'],
    ],
  },
  {
    family: 'words that only look like theft or lost luggage: a ballot count, packing a suitcase (a robbery or a lost bag still alerts)',
    quiet: [
      "Dépouillement public ce soir à 20h à l'école des Tilleuls, venez nombreux",
      "J'ai toujours pas fait ma valise et le train est dans 4h, aidez-moi",
    ],
    alert: [
      ["Je me suis fait dépouiller dans le métro ligne 4, on m'a pris mon portable", 'watch'],
      ["Ma valise n'est toujours pas arrivée à Lutèce-Roissy, 3 jours sans nouvelles", 'watch'],
    ],
  },
  {
    family: 'emergencies in everyday words: fainting slang, people piled up, a stabbing threat in slang, a lost child, someone missing, a fire with emojis (praise, an app that crashes, failing an exam stay quiet)',
    quiet: [
      'Le nouveau clip de la chorale du quartier 🔥🔥🔥 trop fiers',
      "si tu codes comme ça l'appli va planter le premier jour",
      "Tu vas te planter à l'examen si tu révises pas, courage",
    ],
    alert: [
      ['Deux ados sont tombés dans les pommes sur le quai de la ligne 2, il fait une chaleur horrible', 'high'],
      ['my husband feels faint on the platform at Gare du Levant, no staff anywhere', 'high'],
      ['Crush at the exit of Arènes station, people piled on top of each other near the gates', 'high'],
      ["Un mec dans la rame avec une bouteille cassée qui dit qu'il va planter le premier qui bouge", 'high'],
      ["Petite fille de 4 ans qui pleure toute seule devant la billetterie, robe bleue, ouvrez l'oeil si vous êtes dans le coin", 'high'],
      ['My sister is still missing since the crowd surge at the stadium station, anyone seen her?', 'high'],
      ['🔥🔥 INCENDIE dans un bus ligne 38 place de la Nation, les gens sortent en courant', 'high'],
    ],
  },
  {
    family: 'medical emergencies told plainly: a cardiorespiratory arrest, a sick passenger, heat faints at a race, a stretcher (a flat-pack stretcher stays quiet)',
    quiet: [
      'Brancard Ikea livré, monté en 20 min, le niveau de la notice est très grave',
      "La course des enfants au parc s'est super bien passée, bravo aux participants",
    ],
    alert: [
      ['Un spectateur en arrêt cardio-respiratoire devant la tribune B, les secouristes font le massage', 'critical'],
      ['Ligne 6 arrêtée à Bastille pour un voyageur malade, on attend depuis 15 minutes', 'high'],
      ['Semi-marathon : plusieurs malaises de coureurs à cause de la chaleur au km 12', 'high'],
      ["Ils ont sorti une dame sur un brancard avec un masque à oxygène à la station Opéra", 'high'],
    ],
  },
  {
    family: 'a drone over a crowd, staff threatened (a drone show, a threat of sanctions at work stay quiet)',
    quiet: [
      'Le spectacle de drones au-dessus de la foule était magique, bravo la Ville',
      'La direction a menacé les agents de sanctions pour des notes de frais mal remplies',
    ],
    alert: [
      ['A drone has been hovering low over the crowd at the riverside stage for 15 minutes, is that allowed??', 'high'],
      ['Place de la Nation : un drone non identifié survole le rassemblement, la police cherche le télépilote', 'high'],
      ['Ligne 38 : un passager a menacé le chauffeur, le bus est arrêté à Gambetta', 'high'],
    ],
  },
  {
    family: 'the person taken ill is said to be out of danger (a person still being treated still alerts)',
    quiet: [
      "Le voyageur secouru à Bastille ce matin a été transporté conscient à l'hôpital, son pronostic vital n'est pas engagé",
      'The passenger who fainted on line 2 is not in a life-threatening condition, get well soon to him',
    ],
    alert: [
      ["Malaise d'un voyageur à Nation, les pompiers sont en train de le réanimer sur le quai", 'high'],
    ],
  },
  {
    family: 'a child searched for or alone on the network, people forcing the doors, platform doors open onto the track (an only child, an open day stay quiet)',
    quiet: [
      'Je suis le seul enfant de la famille à aimer le métro, mes parents détestent',
      'Journée portes ouvertes au dépôt de bus samedi, sans train mais avec des tramways anciens',
    ],
    alert: [
      ['Garçon recherché sur la place de la Nation, 5 ans, casquette verte, il a lâché la main de sa mère', 'high'],
      ['Un enfant de 6 ans est seul dans le bus 62 vers Porte de Vanves, prévenez le conducteur', 'high'],
      ["Bloqués dans la rame depuis 40 min, on suffoque, des gens commencent à forcer les portes", 'high'],
      ['Les portes palières sont ouvertes sans train à Bastille, des enfants jouent au bord du quai', 'high'],
    ],
  },
  {
    family: 'kisses, figures of speech and a controlled explosion are not fires or blasts (a building ablaze, a blast in a hall still alert)',
    quiet: [
      "Des inconnus qui s'embrassent sur le quai après la victoire, je n'ai jamais vu la ville comme ça",
      "Il m'a embrassé devant la gare, trop mignon",
      "pendant que l'aéroport brûle (figurativement) moi je bronze au parc",
      "Explosion contrôlée entendue depuis la zone de fret, c'est le pétardement d'une valise, bruit normal",
      'il fait une chaleur à tuer un mort dans ce bus',
    ],
    alert: [
      ["Le toit de l'entrepôt à côté de la gare s'est embrasé, les pompiers arrivent", 'critical'],
      ['Explosion dans le hall du terminal 2, il y a des blessés', 'critical'],
    ],
  },
  {
    family: 'someone taken to the emergency room, dehydrated or with several faints; a crowd crush in English (an ER nurse, a thirsty plant, a crush on someone stay quiet)',
    quiet: [
      'Je bosse aux urgences cette nuit, pensez à moi',
      'Ma plante est complètement déshydratée, oups',
      'I have a crush on the guy at the bakery near the station',
    ],
    alert: [
      ['Mon fils est aux urgences après 3 heures bloqué dans le RER sans eau', 'high'],
      ['4 heures sans eau dans le terminal, des enfants déshydratés partout', 'high'],
      ['Concert aux Berges : 6 malaises, 3 à l hôpital selon les secours', 'high'],
      ['Wow, a crowd crush at the station on opening morning? Hope everyone is okay', 'high'],
    ],
  },
  {
    family: 'alerts in other cities of France and abroad (Lyon, Manchester, Seattle; our own station still alerts when the trip is elsewhere)',
    quiet: [
      'Alerte à la bombe à la gare Part-Dieu : trafic interrompu, périmètre de sécurité en cours #Lyon',
      'Incendie dans un entrepôt à Lyon Gerland, énorme fumée noire visible de tout le quartier',
      'Bomb scare at Manchester airport this morning, terminal 2 evacuated',
    ],
    alert: [
      ['Mon vol pour Lyon est annulé et une alerte à la bombe au terminal 2, on est évacués', 'critical'],
    ],
  },
  {
    family: 'fiction is a game, a series, a novel, an actor; not kids playing on the tracks, "cette série d\'agressions", "les acteurs de la sécurité" or someone called Roman',
    quiet: [
      'playing that new game where the metro catches fire, level 3 is impossible',
      'A guy playing accordion at the station and someone shouted fire! when he finished, what a show',
      'Dans la série que je regarde, une bombe explose dans le métro',
      "L'acteur qui joue le terroriste dans le film est incroyable",
      'Je lis un roman où le terminal 2 est attaqué',
    ],
    alert: [
      ['Kids playing on the tracks at Bastille station, someone stop them', 'high'],
      ['A guy is playing with a knife on the platform at Nation, threatening people', 'high'],
      ["Encore une agression à Châtelet, cette série d'agressions dans le métro doit cesser", 'high'],
      ["Les acteurs de la sécurité sont sur place après l'explosion au terminal 2", 'critical'],
      ["Roman, 24 ans, s'est fait agresser dans le RER ce soir", 'high'],
    ],
  },
  {
    family: 'a year is remembrance, a time or a count is not ("de 18h à 20h", "de 18 blessés")',
    quiet: ["L'incendie du métro de 1887, une histoire oubliée"],
    alert: [
      ['Incendie à la gare du Nord, trafic interrompu de 18h à 20h', 'critical'],
      ["Bilan de 18 blessés après l'explosion au terminal 2", 'critical'],
    ],
  },
  {
    family: 'the day told once it is over, as a list of what happened; not a recap of something still going on',
    quiet: [
      "Bilan de ma journée : une panne sur la 4, un colis suspect à Bastide, un bus en feu, et j'ai quand même vu la mer. Dodo.",
      'Weekend recap: a bomb scare at the station, smoke on line 2 and the best croissant in town',
      'Long day in Lutèce: a fire in a bin at Nation, a lost kid found, and sunshine',
    ],
    alert: [
      ['Recap : colis suspect en cours à Châtelet, ligne 1 coupée', 'high'],
      ['Bilan de la journée : alerte à la bombe au terminal 2, toujours évacué', 'critical'],
    ],
  },
  {
    family: 'how often unattended bags turn out to be nothing, said as a fact; not one being checked now',
    quiet: [
      "Unattended bags at stations? They send the bomb squad and it is almost always someone's gym bag",
      "Un bagage oublié à l'aéroport, il y en a des dizaines par jour, les démineurs font leur travail",
    ],
    alert: [['Colis suspect au terminal 2, les démineurs arrivent, tout le monde recule', 'high']],
  },
  {
    family: 'food hyperbole, bad-news idioms and the cinema clapperboard are not attacks or gas leaks',
    quiet: [
      "Ce burger c'est un attentat calorique",
      'ça sent le gaz pour le PSG ce soir',
      'Le film de ce soir 🎬 : des terroristes prennent un train en otage',
    ],
    alert: [
      ['ça sent le gaz dans la rame, les gens toussent', 'high'],
      ['Attentat au terminal 2, des gens courent partout', 'critical'],
    ],
  },
  {
    family: 'asking whether it is a bomb is a bomb alert; a child described before the word lost is still lost',
    quiet: ['ce concert c est une bombe', "c'est une bombe ou pas ce son ?"],
    alert: [
      ["Quelqu'un sait si c'est une bombe ? gros sac noir abandonné au hall 2", 'critical'],
      ['Is it a bomb? there is a bag alone at gate 12', 'critical'],
      ['Une petite fille de 5 ans, robe rouge, cheveux bouclés, perdue à la station Nation', 'high'],
    ],
  },
  {
    family: 'a lightning or bird strike is no walkout; a floor, a sky or a pianist that "exploded" is no blast; a sky "on fire" is a sunset, soup on the fire is dinner',
    quiet: [
      'Orage cette nuit, chaque éclair faisait trembler les vitres, on parle de lightning strike chez les Anglais',
      'At the club the whole floor exploded when the DJ dropped the track',
      'Le ciel a explosé de couleurs au feu d artifice du 14 juillet',
      'Ce gamin au piano de la gare a tout explosé',
      'The new line 15 stations are a blast for photos',
      'Ce soir le ciel était en feu au-dessus des pistes, magnifique',
      'Soupe sur le feu, plaid, série',
    ],
    alert: [
      ["Grève des conducteurs de bus demain, aucun bus vers l'aéroport", 'watch'],
      ['Une vitre du bus a explosé, des blessés légers', 'critical'],
      ['The whole bar exploded, glass everywhere and smoke, police arriving', 'high'],
      ['Le toit de la gare est en feu, fumée noire', 'critical'],
      ["Jeter de l'eau sur le feu du bus", 'critical'],
    ],
  },
  {
    family: 'chaos told to thank the staff, embarrassment, are not outrage',
    quiet: ['The staff were angels in all that chaos at the airport', "J'ai failli mourir de honte dans le tram"],
    alert: [
      ['Quel chaos ce matin à Châtelet, aucune info, honte à vous', 'watch'],
      ["Merci @MetroLutece pour ce chaos ce matin, bravo l'organisation", 'watch'],
    ],
  },
  {
    family: 'helping at the scene: a nurse on her way, asking whether the rescuers were called, someone lost in the crowd a moment ago; not a nurse late for work',
    quiet: ['Je suis infirmière et j arrive au boulot dans 10 minutes, bonne journée à tous', 'mon téléphone, je le trouve nulle part depuis ce matin'],
    alert: [
      ["I'm a nurse, coming to the front of the carriage, where is he? let me through", 'high'],
      ['Quelqu un a appelé les pompiers ? Un homme est tombé dans l escalier de la gare', 'high'],
      ["Mon fils était avec moi il y a deux minutes sur le quai, je le vois nulle part, il y a trop de monde", 'high'],
      ['La passerelle bouge sous le poids, quelqu un va tomber, reculez', 'high'],
    ],
  },
  {
    family: 'a site on lockdown, shots said to be near, someone on the floor to give room to, whether everyone got out; not flu shots or a lockdown remembered',
    quiet: ['flu shots near me this weekend?', '2020 lockdown memories: the empty metro station'],
    alert: [
      ['heard there were shots near the station entrance, anyone know more??', 'critical'],
      ['Terminal 1 on lockdown?? nobody tells us anything', 'high'],
      ['please give him space, a man is on the floor near the ticket machines, paramedics on the way', 'high'],
      ["Ma fille était à la piscine municipale cet après-midi, quelqu'un sait si tout le monde est sorti ?", 'high'],
    ],
  },
  {
    family: '"zéro bousculade" denies the crush; "zéro agent" beside one does not',
    quiet: ["Bravo aux agents ce matin, filtrage à l'entrée, quai fluide, zéro bousculade 👏"],
    alert: [['Bousculade énorme à Châtelet, zéro agent sur le quai', 'critical']],
  },
];

describe('default pack families', async () => {
  const engine = createEngine({ rules: await loadRulePack(new URL('../../rules/default.yaml', import.meta.url)) });
  // A day apart: each sentence is judged on its own words, never joined to the story of another.
  let day = 0;
  const level = (text: string) => engine.analyze(mention(text, { at: ++day * 24 * 60 })).level;

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
