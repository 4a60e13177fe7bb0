// Helpers shared by the store conformance suites.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../../src/core/cloudevents/model.js';
import { isMeshError, type ErrorCode } from '../../src/core/errors.js';
import type { DeliveryQueue, Lease } from '../../src/store/contracts.js';

export function event(id: string, type = 'com.example.test', data?: string): CloudEvent {
  const attributes = { specversion: '1.0', id, source: '/conformance', type };
  return data === undefined ? { attributes } : { attributes, data: new TextEncoder().encode(data) };
}

export function idsOf(leases: readonly Lease[]): string[] {
  return leases.map((l) => String(l.event.attributes['id']));
}

/** Leases up to `max`, giving up (and resolving with what `lease` resolves on abort) after `waitMs`. */
export async function leaseWithin(
  queue: DeliveryQueue,
  waitMs: number,
  max = 100,
  leaseMs = 30_000,
): Promise<Lease[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), waitMs);
  try {
    return await queue.lease({ max, leaseMs, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

/** Leases until `count` leases were collected (each lease call waiting at most `waitMs`). */
export async function leaseAll(queue: DeliveryQueue, count: number, waitMs = 2_000): Promise<Lease[]> {
  const all: Lease[] = [];
  while (all.length < count) {
    const got = await leaseWithin(queue, waitMs, count - all.length);
    if (got.length === 0) break;
    all.push(...got);
  }
  return all;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'cemesh-store-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function rejectsWithCode(promise: Promise<unknown> | (() => Promise<unknown>), code: ErrorCode) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isMeshError(error), `expected a MeshError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

/**
 * Opens a store in a fresh directory, runs `fn` with it and a `reopen` that closes and opens it again on the
 * same directory (the durable cases), then closes whatever is open.
 */
export async function withReopenable<T extends { close(): Promise<void> }>(
  open: (dir: string) => Promise<T>,
  fn: (store: T, reopen: () => Promise<T>) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    let current = await open(dir);
    const reopen = async (): Promise<T> => {
      await current.close();
      current = await open(dir);
      return current;
    };
    try {
      await fn(current, reopen);
    } finally {
      await current.close();
    }
  });
}
