/**
 * What the gateway counts, per application. The server implements it with prom-client; tests with plain
 * counters. The application label is "" when the name in the path is not a known application, so requests
 * with made-up names cannot grow the label set without bound.
 */
export interface GatewayMetrics {
  /** An event was stored in the `default` broker of at least one bound namespace. */
  accepted(application: string): void;
  /**
   * A request that stored nothing: `reason` is the error code in lower case without `MESH_` (e.g.
   * `unauthorized`, `legacy_event_invalid`, `backend_unavailable`), or `no_namespace` for an event that was
   * answered with success but reached no namespace because none is bound.
   */
  rejected(application: string, reason: string): void;
}

export const noGatewayMetrics: GatewayMetrics = {
  accepted() {},
  rejected() {},
};
