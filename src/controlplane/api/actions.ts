/**
 * The runtime routes: live tail and delivery history of a broker, history and replay of a trigger, and
 * application tokens (ARCHITECTURE 2.3, 2.4). They ask the data plane through RuntimeQueries; a route whose
 * query the runtime does not offer is a 404.
 */
import { MeshError } from '../../core/errors.js';
import type { KindDefinition } from '../../core/resources/index.js';
import { parseJsonObject } from './body.js';
import { resourceName } from './router.js';
import { methodNotAllowed, notFound, requireNamespace } from './resources.js';
import type { RuntimeQueries } from './runtime.js';
import type { ApiRequest, ApiResult, CoreDeps } from './types.js';

export interface ActionDeps extends CoreDeps {
  readonly runtime: RuntimeQueries | undefined;
}

interface ActionContext {
  readonly deps: ActionDeps;
  readonly req: ApiRequest;
  readonly namespace: string;
  readonly name: string;
}

interface Action {
  readonly method: 'GET' | 'POST';
  run(context: ActionContext): Promise<ApiResult>;
}

/** Deliveries answered at most, whatever `limit` asks. */
export const MAX_DELIVERIES = 1000;

const actions: Readonly<Record<string, Readonly<Record<string, Action>>>> = {
  Broker: {
    tail: { method: 'GET', run: tail },
    deliveries: { method: 'GET', run: brokerDeliveries },
    stats: { method: 'GET', run: stats },
  },
  Trigger: {
    deliveries: { method: 'GET', run: triggerDeliveries },
    replay: { method: 'POST', run: replay },
    redeliver: { method: 'POST', run: redeliver },
  },
  Application: {
    token: { method: 'POST', run: issueToken },
  },
  Function: {
    log: { method: 'GET', run: functionLog },
  },
};

/** The runtime routes of a kind, as discovery lists them (`brokers/tail`): name and verb. */
export function actionsOf(kind: string): { name: string; verb: 'get' | 'create' }[] {
  return Object.entries(actions[kind] ?? {}).map(([name, action]) => ({
    name,
    verb: action.method === 'GET' ? 'get' : 'create',
  }));
}

export async function handleAction(deps: ActionDeps, req: ApiRequest): Promise<ApiResult> {
  if (req.route.type !== 'action') throw new Error('not an action route');
  const { kind, namespace = '', name, action: actionName } = req.route;
  const action = actions[kind.kind]?.[actionName];
  if (action === undefined) {
    throw new MeshError('MESH_NOT_FOUND', `${resourceName(kind)} have no "${actionName}" route`);
  }
  if (req.method !== action.method) throw methodNotAllowed(req.method, action.method);
  await requireObject(deps, kind, namespace, name);
  return action.run({ deps, req, namespace, name });
}

async function requireObject(
  deps: CoreDeps,
  kind: KindDefinition,
  namespace: string,
  name: string,
): Promise<void> {
  if (kind.namespaced) await requireNamespace(deps, namespace);
  const key = kind.namespaced ? { kind: kind.kind, namespace, name } : { kind: kind.kind, name };
  if ((await deps.store.get(key)) === undefined) throw notFound(kind, name);
}

function runtimeLacks(what: string): MeshError {
  return new MeshError('MESH_NOT_FOUND', `${what} is not available: this server's runtime does not offer it`);
}

async function tail({ deps, req, namespace, name }: ActionContext): Promise<ApiResult> {
  if (deps.runtime === undefined) throw runtimeLacks('tail');
  const filter = req.query.get('filter') ?? undefined;
  const outcomes = req.query.get('outcomes');
  if (outcomes !== null && outcomes !== 'true' && outcomes !== 'false') {
    throw new MeshError('MESH_REQUEST_INVALID', `outcomes must be true or false, not "${outcomes}"`);
  }
  const options = { ...(filter === undefined ? {} : { filter }), outcomes: outcomes === 'true' };
  return { status: 200, lines: deps.runtime.tail({ namespace, name }, req.signal, options) };
}

async function brokerDeliveries({ deps, req, namespace, name }: ActionContext): Promise<ApiResult> {
  if (deps.runtime === undefined) throw runtimeLacks('delivery history');
  const query = req.query;
  const source = query.get('source') ?? undefined;
  const id = query.get('id') ?? undefined;
  const items = await deps.runtime.deliveries({
    namespace,
    broker: name,
    ...(source === undefined ? {} : { source }),
    ...(id === undefined ? {} : { id }),
    ...outcomeOf(query),
    limit: limitOf(query),
  });
  return { status: 200, body: { kind: 'DeliveryList', items } };
}

async function triggerDeliveries({ deps, req, namespace, name }: ActionContext): Promise<ApiResult> {
  if (deps.runtime === undefined) throw runtimeLacks('delivery history');
  const items = await deps.runtime.deliveries({
    namespace,
    trigger: name,
    ...outcomeOf(req.query),
    limit: limitOf(req.query),
  });
  return { status: 200, body: { kind: 'DeliveryList', items } };
}

