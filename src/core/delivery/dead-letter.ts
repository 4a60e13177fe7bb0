/**
 * The extensions a dead-lettered event carries (ARCHITECTURE 3, "Dead letters", after Knative's
 * dispatcher): where it was going, the last status, and the start of the last response body.
 */
import type { AttemptResult } from './classify.js';

/** Knative sends at most this much of the subscriber's response body in `knativeerrordata`. */
const ERROR_DATA_BYTES = 1024;

export interface DeadLetterExtensions {
  knativeerrordest: string;
  knativeerrorcode?: string;
  knativeerrordata?: string;
}

/**
 * `knativeerrorcode` only when the last attempt got an HTTP response (a network error or timeout has no
 * status); `knativeerrordata` only when that response had a body: base64 of its first 1024 bytes, so any
 * bytes survive as a CloudEvents String attribute.
 */
export function deadLetterExtensions(
  subscriberUri: string,
  result: AttemptResult,
  responseBody: Uint8Array | undefined,
): DeadLetterExtensions {
  const extensions: DeadLetterExtensions = { knativeerrordest: subscriberUri };
  if (result.kind === 'response') {
    extensions.knativeerrorcode = String(result.status);
    if (responseBody !== undefined && responseBody.length > 0) {
      extensions.knativeerrordata = base64(responseBody.subarray(0, ERROR_DATA_BYTES));
    }
  }
  return extensions;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
