/**
 * Newline-delimited JSON onto a streaming response (watches, tails, logs), the lines produced in one turn of
 * the event loop coalesced into one write. A watch opens with a line per existing object; written one by
 * one, 10,000 triggers took 0.3 s of the server, most of it in the socket's per-write path rather than in
 * JSON.stringify (BENCHMARKS.md, "SA"). A lone change still goes out in the same turn (setImmediate).
 */
import type { Writable } from 'node:stream';

/** A write is issued once this many characters are pending, without waiting for the turn to end. */
export const LINE_CHUNK_CHARS = 64 * 1024;

export class LineWriter {
  private pending = '';
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly out: Writable) {}

  /** Queues one line; resolves when more may be queued (the output is not backed up, or has closed). */
  async add(value: unknown): Promise<void> {
    this.pending += `${JSON.stringify(value)}\n`;
    if (this.pending.length >= LINE_CHUNK_CHARS) {
      if (!this.flush()) await drained(this.out);
      return;
    }
    this.scheduled ??= setImmediate(this.flushScheduled);
    // A reader slower than the lines: the turn's flush ignores backpressure, so wait here instead, or a
    // steady trickle of changes would pile up in the response's buffer without bound.
    if (this.out.writableNeedDrain) await drained(this.out);
  }

  /** Writes what is pending now; false when the output asks the writer to wait for 'drain'. */
  flush(): boolean {
    if (this.scheduled !== undefined) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    if (this.pending === '' || this.out.destroyed) return true;
    const chunk = this.pending;
    this.pending = '';
    return this.out.write(chunk);
  }

  private readonly flushScheduled = (): void => {
    this.scheduled = undefined;
    this.flush();
  };
}

function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
