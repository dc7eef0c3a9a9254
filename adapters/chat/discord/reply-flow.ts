import { randomBytes } from 'node:crypto';
import { type APIEmbed, type APIModalInteractionResponseCallbackData, ButtonStyle, ComponentType, TextInputStyle } from 'discord.js';
import { z } from 'zod';
import type { ReplyPreview, TemplateChoice } from '../../../src/chat/port.js';
import type { Clock } from '../../../src/core/clock.js';
import type { ActionRow } from './components.js';
import { button, buttonRows, option, page, row, select, usableOptions } from './components.js';
import { MORE_VALUE, encodeCustomId } from './custom-ids.js';
import { fitMarkdown, label, truncate } from './escape.js';
import { DiscordLimits } from './limits.js';
import type { DiscordMessages } from './messages.js';

/**
 * The Reply flow. Discord modals hold text inputs only and can only be opened as the *first* answer
 * to a click, so the steps are:
 *   card "Reply" button → private message with a select of templates (deferred: the core is asked)
 *   → template picked → modal with the template's variables (≤5 per modal, more in later pages)
 *   → modal submitted → the private message becomes the preview, with Approve / Edit buttons
 *   → Approve → `inbound.act({ kind: 'reply', … })`.
 * The state between steps (templates offered, values typed) is a draft kept in memory for the life
 * of an interaction token (15 min): custom ids have room for its id, not for the values.
 */
export interface ReplyDraft {
  id: string;
  userId: string;
  ticketId: number;
  version: number;
  templates: TemplateChoice[];
  templateId: string | null;
  values: Record<string, string>;
  finalText: string | null;
  createdAt: number;
}

export const REPLY_DEFAULTS = {
  draftTtlMs: 900_000, // 15 min: an interaction token's life, after which the private message cannot be edited
  maxDrafts: 2_000,
  /** Variables beyond 4 modals (20) are not offered: a template needing more is a template to fix. */
  maxModalPages: 4,
} as const;

export class ReplyDrafts {
  private readonly drafts = new Map<string, ReplyDraft>();
  constructor(private readonly clock: Clock, private readonly ttlMs: number = REPLY_DEFAULTS.draftTtlMs) {}

  create(input: { userId: string; ticketId: number; version: number; templates: TemplateChoice[] }): ReplyDraft {
    this.sweep();
    const draft: ReplyDraft = { ...input, id: randomBytes(6).toString('hex'), templateId: null, values: {}, finalText: null, createdAt: this.clock().getTime() };
    this.drafts.set(draft.id, draft);
    if (this.drafts.size > REPLY_DEFAULTS.maxDrafts) {
      const oldest = this.drafts.keys().next().value;
      if (oldest !== undefined) this.drafts.delete(oldest);
    }
    return draft;
  }

  /** The draft, if it exists, is not expired, belongs to this user and matches the ticket in the custom id. */
  get(id: string, userId: string, ticketId: number): ReplyDraft | null {
    const draft = this.drafts.get(id);
    if (!draft || draft.userId !== userId || draft.ticketId !== ticketId) return null;
    if (this.clock().getTime() - draft.createdAt > this.ttlMs) {
      this.drafts.delete(id);
      return null;
    }
    return draft;
  }

  delete(id: string): void {
    this.drafts.delete(id);
  }

  private sweep(): void {
    const now = this.clock().getTime();
    for (const [id, draft] of this.drafts) if (now - draft.createdAt > this.ttlMs) this.drafts.delete(id);
  }
}

export function templateOf(draft: ReplyDraft): TemplateChoice | null {
  return draft.templates.find((t) => t.id === draft.templateId) ?? null;
}

/** Variable names of the picked template, capped to what the modals can hold. */
export function variableNames(template: TemplateChoice): string[] {
  return template.variables.map((v) => v.name).slice(0, REPLY_DEFAULTS.maxModalPages * DiscordLimits.modalInputs);
}

export function modalPages(template: TemplateChoice): number {
  return Math.max(1, Math.ceil(variableNames(template).length / DiscordLimits.modalInputs));
}

