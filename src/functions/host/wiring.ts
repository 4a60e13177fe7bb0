/** What the reconciler asks the function host to run: a Function's spec, resolved (env values read). */
export interface FunctionWiring {
  readonly namespace: string;
  readonly name: string;
  /** `nodejs20` or `nodejs22`; shown to the function as `context.runtime` and FUNC_RUNTIME. */
  readonly runtime: string;
  readonly source: string;
  /** The package.json text of `spec.source.inline.dependencies`, or undefined. */
  readonly dependencies: string | undefined;
  /** `spec.env` with every `valueFrom` resolved. */
  readonly env: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly memoryMb: number;
}

/** The state the host reports for a Function's BuildReady and Running conditions. */
export interface FunctionCondition {
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message?: string;
}

export interface FunctionState {
  readonly build: FunctionCondition;
  readonly running: FunctionCondition;
  /** Replicas currently serving. */
  readonly readyReplicas: number;
}
