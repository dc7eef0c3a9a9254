import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APISelectMenuOption,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { label } from './escape.js';
import { DiscordLimits } from './limits.js';

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** A button with a custom id; the label is fitted and defused. */
export function button(customId: string, text: string, style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger, disabled = false): APIButtonComponent {
  return { type: ComponentType.Button, custom_id: customId, label: label(text, DiscordLimits.buttonLabel), style, ...(disabled ? { disabled } : {}) };
}

export function linkButton(url: string, text: string): APIButtonComponent {
  return { type: ComponentType.Button, url, label: label(text, DiscordLimits.buttonLabel), style: ButtonStyle.Link };
}

export function option(value: string, text: string, description?: string): APISelectMenuOption {
  return {
    value,
    label: label(text, DiscordLimits.optionLabel),
    ...(description ? { description: label(description, DiscordLimits.optionDescription) } : {}),
  };
}

export function select(customId: string, placeholder: string, options: APISelectMenuOption[]): APIStringSelectComponent {
  return {
    type: ComponentType.StringSelect,
    custom_id: customId,
    placeholder: label(placeholder, DiscordLimits.placeholder),
    options: options.slice(0, DiscordLimits.selectOptions),
  };
}

/** Lays buttons out five to a row, at most `maxRows` rows. */
export function buttonRows(buttons: APIButtonComponent[], maxRows: number): ActionRow[] {
  const rows: ActionRow[] = [];
  for (let i = 0; i < buttons.length && rows.length < maxRows; i += DiscordLimits.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + DiscordLimits.buttonsPerRow) });
  }
  return rows;
}

export function row(component: APIComponentInMessageActionRow): ActionRow {
  return { type: ComponentType.ActionRow, components: [component] };
}

/**
 * One page of a select over a list that may be longer than 25: a list of at most 25 fits whole;
 * a longer one is shown 24 at a time, the 25th option opening the next page.
 */
export function page<T>(items: readonly T[], pageIndex: number): { items: T[]; more: boolean } {
  if (pageIndex === 0 && items.length <= DiscordLimits.selectOptions) return { items: [...items], more: false };
  const size = DiscordLimits.selectOptions - 1;
  const start = pageIndex * size;
  return { items: items.slice(start, start + size), more: start + size < items.length };
}

/** Drops options whose value is too long for Discord or repeated (values must be unique in a select). */
export function usableOptions<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (item.id.length === 0 || item.id.length > DiscordLimits.optionValue || seen.has(item.id)) return false;
    seen.add(item.id);
    return true;
  });
}
