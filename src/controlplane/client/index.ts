/**
 * The typed client of the control-plane API. The CLI and the web console talk to cemesh only through it.
 */
import type { Resource } from '../../core/resources/object.js';
import { applyOver, type ApplyResult } from '../../core/resources/apply-decision.js';
import { applyMany, type ApplyOutcome } from './apply-many.js';
import { applyList, APPLY_PATH, type ApplyItemOutcome } from './apply-list.js';
import { ClientError, failure, isClientError } from './errors.js';
import { collectionPath, kindOfObject, objectPath, resolveKind, type KindRef } from './paths.js';
import { createTransport } from './transport.js';
import { namespaceOrDefault } from '../../core/resources/defaults.js';

export { ClientError, isClientError, type Status, type StatusCause } from './errors.js';
export { kindOfObject, resolveKind, DEFAULT_NAMESPACE, type KindRef } from './paths.js';
export type { ApplyResult } from '../../core/resources/apply-decision.js';
export type { ApplyOutcome } from './apply-many.js';
export type { Resource } from '../../core/resources/object.js';

export interface ClientOptions {
  /** Base URL of the control plane, e.g. http://127.0.0.1:8081. */
  readonly server: string;
  /** The admin bearer token. */
  readonly token?: string;
  /** Called with the text of each `Warning` header the server sends (client-go's WarningHandler). */
  readonly onWarning?: (warning: string) => void;
}

/** `?fieldValidation=` of a write: what the server does with fields the kind's schema does not declare. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  readonly fieldValidation?: FieldValidation;
}

export interface ResourceList {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly resourceVersion: string };
  readonly items: Resource[];
}

export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: Resource;
}

export interface ListOptions {
  /** Undefined lists every namespace (namespaced kinds). */
  readonly namespace?: string;
  readonly labelSelector?: string;
}

export interface WatchOptions extends ListOptions {
  /** Resume after this version (a list's `metadata.resourceVersion`); without it, existing objects come first as ADDED. */
  readonly resourceVersion?: string;
  readonly signal: AbortSignal;
}

export interface DeliveryQuery {
  readonly namespace: string;
  readonly broker?: string;
  readonly trigger?: string;
  readonly source?: string;
  readonly id?: string;
  readonly limit?: number;
}

export interface Client {
  readonly server: string;
  list(kind: KindRef, options?: ListOptions): Promise<ResourceList>;
  /** Namespaced kinds default to namespace `default`. */
  get(kind: KindRef, name: string, namespace?: string): Promise<Resource>;
  create(object: Resource, options?: WriteOptions): Promise<Resource>;
  replace(object: Resource, options?: WriteOptions): Promise<Resource>;
  /** JSON Merge Patch (RFC 7396). */
  patch(kind: KindRef, name: string, patch: Record<string, unknown>, namespace?: string): Promise<Resource>;
  delete(kind: KindRef, name: string, namespace?: string): Promise<Resource>;
  watch(kind: KindRef, options: WatchOptions): AsyncIterable<WatchEvent>;
  /** Creates the object, or replaces it when what the user wrote differs from what is stored. */
  apply(object: Resource, options?: WriteOptions): Promise<ApplyResult>;
  /**
   * `apply` of every object of a manifest, in order, through the API's apply List in chunks (apply-list.ts;
   * per object against a server without it); `report` gets each outcome in manifest order.
   */
  applyAll(
    objects: readonly Resource[],
    report: (outcome: ApplyOutcome) => void,
    options?: WriteOptions,
  ): Promise<void>;
  /** Live events entering a broker (structured-mode JSON), until `signal` aborts. */
  tail(
    ref: { namespace: string; name: string },
    signal: AbortSignal,
    options?: { filter?: string; outcomes?: boolean },
  ): AsyncIterable<Record<string, unknown>>;
  /** Delivery history, newest first: of a broker (optionally one event by id/source) or of a trigger. */
  deliveries(query: DeliveryQuery): Promise<unknown[]>;
  /** Re-delivers a trigger's retained events since a time; resolves with how many. */
  replay(ref: { namespace: string; name: string }, since: Date): Promise<number>;
  /** A new token for an application (the previous one is revoked). */
  issueApplicationToken(name: string): Promise<string>;
  /** Issues a sender token for `subject` in `namespace`; the answer holds the token, shown this once. */
  createSenderToken(
    namespace: string,
    subject: string,
    name?: string,
  ): Promise<SenderTokenEntry & { token: string }>;
  /** Sender tokens of a namespace, or of every one (never the tokens themselves). */
  listSenderTokens(namespace: string | undefined): Promise<SenderTokenEntry[]>;
  deleteSenderToken(namespace: string, name: string): Promise<void>;
  /** The server's log level; with `level`, changes it first. */
  logLevel(level?: string): Promise<{ level: string; previous?: string }>;
  /** A hosted function's recent output lines, oldest first. */
  functionLogs(ref: { namespace: string; name: string }, tailLines?: number): Promise<FunctionLogLine[]>;
  /** A hosted function's recent output lines, then every new one until the signal aborts. */
  followFunctionLogs(
    ref: { namespace: string; name: string },
    signal: AbortSignal,
    tailLines?: number,
  ): AsyncIterable<FunctionLogLine>;
  /** Closes idle connections. */
  close(): Promise<void>;
}

