import type { IncomingMessage } from 'node:http';
import { MeshError } from '../../core/errors.js';

/**
 * Reads a request body up to `limit` bytes. A declared content-length over the limit is refused before
 * reading; a body that grows past it while streaming is refused as soon as it does.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    // Always a copy, even of a single chunk: a chunk is a view of the socket's read buffer, which also holds
    // the request's headers (and, under load, other requests). A stored event would keep all of that alive;
    // the copy is a slice of Node's shared 8 KiB pool instead. At 100,000 queued 1 KiB events the server's
    // RSS went from 306 to 288 MB (bench S5, memory backend).
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

function tooLarge(limit: number): MeshError {
  return new MeshError('MESH_BODY_TOO_LARGE', `request body is over the limit of ${limit} bytes`);
}
