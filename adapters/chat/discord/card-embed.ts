import { type APIEmbed, type APIEmbedField, type APISelectMenuOption, ButtonStyle } from 'discord.js';
import { type Card, type CardOption, IGNORE_REASONS, type IgnoreReason } from '../../../src/chat/card.js';
import { type ActionRow, button, buttonRows, linkButton, option, page, row, select, usableOptions } from './components.js';
import { MORE_VALUE, SNOOZE_HOURS, encodeCustomId, ignoreValue } from './custom-ids.js';
import { descriptionBudget, embedLength, fitLines } from './embed-budget.js';
import { fitMarkdown, label, neutralise, neutraliseUpTo, safeUrl, truncate } from './escape.js';
import { DiscordLimits, LEVEL_COLOUR, LEVEL_EMOJI, discordDate, sparkline } from './limits.js';
import { type DiscordMessages, messagesFor } from './messages.js';
import { footerText } from './message-key.js';

export interface RenderedMessage {
  embeds: APIEmbed[];
  components: ActionRow[];
  /** Role ids to ping on purpose (escalation to a lead role, from the configuration only). */
  pingRoles?: string[];
}

/** Caps per field, chosen so that all fields together leave the mention text at least ~2,500 characters. */
const FieldCap = {
  author: 300,
  account: 200,
  similar: 120,
  ticket: 40,
  status: 300,
  lastDecision: 300,
  reasons: 900,
  notices: 600,
} as const;

/**
 * Renders a card as one embed and its components, within every Discord limit whatever the input:
 * each outside string is defused, each field capped, and the mention text gets what is left of the
 * 6,000-character total. `key` (first post only) goes in the footer so `find` can recognise the message.
 */
export function renderCard(card: Card, key?: string): RenderedMessage {
  const m = messagesFor(card.locale);
  const level = m.level[card.level];
  const title = `${LEVEL_EMOJI[card.level]} ${level}${card.category ? ` · ${card.category}` : ''} · ${card.score}`;
  const url = safeUrl(card.url);

  const fields: APIEmbedField[] = [];
  const field = (name: string, value: string, inline: boolean) => {
    if (value.trim() !== '') fields.push({ name: truncate(name, DiscordLimits.fieldName), value, inline });
  };
  const a = card.author;
  const who = [`@${a.handle}`, a.name ? `(${a.name})` : null, a.followers !== null ? `${formatCount(a.followers)} ${m.followers}` : null, a.source]
    .filter((part): part is string => part !== null)
    .join(' · ');
  field(m.author, fitMarkdown(who, FieldCap.author), true);
  const account = card.accountLabel ?? card.account;
  if (account) field(m.account, fitMarkdown(account, FieldCap.account), true);
  if (card.similarCount > 0 || card.trend.length > 0) {
    field(m.similarField, [card.similarCount > 0 ? m.similar(card.similarCount) : null, sparkline(card.trend) || null].filter(Boolean).join('  '), true);
  }
  field(m.ticket, `#${card.ticketId}`, true);
  const status = [m.status[card.status], card.team ? `${m.team} : ${neutralise(card.team.label)}` : null].filter(Boolean).join(' · ');
  field(m.statusLabel, truncate(status, FieldCap.status), true);
  const d = card.lastDecision;
  if (d) {
    // The decider's name as text, never a `<@id>` mention: nobody gets pinged by a card update.
    const detail = d.detail ? ` (${neutralise(d.detail)})` : '';
    const when = ` · ${discordDate(d.at)}`;
    field(m.lastDecision, truncate(`${neutralise(d.actorName)}${detail}`, FieldCap.lastDecision - when.length) + when, false);
  }
  if (card.reasons.length > 0) field(m.reasons, fitLines(card.reasons.map((r) => neutraliseUpTo(r, FieldCap.reasons)), FieldCap.reasons, m.more, '• '), false);
  if (card.notices.length > 0) field(m.notices, fitLines(card.notices.map((n) => neutraliseUpTo(n, FieldCap.notices)), FieldCap.notices, m.more, '⚠️ '), false);

  const embed: APIEmbed = {
    title: fitMarkdown(title, DiscordLimits.embedTitle),
    color: LEVEL_COLOUR[card.level],
    fields: fields.slice(0, DiscordLimits.embedFields),
    ...(url ? { url } : {}),
    ...(key ? { footer: { text: footerText(key) ?? '' } } : {}),
  };
  const text = fitMarkdown(card.text, descriptionBudget(embed));
  const withText: APIEmbed = text ? { ...embed, description: text } : embed;
  if (embedLength(withText) > DiscordLimits.embedTotal) throw new RangeError('card embed over budget'); // a bug in the caps above
  return { embeds: [withText], components: cardComponents(card, m, url) };
}

