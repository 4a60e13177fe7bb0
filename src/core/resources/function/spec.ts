/**
 * What a Function's spec means for cemesh, as pure functions: the runtimes it runs, the memory limit of a
 * `resourceConfiguration`, the replica count, and the env with `valueFrom` read from ConfigMaps.
 */

/** The runtimes cemesh runs (on the Node.js it runs on itself). Kyma's nodejs24 and python312 are not. */
export const SUPPORTED_RUNTIMES = ['nodejs20', 'nodejs22'] as const;

/** Kyma's function profiles and their memory limits (kyma-project/serverless values.yaml, limitMemory). */
export const MEMORY_PROFILES: Readonly<Record<string, number>> = {
  XS: 256,
  S: 256,
  M: 512,
  L: 1024,
  XL: 2048,
};

/** Kyma's default preset when a Function names none. */
export const DEFAULT_PROFILE = 'L';

/** Variables Kyma reserves for its runtime (the CRD's validation rule); a spec may not set them. */
export const RESERVED_ENV = [
  'FUNC_RUNTIME',
  'FUNC_HANDLER',
  'FUNC_PORT',
  'FUNC_HANDLER_SOURCE',
  'FUNC_HANDLER_DEPENDENCIES',
  'MOD_NAME',
  'NODE_PATH',
  'PYTHONPATH',
];

export interface FunctionEnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly configMapKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
  };
}

export interface FunctionSpec {
  readonly runtime: string;
  readonly source: { readonly inline: { readonly source: string; readonly dependencies?: string } };
  readonly env?: readonly FunctionEnvVar[];
  readonly replicas?: number;
  readonly scaleConfig?: { readonly minReplicas?: number; readonly maxReplicas?: number };
  readonly resourceConfiguration?: {
    readonly function?: { readonly profile?: string; readonly resources?: ResourceRequirements };
  };
  readonly labels?: Readonly<Record<string, string>>;
}

export interface ResourceRequirements {
  readonly limits?: Readonly<Record<string, string | number>>;
  readonly requests?: Readonly<Record<string, string | number>>;
}

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const FACTORS: Readonly<Record<string, number>> = {
  '': 1,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** A Kubernetes memory quantity (`512Mi`, `1G`, `268435456`) in MiB, or undefined when it is not one. */
export function memoryQuantityMb(quantity: string | number): number | undefined {
  const match = QUANTITY.exec(String(quantity));
  if (!match) return undefined;
  return (Number(match[1]) * FACTORS[match[2] ?? '']!) / 1024 ** 2;
}

/** The memory limit in MiB: the profile's, else `resources.limits.memory`, else `requests.memory`, else L's. */
export function memoryLimitMb(spec: FunctionSpec): number {
  const fn = spec.resourceConfiguration?.function;
  if (fn?.profile !== undefined) return MEMORY_PROFILES[fn.profile] ?? MEMORY_PROFILES[DEFAULT_PROFILE]!;
  const quantity = fn?.resources?.limits?.['memory'] ?? fn?.resources?.requests?.['memory'];
  const mb = quantity === undefined ? undefined : memoryQuantityMb(quantity);
  return Math.round(mb ?? MEMORY_PROFILES[DEFAULT_PROFILE]!);
}

/** The profile shown in status: the one named, `custom` for explicit resources, else the default. */
export function profileOf(spec: FunctionSpec): string {
  const fn = spec.resourceConfiguration?.function;
  return fn?.profile ?? (fn?.resources ? 'custom' : DEFAULT_PROFILE);
}

/** `spec.replicas`, else `scaleConfig.minReplicas` (cemesh does not autoscale), else 1 as Kyma defaults. */
export function replicasOf(spec: FunctionSpec): number {
  return spec.replicas ?? spec.scaleConfig?.minReplicas ?? 1;
}

export type EnvResolution =
  { readonly env: Readonly<Record<string, string>> } | { readonly reason: string; readonly message: string };

/** Resolves `spec.env`; a missing ConfigMap or key fails unless the reference is optional (as in Kubernetes). */
export function resolveEnv(
  spec: FunctionSpec,
  configMap: (name: string) => Readonly<Record<string, string>> | undefined,
): EnvResolution {
  const env: Record<string, string> = {};
  for (const variable of spec.env ?? []) {
    const ref = variable.valueFrom?.configMapKeyRef;
    if (ref === undefined) {
      env[variable.name] = variable.value ?? '';
      continue;
    }
    const data = configMap(ref.name);
    const value = data?.[ref.key];
    if (value !== undefined) env[variable.name] = value;
    else if (ref.optional !== true) {
      return {
        reason: 'ConfigMapKeyNotFound',
        message:
          data === undefined
            ? `env ${variable.name}: ConfigMap "${ref.name}" does not exist`
            : `env ${variable.name}: ConfigMap "${ref.name}" has no key "${ref.key}"`,
      };
    }
  }
  return { env };
}
