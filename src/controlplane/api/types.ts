/** The parsed request the API core handles and the result the listener writes (STYLE.md 9: thin edges). */
import type { FieldError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/object.js';
import type { ResourceStore } from '../../store/contracts.js';
import type { Representation } from './media.js';
import type { Route } from './router.js';

export interface ApiRequest {
  readonly method: string;
  readonly route: Route;
  readonly query: URLSearchParams;
  /** The Content-Type header, lowercased, without parameters. */
  readonly contentType: string;
  /** The body, read by the listener for POST, PUT and PATCH. */
  readonly body: Buffer | undefined;
  /** What a GET answers with, from the Accept header: the objects, or a Table of them (`kubectl get`). */
  readonly representation: Representation;
  /** Aborted when the client goes away (ends watches and tails). */
  readonly signal: AbortSignal;
}

export type ApiResult =
  /** `warnings` become `Warning` headers (unknown fields dropped under `?fieldValidation=Warn`). */
  | {
      readonly status: number;
      readonly body: unknown;
      readonly warnings?: readonly string[];
      /** Internal errors the body reports as items' 500s without detail (an apply List's): for the log. */
      readonly failures?: readonly unknown[];
    }
  /** A stream of JSON values written one per line (NDJSON) until it ends or the client leaves. */
  | { readonly status: 200; readonly lines: AsyncIterable<unknown> };

export interface CoreDeps {
  readonly store: ResourceStore;
  readonly now: () => Date;
  /** Checks beyond the kind's own validation that need the server (the outbound guard): field errors. */
  readonly admissionChecks?: AdmissionChecks;
}

export type AdmissionChecks = (object: Resource) => FieldError[];
