/**
 * `apply` (the client's single-object apply and the API's apply List): create an object, or replace it when it
 * differs from what is stored. "Differs" compares what the
 * user writes (spec, or data for a ConfigMap; labels; annotations) after the same defaults the server
 * applies, so re-applying an unchanged manifest reports `unchanged` even where the server fills defaults.
 */
import { isDeepStrictEqual } from 'node:util';
import { defaultResource, specOf } from './defaulting.js';
import type { Resource } from './object.js';

export type ApplyResult = 'created' | 'configured' | 'unchanged';

/** True when storing `given` over `stored` would change nothing the user wrote. */
export function sameUserContent(given: Resource, stored: Resource): boolean {
  let defaulted: Resource;
  try {
    defaulted = defaultResource(given);
    // Both in the storage version: `stored` was read in the version `given` names.
    stored = defaultResource(stored);
  } catch {
    // An object the defaults cannot read is invalid; the server will say why.
    return false;
  }
  return (
    isDeepStrictEqual(specOf(defaulted) ?? {}, specOf(stored) ?? {}) &&
    isDeepStrictEqual(defaulted.metadata.labels ?? {}, stored.metadata.labels ?? {}) &&
    isDeepStrictEqual(defaulted.metadata.annotations ?? {}, stored.metadata.annotations ?? {})
  );
}

/** What `apply` writes for `given`, once what is stored is known (undefined: nothing): the single decision. */
export async function applyOver(
  given: Resource,
  stored: Resource | undefined,
  write: {
    readonly create: (object: Resource) => Promise<unknown>;
    readonly replace: (object: Resource) => Promise<unknown>;
  },
): Promise<ApplyResult> {
  if (stored === undefined) {
    await write.create(given);
    return 'created';
  }
  if (sameUserContent(given, stored)) return 'unchanged';
  // No resourceVersion unless the manifest names one: apply means "make it so", and the server retries
  // around concurrent status writes by reconcilers.
  await write.replace(given);
  return 'configured';
}