const brokers = resolveKind('broker');
const SENDER_TOKENS = '/apis/security.cemesh.dev/v1alpha1';

/** A sender token as the API lists it. */
export interface SenderTokenEntry {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly creationTimestamp: string;
  };
  readonly subject: string;
}
const triggers = resolveKind('trigger');
const applications = resolveKind('application');
const functions = resolveKind('function');

/** One line of a function replica's output (GET .../functions/NAME/log). */
export interface FunctionLogLine {
  readonly time: string;
  readonly replica: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  readonly eventId?: string;
}

export function createClient(options: ClientOptions): Client {
  const http = createTransport(options.server, options.token, options.onWarning);

  // Objects are written in the version their apiVersion names (the server converts to the stored one).
  function pathOf(object: Resource): string {
    const { kind, version } = kindOfObject(object);
    return objectPath(kind, nameOf(object), object.metadata?.namespace, version.name);
  }

  /** The collection an object belongs to, in the version its apiVersion names. */
  function collectionOf(object: Resource): string {
    const { kind, version } = kindOfObject(object);
    const namespace = kind.namespaced ? namespaceOrDefault(object.metadata?.namespace) : undefined;
    return collectionPath(kind, namespace, version.name);
  }

  async function create(object: Resource, write: WriteOptions = {}): Promise<Resource> {
    return http.json<Resource>('POST', collectionOf(object), {
      body: object,
      query: { fieldValidation: write.fieldValidation },
    });
  }

  async function get(kind: KindRef, name: string, namespace?: string): Promise<Resource> {
    return http.json<Resource>('GET', objectPath(resolveKind(kind), name, namespace));
  }

  async function replace(object: Resource, write: WriteOptions = {}): Promise<Resource> {
    return http.json<Resource>('PUT', pathOf(object), {
      body: object,
      query: { fieldValidation: write.fieldValidation },
    });
  }

  async function apply(object: Resource, write: WriteOptions = {}): Promise<ApplyResult> {
    const { kind, version } = kindOfObject(object);
    const namespace = kind.namespaced ? namespaceOrDefault(object.metadata?.namespace) : undefined;
    const path = objectPath(kind, nameOf(object), namespace, version.name);
    const stored = await http.json<Resource>('GET', path).catch((error: unknown) => {
      if (isClientError(error) && error.code === 404 && error.reason === 'NotFound') {
        return undefined;
      }
      throw error;
    });
    return applyOver(object, stored, writesWith(write));
  }

  function writesWith(write: WriteOptions): Parameters<typeof applyOver>[2] {
    return { create: (o) => create(o, write), replace: (o) => replace(o, write) };
  }

  return {
    server: http.server,
    list: (kind, list = {}) =>
      http.json<ResourceList>('GET', collectionPath(resolveKind(kind), list.namespace), {
        query: { labelSelector: list.labelSelector },
      }),
    get,
    create,
    replace,
    patch: (kind, name, body, namespace) =>
      http.json<Resource>('PATCH', objectPath(resolveKind(kind), name, namespace), {
        body,
        contentType: 'application/merge-patch+json',
      }),
    delete: (kind, name, namespace) =>
      http.json<Resource>('DELETE', objectPath(resolveKind(kind), name, namespace)),
    watch: (kind, watch) =>
      http.lines(collectionPath(resolveKind(kind), watch.namespace), {
        query: { watch: 'true', labelSelector: watch.labelSelector, resourceVersion: watch.resourceVersion },
        signal: watch.signal,
      }) as AsyncIterable<WatchEvent>,

    apply,

    applyAll(objects, report, write = {}) {
      const applyEach = (each: readonly Resource[], reportEach: typeof report): Promise<void> =>
        applyMany(
          each,
          {
            async list(sample) {
              const list = await http.json<ResourceList>('GET', collectionOf(sample));
              return new Map(list.items.map((item) => [item.metadata.name, item]));
            },
            applyOne: (object) => apply(object, write),
            ...writesWith(write),
          },
          reportEach,
        );
      return applyList(
        objects,
        {
          check(object) {
            kindOfObject(object);
            nameOf(object);
          },
          async send(items) {
            const answer = await http.json<{ items?: ApplyItemOutcome[] }>('POST', APPLY_PATH, {
              rawBody: `{"apiVersion":"v1","kind":"List","items":[${items.join(',')}]}`,
              query: { fieldValidation: write.fieldValidation },
            });
            return answer.items ?? [];
          },
          applyEach,
          ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
        },
        report,
      );
    },

    tail: (ref, signal, options = {}) =>
      http.lines(`${objectPath(brokers, ref.name, ref.namespace)}/tail`, {
        signal,
        query: { filter: options.filter, outcomes: options.outcomes === true ? 'true' : undefined },
      }) as AsyncIterable<Record<string, unknown>>,

    async deliveries(query: DeliveryQuery): Promise<unknown[]> {
      if (query.trigger === undefined && (query.broker === undefined || query.broker === '')) {
        throw new ClientError(failure(400, 'BadRequest', 'deliveries: name a broker or a trigger'));
      }
      const path =
        query.trigger !== undefined
          ? `${objectPath(triggers, query.trigger, query.namespace)}/deliveries`
          : `${objectPath(brokers, query.broker ?? '', query.namespace)}/deliveries`;
      const limit = query.limit === undefined ? undefined : String(query.limit);
      const list = await http.json<{ items?: unknown[] }>('GET', path, {
        query: { source: query.source, id: query.id, limit },
      });
      return list.items ?? [];
    },

    async replay(ref, since): Promise<number> {
      const result = await http.json<{ replayed: number }>(
        'POST',
        `${objectPath(triggers, ref.name, ref.namespace)}/replay`,
        {
          body: { since: since.toISOString() },
        },
      );
      return result.replayed;
    },

    async issueApplicationToken(name: string): Promise<string> {
      const result = await http.json<{ token: string }>('POST', `${objectPath(applications, name)}/token`, {
        body: {},
      });
      return result.token;
    },

    createSenderToken: (namespace, subject, name) =>
      http.json('POST', `${SENDER_TOKENS}/namespaces/${encodeURIComponent(namespace)}/sendertokens`, {
        body: { subject, ...(name === undefined ? {} : { name }) },
      }),
    async listSenderTokens(namespace) {
      const path =
        namespace === undefined
          ? `${SENDER_TOKENS}/sendertokens`
          : `${SENDER_TOKENS}/namespaces/${encodeURIComponent(namespace)}/sendertokens`;
      return (await http.json<{ items: SenderTokenEntry[] }>('GET', path)).items;
    },
    async deleteSenderToken(namespace, name) {
      await http.json(
        'DELETE',
        `${SENDER_TOKENS}/namespaces/${encodeURIComponent(namespace)}/sendertokens/${encodeURIComponent(name)}`,
      );
    },
    logLevel: (level) =>
      level === undefined
        ? http.json('GET', '/admin/log-level')
        : http.json('PUT', '/admin/log-level', { body: { level } }),
    async functionLogs(ref, tailLines) {
      const list = await http.json<{ items?: FunctionLogLine[] }>(
        'GET',
        `${objectPath(functions, ref.name, ref.namespace)}/log`,
        { query: { tailLines: tailLines === undefined ? undefined : String(tailLines) } },
      );
      return list.items ?? [];
    },

    followFunctionLogs: (ref, signal, tailLines) =>
      http.lines(`${objectPath(functions, ref.name, ref.namespace)}/log`, {
        signal,
        query: { follow: 'true', tailLines: tailLines === undefined ? undefined : String(tailLines) },
      }) as AsyncIterable<FunctionLogLine>,

    close: () => http.close(),
  };
}

function nameOf(object: Resource): string {
  const name = object.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    throw new ClientError(
      failure(422, 'Invalid', 'metadata.name: required', [{ field: 'metadata.name', message: 'required' }]),
    );
  }
  return name;
}