async function replay({ deps, req, namespace, name }: ActionContext): Promise<ApiResult> {
  if (deps.runtime?.replay === undefined) throw runtimeLacks('replay');
  const body = parseJsonObject(req.body ?? Buffer.alloc(0));
  const since = body.since;
  // RFC 3339 date-time: a date, a time and an explicit offset.
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
  if (typeof since !== 'string' || !rfc3339.test(since) || Number.isNaN(Date.parse(since))) {
    throw new MeshError(
      'MESH_REQUEST_INVALID',
      'since: must be an RFC 3339 time, e.g. "2024-05-01T12:00:00Z"',
      {
        causes: [{ field: 'since', message: 'must be an RFC 3339 time' }],
      },
    );
  }
  const replayed = await deps.runtime.replay({ namespace, name }, new Date(since));
  return { status: 200, body: { replayed } };
}

/** Statistics cover at most this many seconds (the delivery history holds minutes, not hours, at load). */
const MAX_WINDOW_SECONDS = 3600;

async function stats({ deps, req, namespace, name }: ActionContext): Promise<ApiResult> {
  if (deps.runtime?.stats === undefined) throw runtimeLacks('delivery statistics');
  const raw = req.query.get('window') ?? '60';
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_WINDOW_SECONDS) {
    throw new MeshError(
      'MESH_REQUEST_INVALID',
      `window must be a whole number of seconds from 1 to ${MAX_WINDOW_SECONDS}, not "${raw}"`,
    );
  }
  return { status: 200, body: await deps.runtime.stats({ namespace, name }, Number(raw)) };
}

async function redeliver({ deps, req, namespace, name }: ActionContext): Promise<ApiResult> {
  if (deps.runtime?.redeliver === undefined) throw runtimeLacks('redelivery');
  const body = parseJsonObject(req.body ?? Buffer.alloc(0));
  const causes = ['source', 'id']
    .filter((field) => typeof body[field] !== 'string' || body[field] === '')
    .map((field) => ({ field, message: "required: the event's CloudEvents attribute, a non-empty string" }));
  const unknown = Object.keys(body).filter((field) => field !== 'source' && field !== 'id');
  for (const field of unknown) causes.push({ field, message: 'unknown field' });
  if (causes.length > 0) {
    throw new MeshError(
      'MESH_REQUEST_INVALID',
      `redeliver needs {"source", "id"}: ${causes.map((c) => `${c.field}: ${c.message}`).join('; ')}`,
      { causes },
    );
  }
  const event = { source: String(body.source), id: String(body.id) };
  const redelivered = await deps.runtime.redeliver({ namespace, name }, event);
  if (redelivered === 0) {
    throw new MeshError(
      'MESH_NOT_FOUND',
      `event source="${event.source}" id="${event.id}" is not retained by the broker of trigger ${namespace}/${name}: it cannot be delivered again`,
    );
  }
  return { status: 200, body: { redelivered } };
}

const OUTCOMES = ['pending', 'delivered', 'dead-lettered', 'undeliverable', 'failed'] as const;

function outcomeOf(query: URLSearchParams): { outcome?: (typeof OUTCOMES)[number] } {
  const raw = query.get('outcome');
  if (raw === null || raw === '') return {};
  const outcome = OUTCOMES.find((o) => o === raw);
  if (outcome === undefined) {
    throw new MeshError(
      'MESH_REQUEST_INVALID',
      `outcome must be one of ${OUTCOMES.join(', ')}, not "${raw}"`,
    );
  }
  return { outcome };
}

async function issueToken({ deps, name }: ActionContext): Promise<ApiResult> {
  if (deps.runtime?.issueApplicationToken === undefined) throw runtimeLacks('application tokens');
  const token = await deps.runtime.issueApplicationToken(name);
  return { status: 200, body: { token } };
}

/** Lines a log answer holds at most (a replica's log keeps the latest 1,000 lines). */
const MAX_LOG_LINES = 1000;

/** Like a Kubernetes pod's `log`: `tailLines` (default all kept) and `follow=true` for a live stream. */
async function functionLog({ deps, req, namespace, name }: ActionContext): Promise<ApiResult> {
  if (deps.runtime?.functionLogs === undefined) throw runtimeLacks('function logs');
  const follow = req.query.get('follow') === 'true';
  const limit = req.query.has('tailLines') ? limitOf(req.query, 'tailLines', MAX_LOG_LINES) : MAX_LOG_LINES;
  const logs = deps.runtime.functionLogs({ namespace, name }, { limit, follow, signal: req.signal });
  if (logs === undefined) {
    throw new MeshError('MESH_NOT_FOUND', `function ${namespace}/${name} has not run on this server yet`);
  }
  if (Array.isArray(logs)) return { status: 200, body: { kind: 'FunctionLog', items: logs } };
  return { status: 200, lines: logs as AsyncIterable<Record<string, unknown>> };
}

function limitOf(query: URLSearchParams, parameter = 'limit', max = MAX_DELIVERIES): number {
  const raw = query.get(parameter);
  if (raw === null || raw === '') return 100;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new MeshError('MESH_REQUEST_INVALID', `${parameter} must be a positive integer, not "${raw}"`);
  }
  return Math.min(Number(raw), max);
}
