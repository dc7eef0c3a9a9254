import type { webApi } from '@slack/bolt';
import type { Clock } from '../../../src/core/clock.js';
import type { Logger } from '../../../src/ops/logger.js';

/**
 * User → user-group ids, from one `usergroups.list` (include_users) call cached for `ttlMs`: permissions
 * need the groups on every click, and usergroups.list is Tier 2, so it must never be per click.
 */
export class UserGroupCache {
  private byUser = new Map<string, string[]>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly options: { ttlMs: number; clock: Clock; logger: Logger },
  ) {}

  async groupsOf(userId: string): Promise<string[]> {
    if (this.options.clock().getTime() - this.loadedAt >= this.options.ttlMs) {
      this.loading ??= this.load().finally(() => {
        this.loading = null;
      });
      await this.loading;
    }
    return this.byUser.get(userId) ?? [];
  }

  private async load(): Promise<void> {
    try {
      const result = await this.client.usergroups.list({ include_users: true });
      const byUser = new Map<string, string[]>();
      for (const group of result.usergroups ?? []) {
        if (!group.id) continue;
        for (const user of group.users ?? []) byUser.set(user, [...(byUser.get(user) ?? []), group.id]);
      }
      this.byUser = byUser;
    } catch (err) {
      // Keep the last known groups: a refusal is safer than a crash, and the core logs who was refused.
      this.options.logger.warn({ err }, 'slack: usergroups.list failed (is the usergroups:read scope granted?)');
    }
    // Also after a failure: retrying on every click would hammer a Tier 2 method.
    this.loadedAt = this.options.clock().getTime();
  }
}
