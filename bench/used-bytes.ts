// What reading the embedded store's bytes in use costs per commit: three `db.pragma` calls (each prepares a
// statement) against the one statement `usedBytesReader` prepares once. Same run, alternating.
// Standalone: node --import tsx bench/used-bytes.ts [calls]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { usedBytesReader } from '../src/backends/embedded/database.js';

const calls = Number(process.argv[2] ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), 'cemesh-used-bytes-'));
const db = new Database(join(dir, 'bench.db'));
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE t (x BLOB)');
db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(1024));

const threePragmas = (): number => {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  return (pages - free) * pageSize;
};
const prepared = usedBytesReader(db);
if (threePragmas() !== prepared()) throw new Error('the two reads disagree');

for (let round = 1; round <= 3; round++) {
  for (const [name, read] of [
    ['three pragmas', threePragmas],
    ['one prepared statement', prepared],
  ] as const) {
    const started = performance.now();
    for (let i = 0; i < calls; i++) read();
    console.log(
      `round ${round}: ${name} ${(((performance.now() - started) * 1000) / calls).toFixed(1)} us a read`,
    );
  }
}
db.close();
rmSync(dir, { recursive: true, force: true });
