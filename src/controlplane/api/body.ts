/** Reading and parsing request bodies: a size limit enforced while reading, JSON errors with a position. */
import type { IncomingMessage } from 'node:http';
import { MeshError } from '../../core/errors.js';
import { findJsonSyntaxError } from './json-error.js';

/** Request bodies over this many bytes are refused with 413. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Reads the whole body, failing with MESH_BODY_TOO_LARGE as soon as it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): MeshError {
  return new MeshError('MESH_BODY_TOO_LARGE', `the request body is larger than ${limit} bytes`);
}

/** Parses JSON text; a syntax error becomes MESH_REQUEST_INVALID naming the position, line and column. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const found = findJsonSyntaxError(text);
    const where = found
      ? `at position ${found.position} (line ${found.line}, column ${found.column}): ${found.message}`
      : `(nesting too deep)`;
    throw new MeshError('MESH_REQUEST_INVALID', `the request body is not valid JSON ${where}`);
  }
}

/** Parses a JSON body that must be an object (a resource, a patch, an action's arguments). */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new MeshError('MESH_REQUEST_INVALID', 'the request body is empty');
  const value = parseJson(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MeshError('MESH_REQUEST_INVALID', 'the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
