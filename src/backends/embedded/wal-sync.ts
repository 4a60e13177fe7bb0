/**
 * Makes committed WAL frames durable without blocking the event loop.
 *
 * The database runs with `synchronous=NORMAL`: COMMIT writes the transaction's frames to the WAL with
 * write(2) and returns without fsync. SQLite still syncs the WAL before every checkpoint and the database file
 * after it, so the file is always consistent; what NORMAL alone gives up is the durability of the latest
 * commits on power loss. `sync()` closes that window: an fdatasync(2) of the WAL file in libuv's thread pool
 * flushes every frame written before it started, so a caller that committed and then awaits `sync()` holds a
 * durable commit, exactly what `synchronous=FULL` gave, but the wait is off the event loop and one fdatasync
 * covers every commit made while the previous one ran (docs/decisions/embedded-async-fsync.md).
 */
import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';

export interface WalSyncStats {
  readonly ms: number;
}

export class WalSync {
  private fd: number | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  /**
   * @param walPath the database's `-wal` file; it exists once the first transaction committed.
   * @param onSync observes every fdatasync (how long it took).
   */
  constructor(
    private readonly walPath: string,
    private readonly onSync?: (stats: WalSyncStats) => void,
  ) {}

  /** Resolves once every WAL frame written before this call is on disk. */
  sync(): Promise<void> {
    if (this.running === undefined) {
      this.running = this.flush();
      return this.running;
    }
    // The running fdatasync may have started before the caller's commit: wait for it, then one more that
    // covers every caller queued meanwhile.
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        this.running = this.flush();
        return this.running;
      });
    return this.queued;
  }

  /** The same guarantee, blocking: for the rare synchronous writers (resources) and for close. */
  syncNow(): void {
    const started = performance.now();
    fdatasyncSync(this.open());
    this.onSync?.({ ms: performance.now() - started });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private flush(): Promise<void> {
    const started = performance.now();
    return new Promise<void>((resolve, reject) => {
      let fd: number;
      try {
        fd = this.open();
      } catch (error) {
        reject(error as Error);
        return;
      }
      fdatasync(fd, (error) => {
        this.onSync?.({ ms: performance.now() - started });
        if (error) reject(error);
        else resolve();
      });
    }).finally(() => {
      this.running = undefined;
    });
  }

  private open(): number {
    // Read-only is enough: fdatasync flushes the file's dirty pages whichever descriptor asks.
    this.fd ??= openSync(this.walPath, 'r');
    return this.fd;
  }
}
