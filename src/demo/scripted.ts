import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { IGNORE_REASONS } from '../chat/card.js';
import type { ChatAction } from '../chat/port.js';
import { bootstrap } from '../app/bootstrap.js';
import type { CliContext } from '../cli/context.js';
import { describeIssues } from '../core/zod-issues.js';
import { replayJsonl } from './replay.js';

const decisionSchema = z.object({
  afterMention: z.string().optional(),
  match: z.object({ textIncludes: z.string().min(1) }).optional(),
  action: z.enum(['assign', 'ignore', 'reply', 'resolve', 'reopen']),
  team: z.string().optional(),
  reason: z.enum(IGNORE_REASONS).optional(),
  template: z.string().optional(),
  variables: z.record(z.string(), z.string()).optional(),
  actor: z.object({ id: z.string(), name: z.string() }),
});
const scriptSchema = z.union([z.array(decisionSchema), z.object({ decisions: z.array(decisionSchema) }).transform((o) => o.decisions)]);

export interface DemoOptions {
  scenario: string;
  decisions: string;
  interactive: boolean;
  speed: number;
}

function toAction(d: z.infer<typeof decisionSchema>): ChatAction {
  switch (d.action) {
    case 'assign':
      return { kind: 'assign', teamId: d.team ?? 'passengers' };
    case 'ignore':
      return { kind: 'ignore', reason: d.reason ?? 'handled' };
    case 'reply':
      return { kind: 'reply', templateId: d.template ?? '', variables: d.variables ?? {} };
    case 'resolve':
      return { kind: 'resolve' };
    case 'reopen':
      return { kind: 'reopen' };
  }
}

/**
 * The bundled demo in a throwaway embedded database: replay the day, take the scripted decisions
 * (non-interactive) or let a person type them, then print what happened. Exit status says whether
 * the spine worked end to end.
 */
export async function runScriptedDemo(ctx: CliContext, options: DemoOptions): Promise<boolean> {
  const raw = JSON.parse(readFileSync(options.decisions, 'utf8')) as unknown;
  const parsed = scriptSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${options.decisions}: ${describeIssues(parsed.error).join('; ')}`);
  const interactive = options.interactive && process.stdin.isTTY === true;
  const app = await bootstrap(ctx, {
    dataDir: 'memory://',
    http: false,
    console: { output: process.stdout, ...(interactive ? { input: process.stdin } : {}), color: process.stdout.isTTY === true },
  });
  await app.start();
  try {
    const replay = await replayJsonl(options.scenario, (b) => app.ingest(b), { speed: options.speed, batchSize: 100 });
    await app.drained(120_000);
    const outcomes: string[] = [];
    let failures = 0;
    if (!interactive) {
      for (const d of parsed.data) {
        // The text names the story; `afterMention` says when the decision is taken (and is the
        // fallback target for a decision without a text).
        let ticket = d.match ? await app.store.ticketByText(d.match.textIncludes) : null;
        if (!ticket && d.afterMention) {
          const i = d.afterMention.indexOf(':');
          ticket = await app.store.ticketForMention(d.afterMention.slice(0, i), d.afterMention.slice(i + 1));
        }
        if (!ticket) {
          // A scripted decision with nothing to act on means the scenario, the pack or the pipeline
          // changed under it: the smoke test says so rather than passing on fewer decisions.
          failures++;
          outcomes.push(`- ${d.action}: FAILED, no ticket for ${d.afterMention ?? d.match?.textIncludes ?? '?'} (the story stayed below the card threshold)`);
          continue;
        }
        const result = await app.inbound.act({ ticketId: ticket.id, actor: { platform: 'console', ...d.actor }, action: toAction(d) });
        if (result.status !== 'ok') failures++;
        outcomes.push(`- #${ticket.id} ${d.action} by ${d.actor.name}: ${result.status} (${result.message.split('\n')[0]})`);
      }
      await app.drained(60_000);
    }
    const counts = await app.store.counts();
    const levels = await app.store.ticketLevels();
    const audit = await app.store.verifyAudit();
    const summary = [
      '',
      '== Vigie demo summary ==',
      `mentions read ${replay.read}, stored ${counts.mentions}, duplicates ${replay.duplicates}, invalid ${replay.invalid}`,
      `stories ${counts.clusters}, tickets ${counts.tickets} (${Object.entries(levels).map(([l, n]) => `${l} ${n}`).join(', ')})`,
      `deliveries ${counts.deliveries}, decisions ${counts.decisions}`,
      ...outcomes,
      `audit chain: ${audit.problems.length === 0 ? `intact (${audit.checked} decisions)` : `BROKEN (${audit.problems.length} problems)`}`,
    ];
    process.stdout.write(`${summary.join('\n')}\n`);
    if (interactive) {
      process.stdout.write('Type "help" for commands; Ctrl-D or Ctrl-C to quit.\n');
      await new Promise<void>((r) => {
        process.stdin.once('end', r);
        process.once('SIGINT', r);
      });
    }
    return counts.mentions > 0 && counts.tickets > 0 && audit.problems.length === 0 && failures === 0;
  } finally {
    await app.stop();
  }
}
