import type { Mention } from '../mentions/mention.js';
import { readMentionsJsonl } from '../mentions/jsonl.js';

export interface ReplayOptions {
  /** Simulated-time factor: 1 is real time, 600 plays an hour in six seconds; Infinity as fast as possible. */
  speed: number;
  batchSize?: number;
  onProgress?: (read: number, total: number, stored: number) => void;
  onInvalid?: (error: string) => void;
  /** Wait function (injected so tests need not sleep). */
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

export interface ReplayResult {
  read: number;
  accepted: number;
  duplicates: number;
  invalid: number;
}


/**
 * Replays a JSONL file through `ingest`, keeping the gaps between `createdAt`s divided by `speed`,
 * in batches so a fast replay still benefits from batched writes.
 */
export async function replayJsonl(
  path: string,
  ingest: (batch: readonly Mention[]) => Promise<{ accepted: number; duplicates: number }>,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const sleep =
    options.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        const onAbort = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        options.signal?.addEventListener('abort', onAbort, { once: true });
      }));
  const batchSize = options.batchSize ?? 500;
  const result: ReplayResult = { read: 0, accepted: 0, duplicates: 0, invalid: 0 };
  let batch: Mention[] = [];
  let firstAt: number | null = null;
  const startedAt = Date.now();
  let bytes = { read: 0, total: 0 };

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const r = await ingest(batch);
    result.accepted += r.accepted;
    result.duplicates += r.duplicates;
    batch = [];
    options.onProgress?.(bytes.read, bytes.total, result.accepted + result.duplicates);
  }

  for await (const item of readMentionsJsonl(path, (read, total) => {
    bytes = { read, total };
  })) {
    if (options.signal?.aborted) break;
    if (!item.mention) {
      result.invalid++;
      options.onInvalid?.(item.error ?? `line ${item.line}: invalid`);
      continue;
    }
    result.read++;
    if (Number.isFinite(options.speed)) {
      const at = Date.parse(item.mention.createdAt);
      firstAt ??= at;
      const dueMs = (at - firstAt) / options.speed;
      const waitMs = dueMs - (Date.now() - startedAt);
      if (waitMs > 5) {
        await flush();
        await sleep(Math.min(waitMs, 60_000));
      }
    }
    batch.push(item.mention);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return result;
}
