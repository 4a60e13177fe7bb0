/** API object shapes the console reads. No imports: pure modules and their tests use them too. */
export interface Resource {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
}

export interface AttemptRecord {
  readonly at: string;
  readonly attempt: number;
  readonly target: 'subscriber' | 'dead-letter';
  readonly uri: string;
  readonly status?: number;
  readonly error?: string;
  readonly durationMs: number;
}

export type Outcome = 'pending' | 'delivered' | 'dead-lettered' | 'undeliverable';

/** One event of the delivery history (docs/api.md, "Runtime routes"). */
export interface DeliveryRecord {
  readonly namespace: string;
  readonly broker: string;
  readonly source: string;
  readonly id: string;
  readonly type: string;
  readonly acceptedAt: string;
  readonly filtered: boolean;
  readonly triggers: Record<string, { trigger: string; outcome: Outcome; attempts: AttemptRecord[] }>;
}

export interface TriggerStats {
  readonly matched: number;
  readonly delivered: number;
  readonly failed: number;
  readonly pending: number;
  readonly deliveredPerSecond: number;
  readonly successRate: number | null;
  readonly latencyMs: { readonly p50: number; readonly p95: number } | null;
  readonly lastError: { at: string; source: string; id: string; result: string } | null;
}

export interface BrokerStats {
  readonly broker: string;
  readonly windowSeconds: number;
  readonly accepted: number;
  readonly acceptedPerSecond: number;
  readonly sources: Readonly<Record<string, number>>;
  readonly backlog: number;
  readonly failed: number;
  readonly triggers: Readonly<Record<string, TriggerStats>>;
}
