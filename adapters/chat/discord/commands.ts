import {
  type APIApplicationCommandOptionChoice,
  ApplicationCommandOptionType,
  type ChatInputCommandInteraction,
  REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import type { CardOption } from '../../../src/chat/card.js';
import type { DiscordEnv } from './discord-env.js';
import { DiscordLimits } from './limits.js';

/**
 * `/vigie` and `/crisis` as Discord subcommands with typed options. Every invocation is turned back
 * into the text a Slack user would type after the command (`open "Alerte bagage" site:roissy
 * severity:2`), so the core keeps one command parser for every platform.
 */

/** Choices for autocompleted options; every method is optional in practice (absent source: no completion). */
export interface DiscordAutocompleteSource {
  crisisIds(): Promise<CardOption[]>;
  templateIds(): Promise<CardOption[]>;
  teams(): Promise<CardOption[]>;
}

/** Which source completes an option, by option name (the same name in every subcommand that has it). */
const AUTOCOMPLETE: Record<string, keyof DiscordAutocompleteSource> = {
  id: 'crisisIds',
  template: 'templateIds',
  team: 'teams',
};

const S = ApplicationCommandOptionType.String;
const I = ApplicationCommandOptionType.Integer;
const SUB = ApplicationCommandOptionType.Subcommand;

type OptionDef = {
  name: string;
  description: string;
  fr: string;
  type: typeof S | typeof I;
  required?: boolean;
  /**
   * How the value is written back as text (the core's grammar, src/crisis/command.ts):
   * `word` a bare token, `title` quoted, `rest` the free text at the end of the line,
   * `named` as `name:value`, `crisisId` as `#ID` right after the subcommand.
   */
  form: 'word' | 'title' | 'rest' | 'named' | 'crisisId';
  min?: number;
  max?: number;
  maxLength?: number;
  choices?: string[];
};
type SubDef = { name: string; description: string; fr: string; options: OptionDef[] };

const crisisId: OptionDef = { name: 'id', description: 'Crisis number (default: the only open one)', fr: 'Numéro de la crise (par défaut : la seule ouverte)', type: S, form: 'crisisId', maxLength: 12 };

export const COMMANDS: Record<'vigie' | 'crisis', { description: string; fr: string; subs: SubDef[] }> = {
  vigie: {
    description: 'Vigie: help, tickets, authors, digest',
    fr: 'Vigie : aide, tickets, auteurs, digest',
    subs: [
      { name: 'help', description: 'What Vigie can do', fr: 'Ce que Vigie sait faire', options: [] },
      {
        name: 'ticket',
        description: 'A ticket and its decision history',
        fr: 'Un ticket et l’historique de ses décisions',
        options: [{ name: 'id', description: 'Ticket number', fr: 'Numéro du ticket', type: I, form: 'word', required: true, min: 1 }],
      },
      {
        name: 'author',
        description: 'An author profile',
        fr: 'Le profil d’un auteur',
        options: [{ name: 'handle', description: 'Handle, without @', fr: 'Identifiant, sans @', type: S, form: 'word', required: true, maxLength: 100 }],
      },
      {
        name: 'digest',
        description: 'The last 24 hours digest',
        fr: 'Le digest des dernières 24 h',
        options: [{ name: 'mode', description: 'now: post it · preview: only to you', fr: 'now : le publier · preview : pour vous seul', type: S, form: 'word', required: true, choices: ['now', 'preview'] }],
      },
    ],
  },
  crisis: {
    description: 'Run the crisis procedure',
    fr: 'Conduire la procédure de crise',
    subs: [
      {
        name: 'open',
        description: 'Open a crisis',
        fr: 'Ouvrir une crise',
        options: [
          { name: 'title', description: 'What is happening', fr: 'Ce qui se passe', type: S, form: 'title', required: true, maxLength: 200 },
          { name: 'site', description: 'Site concerned', fr: 'Site concerné', type: S, form: 'named', maxLength: 60 },
          { name: 'severity', description: '1 (minor) to 3 (major)', fr: '1 (mineure) à 3 (majeure)', type: I, form: 'named', min: 1, max: 3 },
        ],
      },
      {
        name: 'update',
        description: 'Add an update to the timeline',
        fr: 'Ajouter un point à la chronologie',
        options: [{ name: 'text', description: 'The update', fr: 'Le point de situation', type: S, form: 'rest', required: true, maxLength: 1_500 }, crisisId],
      },
      {
        name: 'relay',
        description: 'Relay an official statement or link',
        fr: 'Relayer une communication officielle ou un lien',
        options: [{ name: 'text', description: 'Statement or link', fr: 'Communication ou lien', type: S, form: 'rest', required: true, maxLength: 1_500 }, crisisId],
      },
      { name: 'status', description: 'Where the crisis stands', fr: 'Où en est la crise', options: [crisisId] },
      {
        name: 'close',
        description: 'Close the crisis and post the report',
        fr: 'Clore la crise et publier le rapport',
        options: [{ name: 'summary', description: 'Closing summary', fr: 'Bilan de clôture', type: S, form: 'rest', maxLength: 1_500 }, crisisId],
      },
    ],
  },
};

/** The JSON `PUT …/commands` takes; `autocomplete` only where a source could answer. */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return (Object.entries(COMMANDS) as Array<[string, (typeof COMMANDS)['vigie']]>).map(([name, command]) => ({
    name,
    description: command.description,
    description_localizations: { fr: command.fr },
    options: command.subs.map((sub) => ({
      type: SUB,
      name: sub.name,
      description: sub.description,
      description_localizations: { fr: sub.fr },
      options: sub.options.map((o) => {
        const base = { name: o.name, description: o.description, description_localizations: { fr: o.fr }, required: o.required ?? false };
        if (o.type === I) {
          return { ...base, type: I, ...(o.min !== undefined ? { min_value: o.min } : {}), ...(o.max !== undefined ? { max_value: o.max } : {}) };
        }
        const completes = AUTOCOMPLETE[o.name] !== undefined && !o.choices;
        return {
          ...base,
          type: S,
          ...(o.maxLength ? { max_length: o.maxLength } : {}),
          ...(o.choices ? { choices: o.choices.map((c) => ({ name: c, value: c })) } : {}),
          ...(completes ? { autocomplete: true } : {}),
        };
      }),
    })),
  })) as RESTPostAPIChatInputApplicationCommandsJSONBody[];
}

