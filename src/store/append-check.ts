/**
 * Checks an append batch before any of it is stored, so that a malformed item rejects the whole batch
 * (append is all or nothing) instead of failing half-way through it.
 */
import { MeshError } from '../core/errors.js';
import type { AppendItem } from './contracts.js';

export function checkAppendBatch(batch: readonly AppendItem[]): void {
  if (!Array.isArray(batch)) throw malformed('the batch is not an array');
  batch.forEach((item: AppendItem | undefined, i) => {
    const attributes: unknown = item?.event?.attributes;
    if (attributes === null || typeof attributes !== 'object')
      throw malformed(`item ${i} has no event attributes`);
    const data: unknown = item?.event.data;
    if (data !== undefined && !(data instanceof Uint8Array))
      throw malformed(`item ${i} has data that is not bytes`);
    const queues: unknown = item?.queues;
    if (!Array.isArray(queues) || !queues.every((q) => typeof q === 'string')) {
      throw malformed(`item ${i} has queues that are not a list of queue ids`);
    }
  });
}

function malformed(reason: string): MeshError {
  // A malformed item is a bug in the caller (ingress builds these), hence an internal error.
  return new MeshError('MESH_INTERNAL', `append rejected: ${reason}`);
}
