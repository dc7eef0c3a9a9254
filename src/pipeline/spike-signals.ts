import type { Notice, Platform } from '../chat/card.js';
import type { VigieConfig } from '../config/schema.js';
import { atLeast } from '../core/levels.js';
import type { Engine, Spike } from '../engine/types.js';
import { targetsOf } from '../routing/accounts.js';
import type { DeliveryRow, NewDelivery } from '../store/types.js';
import type { SpikeStore } from '../store/ingest-port.js';

const CHECK_EVERY_MS = 60_000;
const HOUR_MS = 3_600_000;

export function spikeNotice(spike: Spike, locale: 'fr' | 'en'): Notice {
  return {
    title: locale === 'fr' ? `Signal faible : ${spike.key}` : `Weak signal: ${spike.key}`,
    level: spike.level,
    sections: [
      {
        lines: [
          spike.text,
          locale === 'fr'
            ? `${spike.currentCount} en une heure, contre ${spike.baselinePerHour.toFixed(1)}/h d'habitude (×${spike.ratio.toFixed(1)})`
            : `${spike.currentCount} in an hour against ${spike.baselinePerHour.toFixed(1)}/h usually (×${spike.ratio.toFixed(1)})`,
        ],
      },
    ],
  };
}

/**
 * Weak signals: many mentions on one subject, none risky alone, still deserve a look. After ingest,
 * at most once a minute of mention time, the engine's spikes become one notice per subject and hour
 * in the watch channel (the delivery key de-duplicates them).
 */
export function createSpikeSignals(deps: {
  engine: Engine;
  store: SpikeStore;
  config: VigieConfig;
  platforms: readonly Platform[];
  enqueue: (rows: DeliveryRow[]) => Promise<void>;
}) {
  let lastCheck = 0;
  return async function afterBatch(latestMentionAt: Date): Promise<void> {
    const t = latestMentionAt.getTime();
    if (t - lastCheck < CHECK_EVERY_MS) return;
    lastCheck = t;
    const spikes = deps.engine.spikes(latestMentionAt).filter((s) => atLeast(s.level, 'watch'));
    if (spikes.length === 0) return;
    const hour = Math.floor(t / HOUR_MS);
    const rows: NewDelivery[] = [];
    for (const spike of spikes) {
      for (const target of targetsOf(deps.config.channels.watch, deps.platforms)) {
        rows.push({
          key: `spike:${spike.key}:${hour}:${target.platform}:${target.channel}`,
          kind: 'notice',
          ...target,
          ticketId: null,
          priority: 5,
          payload: { notice: spikeNotice(spike, deps.config.organisation.locale) },
        });
      }
    }
    const before = await deps.store.existingDeliveryKeys(rows.map((r) => r.key));
    const fresh = rows.filter((r) => !before.has(r.key));
    if (fresh.length === 0) return;
    await deps.enqueue(await deps.store.addDeliveries(fresh));
  };
}
