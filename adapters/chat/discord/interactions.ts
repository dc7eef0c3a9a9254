import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { CardOption, Locale } from '../../../src/chat/card.js';
import type { ActionResult, Actor, ChatAction, ChatInbound, ChatReply, MessageRef } from '../../../src/chat/port.js';
import type { Logger } from '../../../src/ops/logger.js';
import { teamOptions } from './card-embed.js';
import { type DiscordAutocompleteSource, autocompleteChoices, readCommand } from './commands.js';
import { row, select } from './components.js';
import { type CustomId, MORE_VALUE, encodeCustomId, optionValueSchema, parseCustomId, parseIgnoreValue } from './custom-ids.js';
import { fitMarkdown } from './escape.js';
import { DiscordLimits } from './limits.js';
import { messagesFor } from './messages.js';
import { renderNotice } from './notice-embed.js';
import {
  type ReplyDraft,
  type ReplyDrafts,
  applySubmission,
  modalFieldsSchema,
  previewMessage,
  templateOf,
  templatePicker,
  variableNames,
  variablesModal,
} from './reply-flow.js';

/** What the gateway told us about an interaction that discord.js objects do not keep as sent. */
export interface RawInteraction {
  channelId: string | null;
  /** The member's role ids, as Discord sent them (discord.js resolves them only against its role cache). */
  roles: string[];
  name: string | null;
}

export interface InteractionDeps {
  inbound: () => ChatInbound | null;
  locale: Locale;
  logger: Logger;
  drafts: ReplyDrafts;
  autocomplete: DiscordAutocompleteSource | undefined;
  /** A command answered by the core within this delay is answered directly; otherwise deferred first. */
  commandReplyWithinMs: number;
  raw: (interactionId: string) => RawInteraction | undefined;
  /** Every team of a card whose Assign select could not show them all, if known. */
  teamsOf: (messageId: string) => Promise<CardOption[] | null>;
  /** The parent channel of a thread, or null when `channelId` is not a thread we know. */
  parentOf: (channelId: string) => string | null;
}

/** Never pings: the first of the two safety layers, on every message, edit, reply and follow-up. */
const NO_MENTIONS = { parse: [] } as { parse: [] };

type Repliable = ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction | ChatInputCommandInteraction;

