import { LEVEL_EMOJI, sparkline } from '../../../src/chat/sparkline.js';

/** Slack's documented limits (https://docs.slack.dev/reference/block-kit), kept in one place. */
export const SlackLimits = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3_000,
  headerText: 150,
  contextElements: 10,
  contextText: 2_000,
  buttonText: 75,
  optionText: 75,
  optionsPerSelect: 100,
  elementsPerActions: 25,
  placeholderText: 150,
  fallbackText: 40_000,
  viewTitle: 24,
  inputLabel: 2_000,
  textInput: 3_000,
  privateMetadata: 3_000,
} as const;

/** A Block Kit block as sent on the wire; the adapter builds them as plain objects. */
export interface Block {
  type: string;
  block_id?: string;
  [key: string]: unknown;
}

/** Slack's date token: shown in each reader's own time zone, with a fallback for old clients. */
export function slackDate(at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

export { LEVEL_EMOJI, sparkline };
