import { z } from 'zod';

/**
 * Weights and thresholds of the risk score, embedded in the main config under `risk`. Every field
 * has a default, so `riskConfigSchema.parse({})` is the shipped tuning.
 */

const handles = z.array(z.string().min(1)).default([]);
const step = <K extends string>(key: K) => z.object({ [key]: z.number().int().positive(), points: z.number().int() } as Record<K, z.ZodNumber> & { points: z.ZodNumber });

export const riskConfigSchema = z.object({
  /** Lowest score of each level. */
  levels: z
    .object({
      watch: z.number().int().min(1).max(100).default(25),
      high: z.number().int().min(1).max(100).default(50),
      critical: z.number().int().min(1).max(100).default(75),
    })
    .prefault({})
    .refine((l) => l.watch < l.high && l.high < l.critical, { message: 'levels must rise: watch < high < critical' }),
  rules: z
    .object({
      /**
       * The heaviest rule counts fully; the heaviest rule of each other category adds this share of
       * its weight (three ways of saying "delay" are one delay), up to `secondaryCap` in all.
       */
      secondaryShare: z.number().min(0).max(1).default(0.25),
      secondaryCap: z.number().int().min(0).default(15),
    })
    .prefault({}),
  /** Author reach: the highest step reached applies, only when the mention is on a risky subject. */
  reach: z.array(step('followers')).default([
    { followers: 10_000, points: 3 },
    { followers: 50_000, points: 6 },
    { followers: 200_000, points: 10 },
    { followers: 1_000_000, points: 15 },
  ]),
  /** Points per author flag (configured lists below, or flags from earlier decisions). */
  flags: z.record(z.string(), z.number().int()).default({ press: 15, elected: 15, institution: 5, politicised: 10 }),
  /** Handles (with or without `@`) that carry a flag. */
  authors: z
    .object({ press: handles, elected: handles, institution: handles, politicised: handles })
    .catchall(handles)
    .prefault({}),
  velocity: z
    .object({
      windowMinutes: z.number().positive().default(10),
      /** Similar mentions in the window → points; the highest step reached applies. */
      steps: z.array(step('count')).default([
        { count: 5, points: 10 },
        { count: 10, points: 15 },
        { count: 50, points: 25 },
      ]),
      /** A cluster with this many mentions in the window is raised one level (watch → high …). */
      raiseLevelAt: z.number().int().positive().default(20),
    })
    .prefault({}),
  negativity: z
    .object({
      perWord: z.number().int().min(0).default(3),
      max: z.number().int().min(0).default(9),
      /** Extra negative words (any language), matched like query words. */
      extraWords: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  crisis: z.object({ points: z.number().int().default(15) }).prefault({}),
  /**
   * Posts by the watched accounts themselves that score at watch (a line's service notice, a reply
   * to a passenger) stay below a card: they are the team's own words. High and critical ones (an
   * alert the account relays) are shown. false: treat them like anyone's.
   */
  quietOwnNotices: z.boolean().default(true),
  /** Points added for mentions of a given account (e.g. the institutional account is more exposed). */
  accounts: z.record(z.string(), z.number().int()).default({}),
  cluster: z
    .object({
      /** A story stays open to near-duplicates, links and category+place this long after its last mention. */
      windowMinutes: z.number().positive().default(180),
      /** Live clusters kept in memory; the least recently touched leave first (they stay in the database). */
      liveSetCap: z.number().int().min(10).default(100_000),
      /** Estimated Jaccard similarity of word shingles above which texts are near-duplicates. */
      similarity: z.number().min(0.1).max(1).default(0.5),
      /**
       * Categories whose mentions about one watched account are one story whatever place or words
       * they use: a bomb-alert rumour at the airport is told a hundred ways ("colis suspect au 2E",
       * "evacuation CDG", "alerte bombe Roissy") and deserves one card, not thirty.
       */
      siteCategories: z.array(z.string().min(1)).default(['security']),
      /**
       * Categories that are one story when they name the same place: a sick passenger stops line 4,
       * and "malaise ligne 4" (safety) and "ligne 4 à l'arrêt" (disruption) are the same incident.
       * Other categories (reputation, politics…) join a place's story only with their own.
       */
      incidentCategories: z.array(z.string().min(1)).default(['security', 'safety', 'disruption', 'accessibility']),
      /** How long after its last mention such a story takes the account's next one (kept short: two real incidents an hour apart stay apart). */
      siteWindowMinutes: z.number().positive().default(60),
      /** A repost or quote that joins a story takes the story's level (it passes the story on). */
      sharesTakeStoryLevel: z.boolean().default(true),
      /**
       * Except a quote whose own words matched a damping rule (a denial, an all-clear, "c'était une
       * valise oubliée", the day told after it): it comments on the story to say it is over or
       * was nothing, so it keeps its own level instead of passing the alarm on.
       */
      dampingQuotesKeepOwnLevel: z.boolean().default(true),
      /**
       * A watched account's own reply inside a high or critical story takes the story's level: in the
       * middle of an alert, "nos équipes sont sur place, évitez la station" is part of the incident
       * the team must follow, not a routine notice. Replies in calmer stories keep their own level.
       */
      ownRepliesTakeStoryLevel: z.boolean().default(true),
      /**
       * A reply inside a critical story that is worth a look on its own (watch) is high: in a lost
       * child's or a fainting passenger's thread, "elle était à côté de moi il y a 5 minutes" or
       * "toujours personne, il tremble" is the emergency going on. A quiet reply (thanks, a joke)
       * keeps its level, and nothing is raised above high on the story's account alone.
       */
      replyReportsInCriticalStoriesAreHigh: z.boolean().default(true),
    })
    .prefault({}),
  /**
   * The text model (a `model:` file, by default the bundled one) beside the rules: it lifts a
   * mention one level when it is at least this sure of the next (2 = never), and lowers a flagged
   * non-critical mention to none when it gives it less than `veto` chance of deserving a look.
   */
  textModel: z
    .object({
      lift: z
        .object({
          watch: z.number().min(0).max(2).default(0.95),
          // Watch to high costs no card (watch has one, only critical pages): a lower bar, since
          // every critical mention it lifts is paged at high rather than read as routine.
          high: z.number().min(0).max(2).default(0.5),
          critical: z.number().min(0).max(2).default(2),
        })
        .prefault({}),
      veto: z.number().min(0).max(1).default(0.4),
      /**
       * A critical flag is quieted only when the model is nearly certain it is everyday talk (a game
       * title, a recipe, a match): 0 never. Far stricter than `veto`, since a missed alert costs more.
       */
      vetoCritical: z.number().min(0).max(1).default(0.02),
      /**
       * The bar for a high flag: between `veto` and `vetoCritical`. Most high flags are the
       * emergencies in everyday words (a child alone on a train, someone faint, smoke seen from the
       * street) whose words the model also meets in chatter; at the watch bar it quieted as many of
       * those as it did slang. Watch flags keep `veto`.
       */
      vetoHigh: z.number().min(0).max(1).default(0.1),
      /**
       * Whether the model may lift posts written by the watched accounts themselves. It learnt from
       * the public's posts, and an official notice full of incident words ("en cas de malaise,
       * prévenez un agent", "les secours sont sur place") reads to it like a report: by default
       * those posts keep the level the rules give them (the model may still quiet them).
       */
      liftOwnPosts: z.boolean().default(false),
    })
    .prefault({}),
  spikes: z
    .object({
      /** Mentions in the last hour below which nothing is a spike. */
      minCount: z.number().int().positive().default(8),
      /** Last hour against the hourly mean of the previous twelve. */
      ratio: z.number().positive().default(3),
      /** Ratio from which a spike is high rather than watch. */
      highRatio: z.number().positive().default(6),
    })
    .prefault({}),
});

export type RiskConfig = z.output<typeof riskConfigSchema>;
export type RiskConfigInput = z.input<typeof riskConfigSchema>;
