/** The kinds cemesh serves, with the names the API paths and the CLI use. */
export interface KindInfo {
  readonly kind: string;
  /** '' for the core group (`/api/v1`). */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
}

export const kinds: readonly KindInfo[] = [
  {
    kind: 'Namespace',
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    shortNames: ['ns'],
    namespaced: false,
  },
  {
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    plural: 'configmaps',
    singular: 'configmap',
    shortNames: ['cm'],
    namespaced: true,
  },
  {
    kind: 'Broker',
    group: 'eventing.knative.dev',
    version: 'v1',
    plural: 'brokers',
    singular: 'broker',
    shortNames: ['brk'],
    namespaced: true,
  },
  {
    kind: 'Trigger',
    group: 'eventing.knative.dev',
    version: 'v1',
    plural: 'triggers',
    singular: 'trigger',
    shortNames: ['trg', 'tr'],
    namespaced: true,
  },
  {
    kind: 'Application',
    group: 'applicationconnector.kyma-project.io',
    version: 'v1alpha1',
    plural: 'applications',
    singular: 'application',
    shortNames: ['app'],
    namespaced: false,
  },
  {
    kind: 'ApplicationMapping',
    group: 'applicationconnector.kyma-project.io',
    version: 'v1alpha1',
    plural: 'applicationmappings',
    singular: 'applicationmapping',
    shortNames: ['am'],
    namespaced: true,
  },
  {
    kind: 'Function',
    group: 'serverless.kyma-project.io',
    version: 'v1alpha2',
    plural: 'functions',
    singular: 'function',
    shortNames: ['fn', 'fns'],
    namespaced: true,
  },
];

export function apiVersionOf(info: KindInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** Finds a kind by any of its names (kind, singular, plural, short), case-insensitively. */
export function findKind(name: string): KindInfo | undefined {
  const wanted = name.toLowerCase();
  return kinds.find(
    (k) =>
      k.kind.toLowerCase() === wanted ||
      k.singular === wanted ||
      k.plural === wanted ||
      k.shortNames.includes(wanted),
  );
}

/** Finds a kind by API path segments (group '' for core). */
export function findKindByPath(group: string, version: string, plural: string): KindInfo | undefined {
  return kinds.find((k) => k.group === group && k.version === version && k.plural === plural);
}

/** Finds a kind by an object's apiVersion and kind. */
export function findKindOf(apiVersion: string, kind: string): KindInfo | undefined {
  return kinds.find((k) => apiVersionOf(k) === apiVersion && k.kind === kind);
}
