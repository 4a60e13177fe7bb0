/**
 * OpenAPI documents of the served kinds, assembled from each kind's schema (`schema.ts`) as the Kubernetes
 * API server publishes its custom resources': `/openapi/v3` (a root naming one document per group/version),
 * `/openapi/v3/apis/<group>/<version>` (paths and `components.schemas`) and `/openapi/v2` (Swagger 2.0,
 * JSON only). Each kind's schema carries `x-kubernetes-group-version-kind`, which `kubectl explain` looks
 * for; each PATCH operation declares `fieldValidation`, which tells kubectl to let the server validate
 * fields (cemesh's messages name the field and suggest the closest one). Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { allKinds, groupVersion, type KindDefinition, type Schema } from '../../core/resources/index.js';
import { OBJECT_META } from '../../core/resources/object-schema.js';
import { REF_PREFIX } from '../../core/resources/schema.js';

type Json = Record<string, unknown>;

const INFO = { title: 'cemesh', version: 'v1' };

/** `dev.knative.eventing.v1.Broker`, `io.k8s.api.core.v1.ConfigMap`: the name Kubernetes would give the schema. */
export function definitionName(kind: KindDefinition, version: string): string {
  const prefix = kind.group === '' ? 'io.k8s.api.core' : kind.group.split('.').reverse().join('.');
  return `${prefix}.${version}.${kind.kind}`;
}

/** `apis/eventing.knative.dev/v1`, or `api/v1` for the core group: the key of a v3 document in the root. */
export function documentPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** Every group/version served, each with the kinds served in it. */
function groupVersions(): Map<string, { group: string; version: string; kinds: KindDefinition[] }> {
  const found = new Map<string, { group: string; version: string; kinds: KindDefinition[] }>();
  for (const kind of allKinds()) {
    for (const { name: version } of kind.versions) {
      const key = documentPath(kind.group, version);
      const entry = found.get(key) ?? { group: kind.group, version, kinds: [] };
      entry.kinds.push(kind);
      found.set(key, entry);
    }
  }
  return found;
}

/** The OpenAPI v3 document of one group/version, or undefined when nothing is served in it. */
export function openApiV3Document(group: string, version: string): Json | undefined {
  const entry = groupVersions().get(documentPath(group, version));
  if (entry === undefined) return undefined;
  const schemas: Record<string, Schema> = {};
  const paths: Record<string, Json> = {};
  for (const kind of entry.kinds) {
    addSchemas(schemas, kind, version);
    Object.assign(paths, pathsOf(kind, version));
  }
  return {
    openapi: '3.0.0',
    info: INFO,
    paths,
    components: { schemas: mapValues(schemas, (s) => published(s, REF_PREFIX)) },
  };
}

/** `/openapi/v3`: where each group/version's document is, with a hash of it so clients can cache it. */
export function openApiV3Root(): Json {
  const paths: Record<string, Json> = {};
  for (const [key, { group, version }] of groupVersions()) {
    const text = JSON.stringify(openApiV3Document(group, version));
    const hash = createHash('sha512').update(text).digest('hex').slice(0, 64).toUpperCase();
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}

/** `/openapi/v2`: Swagger 2.0 with every kind's definition (`#/definitions/...` references). */
export function openApiV2Document(): Json {
  const schemas: Record<string, Schema> = {};
  const paths: Record<string, Json> = {};
  for (const { version, kinds } of groupVersions().values()) {
    for (const kind of kinds) {
      addSchemas(schemas, kind, version);
      const v2Schema = { $ref: `#/definitions/${definitionName(kind, version)}` };
      for (const [path, item] of Object.entries(pathsOf(kind, version)))
        paths[path] = v2PathItem(item, v2Schema);
    }
  }
  return {
    swagger: '2.0',
    info: INFO,
    paths,
    definitions: mapValues(schemas, (s) => published(s, '#/definitions/')),
  };
}

/** Adds the kind's schema in `version` and the parts it references; a name bound to two shapes is a bug. */
function addSchemas(schemas: Record<string, Schema>, kind: KindDefinition, version: string): void {
  const storage = version === kind.storageVersion;
  const gvk = [{ group: kind.group, kind: kind.kind, version }];
  const root: Schema = storage
    ? kind.schema.openAPIV3Schema
    : {
        type: 'object',
        description:
          `${kind.description} Served in ${groupVersion(kind.group, version)} and stored as ` +
          `${groupVersion(kind.group, kind.storageVersion)}: the server checks the fields after converting.`,
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { $ref: `${REF_PREFIX}${OBJECT_META}` },
        },
        'x-kubernetes-preserve-unknown-fields': true,
      };
  const parts: Record<string, Schema> = {
    ...(storage ? kind.schema.components : pick(kind.schema.components, OBJECT_META)),
    [definitionName(kind, version)]: { ...root, 'x-kubernetes-group-version-kind': gvk } as Schema,
  };
  for (const [name, schema] of Object.entries(parts)) {
    const known = schemas[name];
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(schema))
      throw new Error(`OpenAPI: two different schemas are named ${name}`);
    schemas[name] = schema;
  }
}

function pick(components: Readonly<Record<string, Schema>>, name: string): Record<string, Schema> {
  const found = components[name];
  return found === undefined ? {} : { [name]: found };
}

/**
 * A schema as published: references point where the document keeps its schemas, and a field cemesh
 * refuses says so in its description (the `x-cemesh-not-supported` mark stays for tools that read it).
 */
