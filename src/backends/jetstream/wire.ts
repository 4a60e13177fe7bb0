/**
 * NATS protocol frames (`PUB` and `HPUB`) for many messages at once: what the outbox hands the connection
 * for one flush, written into one buffer.
 *
 * The client's own `publish` encodes each message's protocol line with a TextEncoder, a string payload with
 * another, and copies every part once more when it writes them out. On the JetStream delivery path (four
 * messages an event) that was about 10 us an event of the mesh's CPU (BENCHMARKS.md, "Performance round 2,
 * thirteenth session"). Written here, each part is copied once, straight into the frame.
 *
 * The protocol: `PUB <subject> [reply] <#bytes>\r\n<payload>\r\n`, and with headers
 * `HPUB <subject> [reply] <#header bytes> <#total bytes>\r\n<headers><payload>\r\n`.
 */

/**
 * Room a frame starts with: the last frame's size, within these bounds; a frame grows past it as needed.
 */
const MIN_CAPACITY = 4 * 1024;
const MAX_START_CAPACITY = 256 * 1024;
const CR = 13;
const LF = 10;

export class FrameWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(capacity = MIN_CAPACITY) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Bytes written since the last `take`. */
  get size(): number {
    return this.length;
  }

  /**
   * Appends one message. Returns false, appending nothing, when its headers and payload together exceed
   * `maxPayload` (the server would close the connection over it).
   */
  add(
    subject: string,
    reply: string | undefined,
    headers: Uint8Array | undefined,
    payload: Uint8Array | string,
    maxPayload: number,
  ): boolean {
    const payloadLength = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    const headerLength = headers?.length ?? 0;
    const total = headerLength + payloadLength;
    if (total > maxPayload) return false;
    const to = reply === undefined || reply === '' ? '' : ` ${reply}`;
    const line =
      headers === undefined
        ? `PUB ${subject}${to} ${payloadLength}\r\n`
        : `HPUB ${subject}${to} ${headerLength} ${total}\r\n`;
    // A UTF-16 unit is at most three bytes of UTF-8.
    this.reserve(line.length * 3 + total + 2);
    const buffer = this.buffer;
    let at = this.length;
    at += buffer.write(line, at);
    if (headers !== undefined) {
      buffer.set(headers, at);
      at += headerLength;
    }
    if (typeof payload === 'string') {
      at += buffer.write(payload, at);
    } else {
      buffer.set(payload, at);
      at += payloadLength;
    }
    buffer[at++] = CR;
    buffer[at++] = LF;
    this.length = at;
    return true;
  }

  /**
   * The frame written so far; the writer starts a new buffer, since the socket may still hold this one
   * after the call.
   */
  take(): Uint8Array {
    const frame = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(Math.min(MAX_START_CAPACITY, Math.max(MIN_CAPACITY, this.length)));
    this.length = 0;
    return frame;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
