import type { AccountConfig, ChannelMap, VigieConfig } from '../config/schema.js';
import type { Platform } from '../chat/card.js';

const bare = (handle: string) => handle.replace(/^@/, '').toLowerCase();

/**
 * Resolves which watched account a mention concerns: the one it names, else a handle it contains,
 * else the first account whose alias appears in the normalised text (aliases are matched as words).
 */
export function createAccountResolver(accounts: readonly AccountConfig[]) {
  const byHandle = new Map(accounts.map((a) => [bare(a.handle), a]));
  const aliasPatterns = accounts.map((a) => ({
    account: a,
    patterns: a.aliases.map((alias) => fold(alias)).filter((s) => s.length > 0),
  }));
  return function resolve(named: string | null | undefined, handles: readonly string[], normalizedText: string): AccountConfig | null {
    if (named) {
      const hit = byHandle.get(bare(named));
      if (hit) return hit;
    }
    for (const h of handles) {
      const hit = byHandle.get(bare(h));
      if (hit) return hit;
    }
    const padded = ` ${normalizedText} `;
    for (const { account, patterns } of aliasPatterns) {
      for (const p of patterns) if (padded.includes(` ${p} `)) return account;
    }
    return null;
  };
}

/** Lowercase, accents removed, punctuation as spaces: the same folding the engine applies to text. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
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
