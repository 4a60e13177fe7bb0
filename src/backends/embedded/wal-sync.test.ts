import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalSync, type WalSyncStats } from './wal-sync.js';

function withWal(fn: (path: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cemesh-wal-'));
    const path = join(dir, 'cemesh.db-wal');
    writeFileSync(path, 'frames');
    try {
      await fn(path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'callers arriving while an fdatasync runs share one more, which starts after theirs were written',
  withWal(async (path) => {
    const syncs: WalSyncStats[] = [];
    const wal = new WalSync(path, (stats) => syncs.push(stats));
    const order: string[] = [];
    const first = wal.sync().then(() => order.push('first'));
    const later = Array.from({ length: 5 }, (_, i) => wal.sync().then(() => order.push(`later${i}`)));
    await Promise.all([first, ...later]);
    assert.equal(syncs.length, 2, 'one for the first caller, one shared by the five that came during it');
    assert.equal(order[0], 'first');
    await wal.sync();
    assert.equal(syncs.length, 3, 'a caller after both finished gets a new one');
    wal.close();
  }),
);

test(
  'a WAL that cannot be opened rejects the caller instead of acknowledging',
  withWal(async (path) => {
    const wal = new WalSync(`${path}.missing`);
    await assert.rejects(wal.sync(), /ENOENT/);
    assert.throws(() => wal.syncNow(), /ENOENT/);
    wal.close();
  }),
);
