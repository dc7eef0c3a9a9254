import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, VigieError } from '../../src/core/errors.js';

/**
 * PGlite has no lock of its own: two processes opening one data directory silently lose writes.
 * We hold `<dir>.lock` (our pid) for as long as the database is open and refuse a second opener.
 * A lock left by a killed process (its pid no longer alive) is taken over.
 */
export interface DirectoryLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDirectory(dir: string): DirectoryLock {
  const lockPath = `${dir}.lock`;
  mkdirSync(join(dir, '..'), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        release() {
          try {
            if (readFileSync(lockPath, 'utf8') === String(process.pid)) rmSync(lockPath);
          } catch {
            // already gone: nothing to release
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(readFileSafe(lockPath), 10);
      if (Number.isFinite(owner) && owner !== process.pid && alive(owner)) {
        throw new VigieError(
          ErrorCode.DatabaseLocked,
          `the embedded database ${dir} is in use by another Vigie process (pid ${owner}). ` +
            'Stop it first, or set DATABASE_URL to share a Postgres server between processes.',
        );
      }
      if (owner === process.pid) {
        throw new VigieError(ErrorCode.DatabaseLocked, `the embedded database ${dir} is already open in this process`);
      }
      // Stale lock from a process that died: move it aside atomically, then retry the exclusive create.
      try {
        renameSync(lockPath, `${lockPath}.stale-${process.pid}`);
        rmSync(`${lockPath}.stale-${process.pid}`, { force: true });
      } catch {
        // someone else took it over first; the next attempt will tell
      }
    }
  }
  throw new VigieError(ErrorCode.DatabaseLocked, `could not lock the embedded database ${dir}`);
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
