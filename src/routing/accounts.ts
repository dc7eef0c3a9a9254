import type { AccountConfig, ChannelMap, VigieConfig } from '../config/schema.js';
import type { Platform } from '../chat/card.js';

/** `@MetroLutece` and `metrolutece` name the same account. */
export function bareHandle(handle: string): string {
  return handle.replace(/^@/, '').toLowerCase();
}

export interface Target {
  platform: Platform;
  channel: string;
}

/** Channels a card goes to: the account's own channels, else the watch channel, per enabled platform. */
export function cardTargets(config: VigieConfig, account: AccountConfig | null, platforms: readonly Platform[]): Target[] {
  const map: ChannelMap = { ...config.channels.watch, ...(account?.channels ?? {}) };
  return targetsOf(map, platforms);
}

export function targetsOf(map: ChannelMap, platforms: readonly Platform[]): Target[] {
  const out: Target[] = [];
  for (const platform of platforms) {
    const channel = map[platform];
    if (channel) out.push({ platform, channel });
  }
  return out;
}