/** Step 1: the private message offering the templates (24 a page plus "more…" when there are more). */
export function templatePicker(draft: ReplyDraft, pageIndex: number, m: DiscordMessages): { content: string; components: ActionRow[] } {
  const usable = usableOptions(draft.templates);
  const { items, more } = page(usable, pageIndex);
  const options = items.map((t) => option(t.id, t.stale ? `${t.label} (${m.staleTemplate})` : t.label));
  if (more) options.push(option(MORE_VALUE, m.moreTemplates));
  const id = encodeCustomId({ kind: 'template', ticketId: draft.ticketId, version: draft.version, draft: draft.id, page: pageIndex });
  return { content: m.pickTemplate, components: options.length > 0 ? [row(select(id, m.pickTemplate, options))] : [] };
}

/** Step 2: the modal for one page of variables, pre-filled with the template's defaults or what was typed. */
export function variablesModal(draft: ReplyDraft, template: TemplateChoice, pageIndex: number, m: DiscordMessages): APIModalInteractionResponseCallbackData {
  const names = variableNames(template);
  const pages = modalPages(template);
  const first = pageIndex * DiscordLimits.modalInputs;
  const components = names.slice(first, first + DiscordLimits.modalInputs).map((name, offset) => {
    const variable = template.variables.find((v) => v.name === name);
    const value = truncate(draft.values[name] ?? variable?.value ?? '', DiscordLimits.textInputValue);
    return {
      // Label components replace text inputs in action rows, which Discord deprecated for modals.
      type: ComponentType.Label as const,
      label: label(variable?.label ?? name, DiscordLimits.textInputLabel),
      component: {
        type: ComponentType.TextInput as const,
        custom_id: inputId(first + offset),
        style: value.length > 80 ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: false,
        max_length: DiscordLimits.textInputValue,
        ...(value ? { value } : {}),
      },
    };
  });
  return {
    custom_id: encodeCustomId({ kind: 'modal', ticketId: draft.ticketId, version: draft.version, draft: draft.id, page: pageIndex }),
    title: label(m.modalTitle(pageIndex + 1, pages), DiscordLimits.modalTitle),
    components,
  };
}

const inputId = (index: number) => `v${index}`;

/** What a modal submission carries: our input ids to the values typed (validated, bounded). */
export const modalFieldsSchema = z.record(z.string().regex(/^v\d{1,2}$/), z.string().max(DiscordLimits.textInputValue));

/** Merges a submitted page into the draft's values, by the index encoded in each input id. */
export function applySubmission(draft: ReplyDraft, template: TemplateChoice, fields: z.infer<typeof modalFieldsSchema>): void {
  const names = variableNames(template);
  for (const [id, value] of Object.entries(fields)) {
    const name = names[Number(id.slice(1))];
    if (name !== undefined) draft.values[name] = value;
  }
}

/** Step 3: the preview, with Approve (only when the core says the text is complete) and Edit buttons. */
export function previewMessage(draft: ReplyDraft, template: TemplateChoice, preview: ReplyPreview, m: DiscordMessages): { content: string; embeds: APIEmbed[]; components: ActionRow[] } {
  const ref = { ticketId: draft.ticketId, version: draft.version, draft: draft.id };
  const embed: APIEmbed = preview.ok
    ? {
        title: fitMarkdown(`${m.previewTitle} · ${template.label}`, DiscordLimits.embedTitle),
        description: fitMarkdown(preview.text, 3_500),
        footer: { text: m.lengthOf(preview.length, preview.maxLength) },
        color: preview.maxLength !== null && preview.length > preview.maxLength ? 0xe74c3c : 0x2ecc71,
      }
    : {
        title: m.previewFailed,
        description: fitMarkdown([preview.message, preview.missing.length > 0 ? m.missing(preview.missing.join(', ')) : ''].filter(Boolean).join('\n'), 3_500),
        color: 0xe67e22,
      };
  const pages = modalPages(template);
  const hasVariables = variableNames(template).length > 0;
  const buttons = [button(encodeCustomId({ kind: 'approve', ...ref }), m.approve, ButtonStyle.Success, !preview.ok)];
  if (hasVariables) {
    for (let p = 0; p < pages; p += 1) buttons.push(button(encodeCustomId({ kind: 'edit', ...ref, page: p }), m.edit(p + 1, pages), ButtonStyle.Secondary));
  }
  return { content: '', embeds: [embed], components: buttonRows(buttons, 1) };
}