/** Quotes a title with a pair of quotes it does not contain (the core's tokenizer has no escapes). */
function quoteTitle(value: string): string {
  if (!/[\s:=]/.test(value)) return value;
  for (const [open, close] of [['"', '"'], ['“', '”'], ['«', '»']] as const) {
    if (!value.includes(open) && !value.includes(close)) return `${open}${value}${close}`;
  }
  return value;
}

/** Slash-command options, as read from an interaction; validated before serialising. */
export type CommandOptions = Record<string, string | number | undefined>;

/**
 * `subcommand` + options → the text a Slack user types after the command: `#ID` first, then bare
 * words and the quoted title, then `name:value` options, then the free text. Null when an option
 * cannot be written (a crisis id that is not a number).
 */
export function serialiseCommand(command: 'vigie' | 'crisis', subcommand: string, options: CommandOptions): string | null {
  const sub = COMMANDS[command].subs.find((s) => s.name === subcommand);
  if (!sub) return null;
  const parts: Record<OptionDef['form'], string[]> = { crisisId: [], word: [], title: [], named: [], rest: [] };
  for (const o of sub.options) {
    const value = options[o.name];
    if (value === undefined) continue;
    // Line breaks cannot be typed in a Slack command: fold them so both platforms read alike.
    const text = String(value).replace(/\s+/g, ' ').trim();
    if (text === '') continue;
    switch (o.form) {
      case 'crisisId': {
        const id = /^#?(\d{1,9})$/.exec(text)?.[1];
        if (!id) return null;
        parts.crisisId.push(`#${id}`);
        break;
      }
      case 'word':
        parts.word.push(text.replace(/\s/g, ''));
        break;
      case 'title':
        parts.title.push(quoteTitle(text));
        break;
      case 'named':
        parts.named.push(`${o.name}:${/\s/.test(text) ? quoteTitle(text) : text}`);
        break;
      case 'rest':
        parts.rest.push(text);
        break;
    }
  }
  return [sub.name, ...parts.crisisId, ...parts.word, ...parts.title, ...parts.named, ...parts.rest].join(' ');
}