export function published(schema: Schema, refPrefix: string): Schema {
  const out: Record<string, unknown> = { ...schema };
  if (schema.$ref !== undefined) out.$ref = `${refPrefix}${schema.$ref.slice(REF_PREFIX.length)}`;
  const refused = schema['x-cemesh-not-supported'];
  if (refused !== undefined) {
    out.description = `Not supported by cemesh: the field ${refused}.${schema.description === undefined ? '' : ` ${schema.description}`}`;
  }
  if (schema.properties !== undefined)
    out.properties = mapValues(schema.properties, (s) => published(s, refPrefix));
  if (schema.additionalProperties !== undefined)
    out.additionalProperties = published(schema.additionalProperties, refPrefix);
  if (schema.items !== undefined) out.items = published(schema.items, refPrefix);
  // OpenAPI 3.0 ignores siblings of a $ref; allOf keeps the description beside the reference, as Kubernetes does.
  if (out.$ref !== undefined && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { ...rest, allOf: [{ $ref }] } as Schema;
  }
  return out as Schema;
}

function mapValues<T, U>(record: Readonly<Record<string, T>>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

const queryParameter = (name: string, description: string, type = 'string'): Json => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});

const FIELD_VALIDATION = queryParameter(
  'fieldValidation',
  'What to do with fields the schema does not declare: Strict (the default) refuses them, Warn drops them with a warning, Ignore drops them.',
);
const FIELD_MANAGER = queryParameter(
  'fieldManager',
  'The name of the actor making the change; required for apply patch.',
);
const FORCE = queryParameter(
  'force',
  'Apply patch only: accepted, with no effect (cemesh tracks no field owners).',
  'boolean',
);
const LABEL_SELECTOR = queryParameter(
  'labelSelector',
  'Only objects whose labels match (k=v, k!=v, k, !k; comma-separated).',
);
const WATCH = queryParameter('watch', 'Stream the changes as watch events.', 'boolean');
const RESOURCE_VERSION = queryParameter(
  'resourceVersion',
  'With watch: the version after which to send changes.',
);

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

/** The paths of one kind in one version: its collection (and every namespace's), and one object. */
function pathsOf(kind: KindDefinition, version: string): Record<string, Json> {
  const base = kind.group === '' ? `/api/${version}` : `/apis/${kind.group}/${version}`;
  const gvk = { group: kind.group, version, kind: kind.kind };
  const schema = { $ref: `${REF_PREFIX}${definitionName(kind, version)}` };
  const ok = (description: string): Json => ({
    description,
    content: { 'application/json': { schema } },
  });
  const operation = (action: string, id: string, extra: Json): Json => ({
    operationId: `${id}${kind.kind}`,
    tags: [groupVersion(kind.group, version)],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
    responses: { ...(extra.responses as Json | undefined), '401': { description: 'Unauthorized' } },
  });
  const body = (types: string[]): Json => ({
    required: true,
    content: Object.fromEntries(types.map((t) => [t, { schema }])),
  });
  const namespaceParameter = { name: 'namespace', in: 'path', required: true, schema: { type: 'string' } };
  const nameParameter = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
  const scope = kind.namespaced ? `${base}/namespaces/{namespace}/${kind.plural}` : `${base}/${kind.plural}`;
  const scoped = kind.namespaced ? [namespaceParameter] : [];
  const list = operation('list', 'list', {
    parameters: [LABEL_SELECTOR, WATCH, RESOURCE_VERSION],
    responses: { '200': { description: 'OK' } },
  });
  const paths: Record<string, Json> = {
    [scope]: {
      parameters: scoped,
      get: list,
      post: operation('post', 'create', {
        parameters: [FIELD_VALIDATION, FIELD_MANAGER],
        requestBody: body(['application/json']),
        responses: { '201': ok('Created') },
      }),
    },
    [`${scope}/{name}`]: {
      parameters: [...scoped, nameParameter],
      get: operation('get', 'read', { responses: { '200': ok('OK') } }),
      put: operation('put', 'replace', {
        parameters: [FIELD_VALIDATION, FIELD_MANAGER],
        requestBody: body(['application/json']),
        responses: { '200': ok('OK') },
      }),
      patch: operation('patch', 'patch', {
        parameters: [FIELD_VALIDATION, FIELD_MANAGER, FORCE],
        requestBody: body(PATCH_TYPES),
        responses: { '200': ok('OK'), '201': ok('Created (apply patch)') },
      }),
      delete: operation('delete', 'delete', { responses: { '200': ok('OK') } }),
    },
  };
  if (kind.namespaced)
    paths[`${base}/${kind.plural}`] = { get: { ...list, operationId: `list${kind.kind}ForAllNamespaces` } };
  return paths;
}

/** A v3 path item in Swagger 2.0's shape: parameters carry their type, bodies are `in: body` parameters. */
function v2PathItem(item: Json, schema: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === 'parameters') out.parameters = (value as Json[]).map(v2Parameter);
    else out[key] = v2Operation(value as Json, schema);
  }
  return out;
}

function v2Operation(operation: Json, schema: Json): Json {
  const { requestBody, responses, parameters, ...rest } = operation as {
    requestBody?: { content: Json };
    responses: Record<string, Json>;
    parameters?: Json[];
  };
  const params = (parameters ?? []).map(v2Parameter);
  if (requestBody !== undefined) {
    params.push({ name: 'body', in: 'body', required: true, schema });
    (rest as Json).consumes = Object.keys(requestBody.content);
  }
  return {
    ...rest,
    produces: ['application/json'],
    schemes: ['https'],
    parameters: params,
    responses: mapValues(responses, (r) => ({ description: r.description })),
  };
}

function v2Parameter(parameter: Json): Json {
  const { schema, ...rest } = parameter as { schema?: { type?: string; uniqueItems?: boolean } };
  return { ...rest, type: schema?.type ?? 'string', ...(schema?.uniqueItems ? { uniqueItems: true } : {}) };
}
