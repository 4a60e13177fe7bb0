/**
 * What the control-plane API asks of the running data plane. The data plane implements it and the server
 * wires it into `createApiHandler`; the API answers 404 for any route whose method is absent.
 */
/** `?filter=CESQL` keeps the matching events; `?outcomes=true` adds `DeliveryOutcome` lines. */
export interface TailQuery {
  readonly filter?: string;
  readonly outcomes?: boolean;
}

export interface RuntimeQueries {
  /** Live events entering a broker (structured JSON objects), until signal aborts. Throws MeshError MESH_BROKER_NOT_FOUND. */
  tail(
    ref: { namespace: string; name: string },
    signal: AbortSignal,
    options?: TailQuery,
  ): AsyncIterable<Record<string, unknown>>;
  /** Delivery history records (JSON objects), newest first. */
  deliveries(query: {
    namespace: string;
    broker?: string;
    trigger?: string;
    source?: string;
    id?: string;
    /** A delivery outcome, or `failed` for dead-lettered and undeliverable. */
    outcome?: 'pending' | 'delivered' | 'dead-lettered' | 'undeliverable' | 'failed';
    limit?: number;
  }): Promise<unknown[]>;
  /** A broker's delivery statistics over the last `windowSeconds` (a JSON object). */
  stats?(ref: { namespace: string; name: string }, windowSeconds: number): Promise<unknown>;
  /** Delivers one retained event to a trigger's subscriber again; resolves with the count (0 or 1). */
  redeliver?(
    ref: { namespace: string; name: string },
    event: { source: string; id: string },
  ): Promise<number>;
  /** Re-deliver retained events since a time to a trigger; resolves with the count. */
  replay?(ref: { namespace: string; name: string }, since: Date): Promise<number>;
  /** Issue a new token for an application, revoking the previous one. */
  issueApplicationToken?(name: string): Promise<string>;
  /**
   * The recent output lines of a hosted function's replicas (`{time, replica, stream, text, eventId?}`),
   * oldest first; with `follow`, then every new line until the signal aborts. Undefined when no replica of
   * that function ran in this process.
   */
  functionLogs?(
    ref: { namespace: string; name: string },
    options: { limit: number; follow: boolean; signal: AbortSignal },
  ): Record<string, unknown>[] | AsyncIterable<Record<string, unknown>> | undefined;
}
