import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../adapters/db/connect.js';
import { isVigieError } from '../../src/core/errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vigie-lock-'));
  dirs.push(d);
  return d;
}

/** Opens the directory in a second Node process and reports what happened. */
function openInChild(dataDir: string): Promise<string> {
  const script = `
    import { openDatabase } from ${JSON.stringify(new URL('../../adapters/db/connect.ts', import.meta.url).pathname)};
    try { const db = await openDatabase({ dataDir: ${JSON.stringify(dataDir)} }); console.log('opened'); await db.close(); }
    catch (err) { console.log(err.code ?? 'other', err.message); }`;
  const file = join(tempDir(), 'child.mts');
  writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(out.trim()));
  });
}

it('refuses a second process on the same embedded database with a clear error', async () => {
  const dir = join(tempDir(), 'db');
  const db = await openDatabase({ dataDir: dir });
  try {
    const answer = await openInChild(dir);
    expect(answer).toMatch(/^database_locked .*in use by another Vigie process/);
  } finally {
    await db.close();
  }
  // Released on close: the next process opens it.
  expect(await openInChild(dir)).toBe('opened');
}, 60_000);

it('refuses a second open in the same process', async () => {
  const dir = join(tempDir(), 'db');
  const db = await openDatabase({ dataDir: dir });
  try {
    await expect(openDatabase({ dataDir: dir })).rejects.toSatisfy((e: unknown) => isVigieError(e, 'database_locked'));
  } finally {
    await db.close();
  }
}, 60_000);

it('takes over a lock left by a process that died', async () => {
  const dir = join(tempDir(), 'db');
  writeFileSync(`${dir}.lock`, '999999'); // no such pid
  const db = await openDatabase({ dataDir: dir });
  await db.close();
}, 60_000);
