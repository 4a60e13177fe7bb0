/**
 * Which stream (shard) of a sharded broker an event goes to (docs/decisions/sharded-brokers.md): a stable
 * hash of its `partitionkey`, so every event of a key lands in one stream, in the order it was accepted;
 * round-robin for events without a key, which are ordered with nothing.
 */

/** 32-bit FNV-1a over the key's UTF-8 bytes: stable across processes, versions and platforms. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Picks the shard of each event: by key when it has one, else the next in turn. */
export class ShardPicker {
  private turn = 0;

  constructor(readonly count: number) {}

  pick(partitionKey: string | undefined): number {
    if (this.count === 1) return 0;
    if (partitionKey === undefined) {
      this.turn = (this.turn + 1) % this.count;
      return this.turn;
    }
    return fnv1a(partitionKey) % this.count;
  }
}