/** Routes every interaction. Each one is acknowledged before the core is asked: Discord allows 3 s. */
export function createInteractionHandler(deps: InteractionDeps): (interaction: Interaction) => Promise<void> {
  const m = messagesFor(deps.locale);
  const log = deps.logger;

  const core = (): ChatInbound => {
    const inbound = deps.inbound();
    if (!inbound) throw new Error('discord: interaction before start()');
    return inbound;
  };

  const actorOf = (interaction: Interaction): Actor => {
    const raw = deps.raw(interaction.id);
    const member = interaction.member;
    const nick = member && 'nick' in member && typeof member.nick === 'string' ? member.nick : null;
    return {
      platform: 'discord',
      id: interaction.user.id,
      name: raw?.name ?? nick ?? interaction.user.globalName ?? interaction.user.username,
      groups: raw?.roles ?? [],
    };
  };

  /** The core's messages may quote outside text (a name, a reason): defused like everything else. */
  const privately = (text: string): InteractionReplyOptions & InteractionEditReplyOptions => ({
    content: fitMarkdown(text, DiscordLimits.content),
    embeds: [],
    components: [],
    allowedMentions: NO_MENTIONS,
  });

  /** A private answer to the clicker, whatever state the interaction is in. */
  const tell = async (interaction: Repliable, text: string) => {
    if (interaction.deferred && !interaction.replied && interaction.ephemeral) await interaction.editReply(privately(text));
    else if (interaction.deferred || interaction.replied) await interaction.followUp({ ...privately(text), flags: MessageFlags.Ephemeral });
    else await interaction.reply({ ...privately(text), flags: MessageFlags.Ephemeral });
  };

  const answerResult = async (interaction: Repliable, result: ActionResult | null) => {
    // "ok" needs no answer: the core updates the card in place and notes the decision in its thread.
    if (result && result.status !== 'ok') await tell(interaction, result.message);
  };

  const noticeOptions = (reply: ChatReply) => ({ ...renderNotice(reply.notice, { locale: deps.locale }), allowedMentions: NO_MENTIONS });

  /** Never lets an exception reach discord.js; the clicker gets an apology, never the error text. */
  const guard = async (interaction: Interaction, work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      log.error({ err, interaction: interaction.id, type: interaction.type }, 'discord: handling an interaction failed');
      if (interaction.isRepliable() && !interaction.isAutocomplete()) {
        await tell(interaction as Repliable, m.apology).catch((e: unknown) => log.warn({ err: e }, 'discord: apology not delivered'));
      }
    }
  };

  const act = async (interaction: ButtonInteraction | StringSelectMenuInteraction, id: { ticketId: number; version: number }, action: ChatAction) => {
    await interaction.deferUpdate();
    await answerResult(interaction, await core().act({ ticketId: id.ticketId, version: id.version, actor: actorOf(interaction), action }));
  };

  // ---- Components ----

  async function onSelect(interaction: StringSelectMenuInteraction, id: CustomId) {
    const picked = optionValueSchema.safeParse(interaction.values[0]);
    if (!picked.success) return tell(interaction, m.invalidAction);
    const value = picked.data;
    switch (id.kind) {
      case 'assign': {
        if (value !== MORE_VALUE) return act(interaction, id, { kind: 'assign', teamId: value });
        const teams = await deps.teamsOf(interaction.message.id);
        const options = teams ? teamOptions(teams, id.page + 1, m) : null;
        if (!options) return tell(interaction, m.invalidAction);
        const next = { content: m.assign, components: [row(select(encodeCustomId({ ...id, page: id.page + 1 }), m.assign, options))], allowedMentions: NO_MENTIONS };
        // From the card: a private page 2; from a private page: replace it with the next one.
        if (interaction.message.flags.has(MessageFlags.Ephemeral)) await interaction.update(next);
        else await interaction.reply({ ...next, flags: MessageFlags.Ephemeral });
        return;
      }
      case 'ignore': {
        const ignore = parseIgnoreValue(value);
        if (!ignore) return tell(interaction, m.invalidAction);
        return act(interaction, id, { kind: 'ignore', ...ignore });
      }
      case 'template': {
        const draft = deps.drafts.get(id.draft, interaction.user.id, id.ticketId);
        if (!draft) return tell(interaction, m.expired);
        if (value === MORE_VALUE) {
          await interaction.update({ ...templatePicker(draft, id.page + 1, m), allowedMentions: NO_MENTIONS });
          return;
        }
        const template = draft.templates.find((t) => t.id === value);
        if (!template) return tell(interaction, m.invalidAction);
        draft.templateId = template.id;
        draft.values = Object.fromEntries(template.variables.map((v) => [v.name, v.value]));
        // A modal can only be the first answer to this click: no await on the core before it.
        if (variableNames(template).length > 0) return interaction.showModal(variablesModal(draft, template, 0, m));
        await interaction.deferUpdate();
        return showPreview(interaction, draft);
      }
      default:
        return tell(interaction, m.invalidAction);
    }
  }

  async function onButton(interaction: ButtonInteraction, id: CustomId) {
    switch (id.kind) {
      case 'resolve':
      case 'reopen':
        return act(interaction, id, { kind: id.kind });
      case 'author': {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        const reply = await core().author(id.ticketId, actorOf(interaction));
        await interaction.editReply(noticeOptions(reply));
        return;
      }
      case 'reply': {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        const options = await core().replyOptions(id.ticketId, actorOf(interaction));
        if (!options) return tell(interaction, m.invalidAction);
        if (options.templates.length === 0) return tell(interaction, m.noTemplates);
        const draft = deps.drafts.create({ userId: interaction.user.id, ticketId: id.ticketId, version: id.version, templates: options.templates });
        await interaction.editReply({ ...templatePicker(draft, 0, m), embeds: [], allowedMentions: NO_MENTIONS });
        return;
      }
      case 'edit': {
        const draft = deps.drafts.get(id.draft, interaction.user.id, id.ticketId);
        const template = draft ? templateOf(draft) : null;
        if (!draft || !template) return tell(interaction, m.expired);
        return interaction.showModal(variablesModal(draft, template, id.page, m));
      }
      case 'approve': {
        const draft = deps.drafts.get(id.draft, interaction.user.id, id.ticketId);
        const template = draft ? templateOf(draft) : null;
        if (!draft || !template) return tell(interaction, m.expired);
        await interaction.deferUpdate();
        const result = await core().act({
          ticketId: draft.ticketId,
          version: draft.version,
          actor: actorOf(interaction),
          action: { kind: 'reply', templateId: template.id, variables: { ...draft.values }, ...(draft.finalText !== null ? { finalText: draft.finalText } : {}) },
        });
        if (result.status === 'ok') deps.drafts.delete(draft.id);
        // The private preview becomes the outcome; buttons go, so nobody approves twice from it.
        await interaction.editReply({ content: fitMarkdown(result.status === 'ok' ? m.approved : result.message, DiscordLimits.content), components: [], allowedMentions: NO_MENTIONS });
        return;
      }
      case 'notice': {
        await interaction.deferUpdate();
        const reply = await core().button(id.buttonId, actorOf(interaction), messageRefOf(interaction));
        if (reply) await interaction.followUp({ ...noticeOptions(reply), ...(reply.visibility === 'private' ? { flags: MessageFlags.Ephemeral } : {}) });
        return;
      }
      default:
        return tell(interaction, m.invalidAction);
    }
  }

  const messageRefOf = (interaction: ButtonInteraction): MessageRef => {
    const channel = interaction.message.channelId;
    const parent = deps.parentOf(channel);
    return parent
      ? { platform: 'discord', channel: parent, messageId: interaction.message.id, threadId: channel }
      : { platform: 'discord', channel, messageId: interaction.message.id, threadId: null };
  };

  async function showPreview(interaction: Repliable, draft: ReplyDraft) {
    const template = templateOf(draft);
    if (!template) return tell(interaction, m.expired);
    const preview = await core().previewReply(draft.ticketId, template.id, { ...draft.values });
    draft.finalText = preview.ok ? preview.text : null;
    await interaction.editReply({ ...previewMessage(draft, template, preview, m), allowedMentions: NO_MENTIONS });
  }

  async function onModal(interaction: ModalSubmitInteraction, id: CustomId) {
    if (id.kind !== 'modal') return tell(interaction, m.invalidAction);
    const draft = deps.drafts.get(id.draft, interaction.user.id, id.ticketId);
    const template = draft ? templateOf(draft) : null;
    if (!draft || !template) return tell(interaction, m.expired);
    const fields = modalFieldsSchema.safeParse(Object.fromEntries(interaction.fields.fields.map((f, key) => [key, 'value' in f ? f.value : undefined])));
    if (!fields.success) {
      log.warn({ issues: fields.error.issues.length }, 'discord: malformed modal submission');
      return tell(interaction, m.invalidAction);
    }
    applySubmission(draft, template, fields.data);
    // Opened from the private message: that message becomes the preview. Otherwise a new private one.
    if (interaction.isFromMessage()) await interaction.deferUpdate();
    else await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await showPreview(interaction, draft);
  }

  // ---- Commands ----

  async function onCommand(interaction: ChatInputCommandInteraction) {
    const parsed = readCommand(interaction);
    const channel = interaction.channelId ?? deps.raw(interaction.id)?.channelId ?? null;
    if (!parsed || !channel) return tell(interaction, m.invalidAction);
    const work = core()
      .command({ actor: actorOf(interaction), command: parsed.command, text: parsed.text, channel })
      .then((reply) => ({ reply }), (err: unknown) => ({ err }));
    let timer: NodeJS.Timeout | undefined;
    const early = await Promise.race([work, new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), deps.commandReplyWithinMs); })]);
    clearTimeout(timer);
    if (early) {
      if ('err' in early) throw early.err;
      const visible = early.reply.visibility === 'channel';
      await interaction.reply({ ...noticeOptions(early.reply), ...(visible ? {} : { flags: MessageFlags.Ephemeral }) });
      return;
    }
    // The visibility is only known once the core answers: defer privately, then either edit the
    // private answer or, for a channel answer, confirm privately and post a public follow-up.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const late = await work;
    if ('err' in late) throw late.err;
    if (late.reply.visibility === 'private') {
      await interaction.editReply(noticeOptions(late.reply));
      return;
    }
    await interaction.editReply(privately(m.postedInChannel));
    await interaction.followUp(noticeOptions(late.reply));
  }

  async function onAutocomplete(interaction: AutocompleteInteraction) {
    const focused = interaction.options.getFocused(true);
    const choices = await autocompleteChoices(deps.autocomplete, focused.name, String(focused.value)).catch((err: unknown) => {
      log.warn({ err, option: focused.name }, 'discord: autocomplete source failed');
      return [];
    });
    await interaction.respond(choices);
  }

  return async (interaction: Interaction) => {
    if (interaction.isAutocomplete()) {
      await onAutocomplete(interaction).catch((err: unknown) => log.warn({ err }, 'discord: autocomplete failed'));
      return;
    }
    await guard(interaction, async () => {
      if (interaction.isChatInputCommand()) return onCommand(interaction);
      if (interaction.isStringSelectMenu() || interaction.isButton() || interaction.isModalSubmit()) {
        const id = parseCustomId(interaction.customId);
        if (!id) {
          log.warn({ customId: interaction.customId.slice(0, 100) }, 'discord: unknown custom id');
          return tell(interaction, m.invalidAction);
        }
        if (interaction.isStringSelectMenu()) return onSelect(interaction, id);
        if (interaction.isButton()) return onButton(interaction, id);
        return onModal(interaction, id);
      }
    });
  };
}
