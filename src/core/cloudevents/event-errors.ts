import { MeshError } from '../errors.js';
import { SPEC_VERSION } from './model.js';

/** A MESH_EVENT_INVALID error whose message names the attribute and the rule, e.g. `attribute 'id': ...`. */
export function invalidAttribute(attribute: string, rule: string, text: string): MeshError {
  return new MeshError('MESH_EVENT_INVALID', `attribute '${attribute}': ${text}`, { attribute, rule });
}

export function unsupportedSpecVersion(version: string): MeshError {
  return new MeshError(
    'MESH_SPECVERSION_UNSUPPORTED',
    `attribute 'specversion': the event uses CloudEvents version '${version}', but only version ${SPEC_VERSION} is supported`,
    { attribute: 'specversion', rule: 'specversion' },
  );
}

export function malformedBody(text: string): MeshError {
  return new MeshError('MESH_BODY_MALFORMED', text);
}

/** Prefixes an error about one event of a batch with its index; the code and details stay the same. */
export function inBatch(index: number, error: unknown): unknown {
  if (!(error instanceof MeshError)) return error;
  return new MeshError(error.code, `event [${index}] of the batch: ${error.message}`, error.details, {
    cause: error,
  });
}
