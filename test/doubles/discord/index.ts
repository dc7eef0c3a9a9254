export { type DiscordDouble, type DiscordDoubleOptions, type ComponentPick, type InteractionOptions, DOUBLE_CHANNELS, DOUBLE_USERS, startDiscordDouble } from './discord-double.js';
export { componentViolations, discordWouldPing, embedViolations, messageViolations, modalViolations } from './limits.js';
export type { DoubleUser, Fault, InteractionAnswer, InteractionRecord, RecordedCall, StoredMessage } from './state.js';
