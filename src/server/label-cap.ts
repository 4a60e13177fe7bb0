/**
 * Bounds the values a metric label takes from traffic (the event type): the first `cap` distinct values are
 * kept as they are, every later one, and any value longer than MAX_LENGTH, reads as OTHER. Prometheus keeps
 * one series per label tuple forever, so a producer that puts ids into types must not grow it without end.
 */
export const OTHER = '_other';
const MAX_LENGTH = 128;

export class LabelCap {
  private readonly seen = new Set<string>();

  constructor(private readonly cap: number) {}

  value(raw: string): string {
    if (this.seen.has(raw)) return raw;
    if (raw.length > MAX_LENGTH || this.seen.size >= this.cap) return OTHER;
    this.seen.add(raw);
    return raw;
  }
}
