/** What the host and a function replica say to each other: the replica's start arguments and its messages. */

/** Given to the replica as its one argument (JSON), so its environment holds only what the spec gives. */
export interface ChildConfig {
  readonly handlerPath: string;
  readonly name: string;
  readonly namespace: string;
  readonly runtime: string;
  /** Where `event.emitCloudEvent` publishes: the ingress URL of the namespace's `default` broker. */
  readonly publishUrl: string;
  /** The Authorization header value it publishes with (the function's sender identity), if any. */
  readonly publishAuthorization?: string;
}

export type ChildMessage =
  | { readonly t: 'ready'; readonly port: number }
  | { readonly t: 'load-error'; readonly message: string }
  | { readonly t: 'beat' }
  | {
      readonly t: 'log';
      readonly stream: 'stdout' | 'stderr';
      readonly text: string;
      readonly id?: string;
    };
