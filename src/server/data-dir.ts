/**
 * The data folder is owned by one process. Two servers on one folder would each load the same pending
 * deliveries and deliver them twice, and each would compact what the other still needs; so the second one
 * refuses to start and names the first one's pid.
 *
 * The lock is a kernel lock (SQLite's POSIX advisory lock on `<dataDir>/cemesh.lock`, held in exclusive
 * locking mode for the life of the connection): it is released by the kernel when the holder dies, even by
 * SIGKILL, so a crash never leaves a stale lock behind. The pid is written beside it for the message only.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MeshError } from '../core/errors.js';

export const LOCK_FILE = 'cemesh.lock';
export const PID_FILE = 'cemesh.pid';

export interface DataDirLock {
  release(): void;
}

/** Creates the folder (0700, tightened if it exists), then takes the lock or throws naming the holder. */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The folder holds the admin token and every event: nobody but the owner reads it.
  chmodSync(dataDir, 0o700);
  const lockPath = join(dataDir, LOCK_FILE);
  const pidPath = join(dataDir, PID_FILE);
  const db = new Database(lockPath, { timeout: 0 });
  try {
    chmodSync(lockPath, 0o600);
    db.pragma('journal_mode = DELETE');
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; in EXCLUSIVE locking mode it is kept until close.
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder;');
    db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new MeshError(
      'MESH_DATA_DIR_LOCKED',
      `the data folder ${dataDir} is in use by another cemesh process (pid ${holderPid(pidPath)}); ` +
        'stop it first, or give this one another --data-dir',
    );
  }
  writeFileSync(pidPath, `${process.pid}\n`, { mode: 0o600 });
  chmodSync(pidPath, 0o600);
  return { release: () => db.close() };
}

function holderPid(pidPath: string): string {
  try {
    return readFileSync(pidPath, 'utf8').trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}
