/**
 * The part of every kind's schema that is the same for all: `apiVersion`, `kind`, Kubernetes' ObjectMeta
 * (the fields cemesh keeps, and those it refuses because nothing here would honour them) and a `status`
 * only reconcilers write. A kind folder adds its `spec` (or top-level fields, for a ConfigMap).
 */
import { ref, type KindSchema, type Schema } from './schema.js';

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const string: Schema = { type: 'string' };
const stringMap: Schema = { type: 'object', additionalProperties: string };

function notSupported(why: string): Schema {
  return { 'x-cemesh-not-supported': `is not supported: ${why}` };
}

/** Kubernetes' ObjectMeta: what cemesh stores, and what it refuses rather than ignore. */
const objectMeta: Schema = {
  type: 'object',
  description: 'Standard object metadata, as in Kubernetes.',
  properties: {
    name: string,
    namespace: string,
    labels: stringMap,
    annotations: stringMap,
    // Set by the server; a value sent is replaced (uid, creationTimestamp, generation) or is the write's
    // optimistic-concurrency precondition (resourceVersion), as in Kubernetes.
    uid: string,
    resourceVersion: string,
    generation: { type: 'integer', format: 'int64' },
    creationTimestamp: { type: 'string', format: 'date-time' },
    generateName: notSupported('cemesh names objects by metadata.name only'),
    finalizers: notSupported('cemesh deletes objects at once, with nothing to wait for'),
    ownerReferences: notSupported('cemesh has no garbage collection of dependent objects'),
    deletionTimestamp: notSupported('set by a server that deletes objects gradually; cemesh does not'),
    deletionGracePeriodSeconds: notSupported('cemesh deletes objects at once'),
    managedFields: notSupported('cemesh does not track field managers (server-side apply)'),
    selfLink: notSupported('Kubernetes removed it in 1.20'),
  },
};

export interface ObjectSchemaParts {
  readonly description: string;
  /** The kind's `spec`; absent for kinds without one (ConfigMap). */
  readonly spec?: Schema;
  /** Other top-level fields (a ConfigMap's `data`, `binaryData`, `immutable`). */
  readonly fields?: Readonly<Record<string, Schema>>;
  /** The shared parts the spec's `$ref`s name. */
  readonly components?: KindSchema['components'];
}

/** A kind's whole schema from its own parts. */
export function objectSchema(parts: ObjectSchemaParts): KindSchema {
  return {
    openAPIV3Schema: {
      type: 'object',
      description: parts.description,
      properties: {
        apiVersion: string,
        kind: string,
        metadata: ref(OBJECT_META),
        ...(parts.spec === undefined ? {} : { spec: parts.spec }),
        ...parts.fields,
        // Only reconcilers write status: the API drops a status sent with an object (ARCHITECTURE 2.4).
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    components: { [OBJECT_META]: objectMeta, ...parts.components },
  };
}
