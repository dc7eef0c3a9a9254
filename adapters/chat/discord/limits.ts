import { LEVEL_EMOJI, sparkline } from '../../../src/chat/sparkline.js';
import type { Level } from '../../../src/core/levels.js';

/**
 * Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits,
 * .../interactions/message-components), in one place. The builders check some setters, not the
 * totals (5 buttons a row, 6,000 characters across a message's embeds): the renderers enforce all of them.
 */
export const DiscordLimits = {
  content: 2_000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4_096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footerText: 2_048,
  authorName: 256,
  /** Sum of title, description, field names and values, footer text and author name of all embeds. */
  embedTotal: 6_000,
  actionRows: 5,
  buttonsPerRow: 5,
  selectOptions: 25,
  customId: 100,
  buttonLabel: 80,
  optionLabel: 100,
  optionValue: 100,
  optionDescription: 100,
  placeholder: 150,
  modalTitle: 45,
  modalInputs: 5,
  textInputLabel: 45,
  textInputValue: 4_000,
  threadName: 100,
  /** `nonce` on message create: an integer or a string of at most 25 characters. */
  nonce: 25,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandDescription: 100,
} as const;

/** Embed colours by level (the side bar of the card). */
export const LEVEL_COLOUR: Record<Level, number> = {
  none: 0x95a5a6,
  watch: 0xf1c40f,
  high: 0xe67e22,
  critical: 0xe74c3c,
};

/** Discord's timestamp markup: every reader sees it in their own time zone and language. */
export function discordDate(at: Date): string {
  return `<t:${Math.floor(at.getTime() / 1_000)}:f>`;
}

export { LEVEL_EMOJI, sparkline };
