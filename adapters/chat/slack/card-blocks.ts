import type { Card } from '../../../src/chat/card.js';
import {
  ActionId,
  BUTTON_VALUE_MAX,
  BlockId,
  OPTION_VALUE_MAX,
  SNOOZE_HOURS,
  type ButtonValue,
} from './action-ids.js';
import { type Block, LEVEL_EMOJI, SlackLimits, slackDate, sparkline } from './block-kit.js';
import { defuseMrkdwn, fitText, mrkdwn, plain, safeUrl } from './escape.js';
import { messagesFor } from './messages.js';
import { IGNORE_REASONS, type IgnoreReason } from '../../../src/chat/card.js';

export interface RenderedMessage {
  /** Notification and accessibility fallback; escaped. */
  text: string;
  blocks: Block[];
}

/** Renders a card as Block Kit; every outside string is escaped and every limit respected. */
export function renderCard(card: Card): RenderedMessage {
  const m = messagesFor(card.locale);
  const levelLabel = m.level[card.level];
  const blocks: Block[] = [];

  const title = card.category ? `${levelLabel} · ${card.category}` : levelLabel;
  blocks.push({ type: 'header', text: plain(`${LEVEL_EMOJI[card.level]} ${title} · ${card.score}`, SlackLimits.headerText, { emoji: true }) });

  blocks.push({ type: 'section', text: plain(card.text, SlackLimits.sectionText) });

  const author = card.author;
  const who = [`@${author.handle}`, author.name ? `(${author.name})` : null, author.followers !== null ? `${formatCount(author.followers)} ${m.followers}` : null, author.source]
    .filter((part): part is string => part !== null)
    .join(' · ');
  const context = [plain(who, SlackLimits.contextText)];
  const account = card.accountLabel ?? card.account;
  if (account) context.push(plain(`${m.account} : ${account}`, SlackLimits.contextText));
  blocks.push({ type: 'context', elements: context });

  if (card.reasons.length > 0) {
    blocks.push({ type: 'section', text: plain(`${m.reasons} :\n• ${card.reasons.join('\n• ')}`, SlackLimits.sectionText) });
  }

  if (card.similarCount > 0 || card.trend.length > 0) {
    const line = [card.similarCount > 0 ? m.similar(card.similarCount) : null, sparkline(card.trend) || null].filter(Boolean).join('  ');
    blocks.push({ type: 'context', elements: [plain(line, SlackLimits.contextText)] });
  }

  blocks.push({ type: 'section', text: mrkdwn(statusLine(card), SlackLimits.sectionText) });

  if (card.notices.length > 0) {
    blocks.push({ type: 'context', elements: [plain(`⚠️ ${card.notices.join('\n⚠️ ')}`, SlackLimits.contextText, { emoji: true })] });
  }

  const elements = actionElements(card);
  if (elements.length > 0) blocks.push({ type: 'actions', block_id: BlockId.cardActions, elements });

  return { text: fitText(`${LEVEL_EMOJI[card.level]} ${m.fallbackCard(levelLabel, card.ticketId)} — ${card.text}`, 500), blocks };
}

function statusLine(card: Card): string {
  const m = messagesFor(card.locale);
  const parts = [`*${m.ticket}* #${card.ticketId}`, `*${m.status_label}* : ${m.status[card.status]}`];
  if (card.team) parts.push(`*${m.team}* : ${defuseMrkdwn(card.team.label)}`);
  const d = card.lastDecision;
  if (d) {
    const detail = d.detail ? ` (${defuseMrkdwn(d.detail)})` : '';
    // The decider's name as text, never a `<@U…>` mention: nobody gets pinged by a card update.
    parts.push(`*${m.lastDecision}* : ${defuseMrkdwn(d.actorName)}${detail}, ${slackDate(d.at)}`);
  }
  return parts.join('  ·  ');
}

function value(v: ButtonValue & Record<string, unknown>): string {
  return JSON.stringify(v);
}

function actionElements(card: Card): Block[] {
  const m = messagesFor(card.locale);
  const ref = { t: card.ticketId, v: card.version };
  const elements: Block[] = [];
  const url = safeUrl(card.url);
  if (url) elements.push({ type: 'button', action_id: ActionId.openLink, text: plain(m.open, SlackLimits.buttonText), url });

  for (const action of card.actions) {
    switch (action) {
      case 'assign': {
        const options = card.teams
          .map((team) => ({ text: plain(team.label, SlackLimits.optionText), value: value({ ...ref, team: team.id }) }))
          .filter((o) => o.value.length <= OPTION_VALUE_MAX)
          .slice(0, SlackLimits.optionsPerSelect);
        if (options.length > 0) {
          elements.push({ type: 'static_select', action_id: ActionId.assign, placeholder: plain(m.assign, SlackLimits.placeholderText), options });
        }
        break;
      }
      case 'ignore': {
        const reasons = card.ignoreReasons.filter((r): r is { id: IgnoreReason; label: string } => (IGNORE_REASONS as readonly string[]).includes(r.id));
        if (reasons.length === 0) break;
        const groups = [undefined, ...SNOOZE_HOURS].map((hours) => ({
          label: plain(hours === undefined ? m.noSnooze : m.snooze(hours), SlackLimits.optionText),
          options: reasons.map((r) => ({
            text: plain(r.label, SlackLimits.optionText),
            value: value(hours === undefined ? { ...ref, r: r.id } : { ...ref, r: r.id, s: hours * 60 }),
          })),
        }));
        elements.push({ type: 'static_select', action_id: ActionId.ignore, placeholder: plain(m.ignore, SlackLimits.placeholderText), option_groups: groups });
        break;
      }
      case 'reply':
        elements.push({ type: 'button', action_id: ActionId.reply, text: plain(m.reply, SlackLimits.buttonText), value: value(ref), style: 'primary' });
        break;
      case 'author':
        elements.push({ type: 'button', action_id: ActionId.author, text: plain(m.author, SlackLimits.buttonText), value: value(ref) });
        break;
      case 'reopen':
        elements.push({ type: 'button', action_id: ActionId.reopen, text: plain(m.reopen, SlackLimits.buttonText), value: value(ref) });
        break;
      case 'resolve':
        elements.push({ type: 'button', action_id: ActionId.resolve, text: plain(m.resolve, SlackLimits.buttonText), value: value(ref) });
        break;
    }
  }
  return elements.filter((e) => typeof e.value !== 'string' || e.value.length <= BUTTON_VALUE_MAX).slice(0, SlackLimits.elementsPerActions);
}

function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1_000)}k`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)}k`;
  return String(n);
}
