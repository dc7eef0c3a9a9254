import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describeIssue } from '../core/zod-issues.js';
import { type Mention, mentionSchema } from './mention.js';

export interface JsonlItem {
  line: number;
  mention?: Mention;
  error?: string;
}

/** Streams a JSONL file of mentions: each line validated, a bad line reported with its number. */
export async function* readMentionsJsonl(path: string, onBytes?: (read: number, total: number) => void): AsyncGenerator<JsonlItem> {
  const total = statSync(path).size;
  const stream = createReadStream(path, { encoding: 'utf8' });
  let read = 0;
  stream.on('data', (chunk) => {
    read += Buffer.byteLength(chunk as string);
    onBytes?.(read, total);
  });
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield { line, error: `line ${line}: not valid JSON (${(err as Error).message})` };
      continue;
    }
    const r = mentionSchema.safeParse(value);
    if (r.success) yield { line, mention: r.data };
    else yield { line, error: `line ${line}: ${r.error.issues.map(describeIssue).join('; ')}` };
  }
}
