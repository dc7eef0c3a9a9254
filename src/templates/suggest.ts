import type { Locale } from '../chat/card.js';
import { type TemplateFreshness, templateFreshness } from './freshness.js';
import type { ReplyTemplate } from './schema.js';

/** Templates of this category are offered on every card, after the ones matching its categories. */
export const GENERIC_CATEGORY = 'generic';

export interface TemplateSuggestion<T extends ReplyTemplate = ReplyTemplate> {
  template: T;
  /** Null when no `now` was given. */
  freshness: TemplateFreshness | null;
}

export interface SuggestOptions {
  /** The account's site (config accounts' `site`): site-specific templates come first, other sites' are left out. */
  site?: string | undefined;
  /** Enables freshness: expired templates are left out (they cannot be approved), due ones flagged. */
  now?: Date | undefined;
  /** At most this many suggestions (default 5). */
  limit?: number | undefined;
}

/**
 * Templates for a card, best first: in the order of the given categories (the ticket's category
 * first, then the other rules' categories), site-specific before all-sites, then generic ones
 * ("we are looking into it"). Only the card's locale.
 */
export function suggestTemplates<T extends ReplyTemplate>(templates: readonly T[], categories: readonly string[], locale: Locale, options: SuggestOptions = {}): Array<TemplateSuggestion<T>> {
  const limit = options.limit ?? 5;
  const wanted = [...new Set([...categories, GENERIC_CATEGORY])];
  const out: Array<TemplateSuggestion<T>> = [];
  for (const category of wanted) {
    const candidates = templates
      .filter((t) => t.language === locale && t.category === category)
      .filter((t) => t.sites.length === 0 || options.site === undefined || t.sites.includes(options.site))
      .map((t) => ({ template: t, freshness: options.now ? templateFreshness(t, options.now) : null }))
      .filter((s) => s.freshness !== 'expired')
      .sort((a, b) => siteRank(a.template, options.site) - siteRank(b.template, options.site) || a.template.id.localeCompare(b.template.id));
    out.push(...candidates);
  }
  return out.slice(0, limit);
}

function siteRank(t: ReplyTemplate, site: string | undefined): number {
  return site !== undefined && t.sites.includes(site) ? 0 : 1;
}
