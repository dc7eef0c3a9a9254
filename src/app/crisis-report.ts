import type { CliContext } from '../cli/context.js';
import { systemClock } from '../core/clock.js';
import type { JobQueue } from '../jobs/queue.js';
import type { CrisisStore } from '../../adapters/db/crisis-store.js';
import type { Store } from '../../adapters/db/store.js';
import { createCrisisWorkflow } from './crisis-workflow.js';

/** `vigie crisis report ID`: the same report the crisis channel got, as Markdown, from a stopped or running Vigie. */
export async function createCrisisMarkdown(ctx: CliContext, store: Store, _crises: CrisisStore, id: number): Promise<string | null> {
  const offline = {
    store,
    // Reading a report posts nothing and schedules nothing.
    queue: null as unknown as JobQueue,
    clock: systemClock,
    logger: ctx.logger,
    loaded: ctx.loaded,
    platforms: [],
    enqueueDeliveries: async () => {},
  };
  return Number.isFinite(id) ? createCrisisWorkflow(offline).markdown(id) : null;
}
