import type { ChatPlatform } from '../chat/port.js';
import type { CliContext } from '../cli/context.js';

export async function createDiscordPlatformFromEnv(_ctx: CliContext): Promise<ChatPlatform> {
  throw new Error('Discord is not available in this build');
}