function cardComponents(card: Card, m: DiscordMessages, url: string | null): ActionRow[] {
  const ref = { ticketId: card.ticketId, version: card.version };
  const rows: ActionRow[] = [];
  const buttons = [];
  for (const action of card.actions) {
    switch (action) {
      case 'assign': {
        const teams = teamOptions(card.teams, 0, m);
        if (teams) rows.push(row(select(encodeCustomId({ kind: 'assign', ...ref, page: 0 }), m.assign, teams)));
        break;
      }
      case 'ignore': {
        const options = ignoreOptions(card.ignoreReasons, m);
        if (options.length > 0) rows.push(row(select(encodeCustomId({ kind: 'ignore', ...ref }), m.ignore, options)));
        break;
      }
      case 'reply':
        buttons.push(button(encodeCustomId({ kind: 'reply', ...ref }), m.reply, ButtonStyle.Primary));
        break;
      case 'author':
        buttons.push(button(encodeCustomId({ kind: 'author', ...ref }), m.authorButton, ButtonStyle.Secondary));
        break;
      case 'resolve':
        buttons.push(button(encodeCustomId({ kind: 'resolve', ...ref }), m.resolve, ButtonStyle.Success));
        break;
      case 'reopen':
        buttons.push(button(encodeCustomId({ kind: 'reopen', ...ref }), m.reopen, ButtonStyle.Secondary));
        break;
    }
  }
  if (url) buttons.push(linkButton(url, m.open));
  // Two select rows at most, so the buttons always get the remaining rows (5 buttons each).
  return [...rows.slice(0, 2), ...buttonRows(buttons, DiscordLimits.actionRows - Math.min(rows.length, 2))];
}

/** Options of the Assign select for one page; null when no team can be offered. */
export function teamOptions(teams: readonly CardOption[], pageIndex: number, m: DiscordMessages): APISelectMenuOption[] | null {
  const usable = usableOptions(teams);
  const { items, more } = page(usable, pageIndex);
  if (items.length === 0) return null;
  const options = items.map((t) => option(t.id, t.label));
  if (more) options.push(option(MORE_VALUE, m.moreTeams));
  return options;
}

/** Every reason, without and with each snooze delay: 4 reasons × 4 choices = 16 options, within 25. */
function ignoreOptions(reasons: readonly CardOption[], m: DiscordMessages): APISelectMenuOption[] {
  const known = reasons.filter((r): r is { id: IgnoreReason; label: string } => (IGNORE_REASONS as readonly string[]).includes(r.id));
  const options: APISelectMenuOption[] = [];
  for (const hours of [undefined, ...SNOOZE_HOURS]) {
    for (const r of known) {
      const suffix = hours === undefined ? m.noSnooze : m.snooze(hours);
      options.push(option(ignoreValue(r.id, hours === undefined ? undefined : hours * 60), `${label(r.label, 60)} — ${suffix}`));
    }
  }
  return options.slice(0, DiscordLimits.selectOptions);
}

function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1_000)}k`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)}k`;
  return String(n);
}