/** Reads a chat-input interaction's subcommand and options, or null when it is not one of ours. */
export function readCommand(interaction: ChatInputCommandInteraction): { command: 'vigie' | 'crisis'; text: string } | null {
  const command = interaction.commandName;
  if (command !== 'vigie' && command !== 'crisis') return null;
  const subcommand = interaction.options.getSubcommand(false);
  const sub = COMMANDS[command].subs.find((s) => s.name === subcommand);
  if (!sub) return null;
  const options: CommandOptions = {};
  for (const o of sub.options) {
    const value = o.type === I ? interaction.options.getInteger(o.name, false) : interaction.options.getString(o.name, false);
    if (value === null) continue;
    if (typeof value === 'number' && ((o.min !== undefined && value < o.min) || (o.max !== undefined && value > o.max))) return null;
    if (typeof value === 'string' && o.choices && !o.choices.includes(value)) return null;
    options[o.name] = typeof value === 'string' ? value.slice(0, o.maxLength ?? DiscordLimits.textInputValue) : value;
  }
  const text = serialiseCommand(command, sub.name, options);
  return text === null ? null : { command, text };
}

/** Autocomplete choices for the focused option: filtered by what was typed, at most 25. */
export async function autocompleteChoices(
  source: DiscordAutocompleteSource | undefined,
  optionName: string,
  typed: string,
): Promise<APIApplicationCommandOptionChoice<string>[]> {
  const method = AUTOCOMPLETE[optionName];
  if (!source || !method) return [];
  const all = await source[method]();
  const needle = typed.trim().toLowerCase();
  return all
    .filter((o) => o.id.length > 0 && o.id.length <= DiscordLimits.choiceValue)
    .filter((o) => needle === '' || o.id.toLowerCase().includes(needle) || o.label.toLowerCase().includes(needle))
    .slice(0, DiscordLimits.autocompleteChoices)
    .map((o) => ({ name: (o.label === o.id ? o.id : `${o.id} · ${o.label}`).slice(0, DiscordLimits.choiceName) || o.id, value: o.id }));
}

export interface RegisterOptions {
  env: DiscordEnv;
  /** Installs the commands in this server (immediate); defaults to DISCORD_GUILD_ID. */
  guildId?: string;
  /** Installs them for every server the bot is in (Discord may take a while to show them). */
  global?: boolean;
}

/**
 * `vigie discord register`: replaces the application's commands with `/vigie` and `/crisis` (one
 * bulk PUT, idempotent). Returns the names Discord acknowledged.
 */
export async function registerCommands(options: RegisterOptions): Promise<{ scope: 'guild' | 'global'; names: string[] }> {
  const { env } = options;
  const guildId = options.guildId ?? env.DISCORD_GUILD_ID;
  if (!options.global && !guildId) throw new Error('registerCommands: give a guild id (or DISCORD_GUILD_ID), or ask for global registration');
  // Sweepers off: this REST client lives for one call and must not keep the process alive.
  const rest = new REST({ version: '10', hashSweepInterval: 0, handlerSweepInterval: 0, retries: 1, ...(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}) }).setToken(env.DISCORD_TOKEN);
  const route = options.global || !guildId ? Routes.applicationCommands(env.DISCORD_APPLICATION_ID) : Routes.applicationGuildCommands(env.DISCORD_APPLICATION_ID, guildId);
  const answer = (await rest.put(route, { body: commandDefinitions() })) as Array<{ name?: unknown }>;
  return { scope: options.global || !guildId ? 'global' : 'guild', names: answer.map((c) => String(c.name)) };
}
