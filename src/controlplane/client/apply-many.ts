/**
 * `apply` of a whole manifest: what `apply` does for one object, with fewer round trips. Objects are taken in
 * runs of consecutive objects of one kind, version and namespace; a run of several is read with one LIST
 * instead of a GET per object, and its writes go out several at a time. A run never starts before the one
 * before it has ended, so a Namespace still exists before the objects that follow it in the manifest, and
 * a run ends before a name it already holds, so one object is never written twice at once. Results are
 * reported in manifest order.
 */
import type { Resource } from '../../core/resources/object.js';
import { applyOver, type ApplyResult } from '../../core/resources/apply-decision.js';
import { isClientError } from './errors.js';

export interface ApplyOperations {
  /** The stored objects of the object's kind and namespace, by name, read in the object's version. */
  list(sample: Resource): Promise<Map<string, Resource>>;
  /** One object alone: create, or replace when it differs (the single-object apply). */
  applyOne(object: Resource): Promise<ApplyResult>;
  create(object: Resource): Promise<unknown>;
  replace(object: Resource): Promise<unknown>;
}

export type ApplyOutcome =
  | { readonly object: Resource; readonly result: ApplyResult }
  | { readonly object: Resource; readonly error: unknown };

export interface ApplyManyOptions {
  /** Writes in flight at once within a run (default 8). */
  readonly concurrency?: number;
  /** Runs this long or longer are read with one LIST (default 4). */
  readonly listFrom?: number;
}

/** Applies `objects` in order; `report` gets each outcome in manifest order. Never throws for one object. */
export async function applyMany(
  objects: readonly Resource[],
  ops: ApplyOperations,
  report: (outcome: ApplyOutcome) => void,
  options: ApplyManyOptions = {},
): Promise<void> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const listFrom = Math.max(1, options.listFrom ?? 4);
  for (const run of runsOf(objects)) {
    const stored = run.length >= listFrom ? await ops.list(run[0]!).catch(() => undefined) : undefined;
    const applyOne = (object: Resource): Promise<ApplyResult> =>
      stored === undefined ? ops.applyOne(object) : applyKnown(object, stored.get(nameOf(object)), ops);
    await inOrder(run, concurrency, applyOne, report);
  }
}

/** Apply when what is stored is already known (from the LIST). */
async function applyKnown(
  object: Resource,
  stored: Resource | undefined,
  ops: ApplyOperations,
): Promise<ApplyResult> {
  try {
    return await applyOver(object, stored, ops);
  } catch (error) {
    // Created by someone else since the LIST: decide again from what is stored now.
    if (stored === undefined && isClientError(error) && error.code === 409) return ops.applyOne(object);
    throw error;
  }
}

/** Runs `work` over `items` with at most `limit` at once; reports outcomes in item order as they complete. */
async function inOrder(
  items: readonly Resource[],
  limit: number,
  work: (object: Resource) => Promise<ApplyResult>,
  report: (outcome: ApplyOutcome) => void,
): Promise<void> {
  const outcomes: (ApplyOutcome | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  let reported = 0;
  const flush = (): void => {
    for (let o = outcomes[reported]; o !== undefined; o = outcomes[reported]) {
      outcomes[reported++] = undefined;
      report(o);
    }
  };
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const object = items[index]!;
      try {
        outcomes[index] = { object, result: await work(object) };
      } catch (error) {
        outcomes[index] = { object, error };
      }
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Consecutive objects of one apiVersion, kind and namespace, split before a repeated name. */
function runsOf(objects: readonly Resource[]): Resource[][] {
  const runs: Resource[][] = [];
  let run: Resource[] = [];
  let names = new Set<string>();
  let key: string | undefined;
  for (const object of objects) {
    const objectKey = `${String(object.apiVersion)}\0${String(object.kind)}\0${object.metadata?.namespace ?? ''}`;
    const name = nameOf(object);
    if (run.length > 0 && (objectKey !== key || names.has(name))) {
      runs.push(run);
      run = [];
      names = new Set();
    }
    key = objectKey;
    run.push(object);
    names.add(name);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function nameOf(object: Resource): string {
  return String(object.metadata?.name ?? '');
}
