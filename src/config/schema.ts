import { Cron } from 'croner';
import { z } from 'zod';
import { LEVELS } from '../core/levels.js';

/** The organisation's configuration file (vigie.config.yaml). Paths are relative to the file. */

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" or "_"');
const localized = z.object({ fr: z.string().min(1), en: z.string().min(1) });
const level = z.enum(LEVELS);

/** Where something is posted, per platform: console channel name, Slack channel id, Discord channel id. */
const channelMap = z.strictObject({
  console: z.string().min(1).optional(),
  slack: z.string().min(1).optional(),
  discord: z.string().min(1).optional(),
});
export type ChannelMap = z.infer<typeof channelMap>;

/** Who may do something, per platform: user ids or group/role ids. Absent means everyone. */
const audience = z.strictObject({
  slack: z.array(z.string().min(1)).optional(),
  discord: z.array(z.string().min(1)).optional(),
  console: z.array(z.string().min(1)).optional(),
});
export type Audience = z.infer<typeof audience>;

const timeZone = z.string().refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', {
  message: 'unknown IANA time zone',
});

const cron = z.string().refine(
  (pattern) => {
    try {
      new Cron(pattern, { paused: true });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid cron pattern' },
);

const team = z.object({
  id: slug,
  label: localized,
  channels: channelMap.default({}),
  /** Team lead group, pinged by the first escalation. */
  leads: audience.default({}),
});

const account = z.object({
  handle: z.string().min(1),
  label: z.string().min(1),
  /** Site key (e.g. `roissy`, `metro`, `city`): crises and editorial holds are matched on it. */
  site: slug,
  /** Default team for this account's cards. */
  team: slug,
  /** Overrides the watch channel for this account's cards. */
  channels: channelMap.optional(),
  /** Words that place a mention on this account when it does not say so (e.g. `roissy`, `cdg`). */
  aliases: z.array(z.string().min(1)).default([]),
});

const escalationStep = z.object({
  levels: z.array(level).min(1).default(['high', 'critical']),
  /** Limits the step to these rule categories; empty means all. */
  categories: z.array(z.string()).default([]),
  afterMinutes: z.number().positive(),
  notify: z.enum(['lead', 'crisis']),
});

const checklistStep = z.object({ id: slug, label: localized });

export const DEFAULT_CHECKLIST = [
  { id: 'call-duty-officer', label: { fr: "Appeler l'astreinte direction", en: 'Call the duty executive' } },
  { id: 'check-authorities', label: { fr: 'Vérifier la communication des autorités (préfecture, police, pompiers)', en: 'Check what the authorities (prefecture, police, fire brigade) have said' } },
  { id: 'hold-promotions', label: { fr: 'Suspendre les publications promotionnelles', en: 'Hold promotional posts' } },
  { id: 'prepare-holding-statement', label: { fr: "Préparer l'élément de langage d'attente", en: 'Prepare the holding statement' } },
  { id: 'brief-field', label: { fr: 'Informer les équipes terrain', en: 'Brief the field teams' } },
];

export const configSchema = z
  .object({
    organisation: z.object({
      name: z.string().min(1),
      locale: z.enum(['fr', 'en']).default('fr'),
    }),
    channels: z.object({
      /** Where cards go unless the account says otherwise. */
      watch: channelMap,
      crisis: channelMap.default({}),
      digest: channelMap.default({}),
    }),
    teams: z.array(team).min(1),
    accounts: z.array(account).default([]),
    thresholds: z
      .object({
        /** Lowest level that gets a card. */
        card: level.default('watch'),
        /** Lowest level that pages the crisis cell channel as well. */
        page: level.default('critical'),
      })
      .default({ card: 'watch', page: 'critical' }),
    /** Rule pack path; defaults to the bundled pack. */
    rules: z.string().min(1).optional(),
    /** Text model file (`vigie model train`); defaults to the bundled model; `false` scores with the rules alone. */
    model: z.union([z.string().min(1), z.literal(false)]).optional(),
    /** Reply templates directory; defaults to the bundled templates. */
    templates: z.string().min(1).optional(),
    /** Engine weights and thresholds; validated by the engine's own schema. */
    risk: z.record(z.string(), z.unknown()).default({}),
    digest: z
      .object({
        cron: cron.default('0 8 * * *'),
        timeZone: timeZone.default('Europe/Paris'),
        locale: z.enum(['fr', 'en']).optional(),
        /** A high or critical card decided within this many minutes counts as "on time". */
        targetMinutes: z.object({ high: z.number().positive().default(60), critical: z.number().positive().default(15) }).default({ high: 60, critical: 15 }),
      })
      .default({ cron: '0 8 * * *', timeZone: 'Europe/Paris', targetMinutes: { high: 60, critical: 15 } }),
    escalation: z.array(escalationStep).default([
      { levels: ['critical'], categories: [], afterMinutes: 10, notify: 'lead' },
      { levels: ['critical'], categories: [], afterMinutes: 30, notify: 'crisis' },
      { levels: ['high'], categories: [], afterMinutes: 30, notify: 'lead' },
    ]),
    crisis: z
      .object({
        checklist: z.array(checklistStep).default(DEFAULT_CHECKLIST),
        /** YAML or ICS calendar of scheduled promotional posts, checked against open crises. */
        holds: z.string().optional(),
      })
      .default({ checklist: DEFAULT_CHECKLIST }),
    permissions: z
      .object({
        approveReply: audience.optional(),
        ignoreCritical: audience.optional(),
        crisis: audience.optional(),
      })
      .default({}),
    /** Emoji (Slack name or Unicode) → quick decision on the card. */
    reactions: z
      .record(z.string().min(1), z.enum(['assign-own-team', 'resolve', 'ignore-handled']))
      .default({ eyes: 'assign-own-team', white_check_mark: 'resolve', '👀': 'assign-own-team', '✅': 'resolve' }),
    /** Which team each chat user belongs to, for "assign my team" reactions: team id → user ids. */
    members: z.record(slug, audience).default({}),
    delivery: z
      .object({
        /** New cards per second per channel (Slack allows about one). */
        postsPerSecond: z.number().positive().default(1),
        /** A card is updated at most this often during a storm. */
        updateIntervalMs: z.number().int().nonnegative().default(3_000),
        /** Waiting new cards in one channel beyond which low and medium stories fold into a storm card. */
        stormBacklog: z.number().int().positive().default(5),
      })
      .default({ postsPerSecond: 1, updateIntervalMs: 3_000, stormBacklog: 5 }),
    /** Network sources; validated by the sources' own schema. */
    sources: z.array(z.unknown()).default([]),
  })
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.teams.forEach((t, i) => {
      if (ids.has(t.id)) ctx.addIssue({ code: 'custom', path: ['teams', i, 'id'], message: `duplicate team id "${t.id}"` });
      ids.add(t.id);
    });
    cfg.accounts.forEach((a, i) => {
      if (!ids.has(a.team)) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'team'], message: `unknown team "${a.team}"` });
    });
    for (const teamId of Object.keys(cfg.members)) {
      if (!ids.has(teamId)) ctx.addIssue({ code: 'custom', path: ['members', teamId], message: `unknown team "${teamId}"` });
    }
    const hasWatch = Object.values(cfg.channels.watch).some(Boolean);
    if (!hasWatch) ctx.addIssue({ code: 'custom', path: ['channels', 'watch'], message: 'at least one platform channel is required' });
  });

export type VigieConfig = z.infer<typeof configSchema>;
export type TeamConfig = VigieConfig['teams'][number];
export type AccountConfig = VigieConfig['accounts'][number];
