/**
 * The flow graph of one namespace, as pure data: applications -> brokers -> triggers -> subscribers (and
 * functions), laid out in four columns, with rates on the edges from the brokers' statistics. The overview
 * draws it as SVG; test/console/graph.test.ts checks it without a browser.
 */
import { brokerOf, readyOf, subscriberKindOf, subscriberOf, isPaused } from './format.js';
import type { BrokerStats, Resource } from './types.js';

export type NodeKind = 'application' | 'broker' | 'trigger' | 'subscriber';

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** Second line: a state or a short detail. */
  readonly detail: string;
  readonly ok: boolean;
  readonly x: number;
  readonly y: number;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Events per second over the stats window. */
  readonly rate: number;
  /** Events over the stats window (delivered, for an edge into a subscriber). */
  readonly count: number;
  readonly failing: boolean;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly width: number;
  readonly height: number;
}

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 46;
const ROW = 64;
const COLUMN_X: Record<NodeKind, number> = { application: 10, broker: 270, trigger: 530, subscriber: 790 };

/** Kyma's gateway delivers an application's events to the `default` broker of every bound namespace. */
const APPLICATION_BROKER = 'default';

export function buildGraph(input: {
  readonly applications: readonly string[];
  readonly brokers: readonly Resource[];
  readonly triggers: readonly Resource[];
  readonly stats: ReadonlyMap<string, BrokerStats>;
}): Graph {
  const columns: Record<NodeKind, Omit<GraphNode, 'x' | 'y'>[]> = {
    application: [],
    broker: [],
    trigger: [],
    subscriber: [],
  };
  const edges: GraphEdge[] = [];
  for (const app of input.applications) {
    columns.application.push({
      id: `app:${app}`,
      kind: 'application',
      label: app,
      detail: 'application',
      ok: true,
    });
    const stats = input.stats.get(APPLICATION_BROKER);
    const count = stats?.sources[app] ?? 0;
    edges.push({
      from: `app:${app}`,
      to: `broker:${APPLICATION_BROKER}`,
      count,
      rate: stats ? count / stats.windowSeconds : 0,
      failing: false,
    });
  }
  const brokerNames = new Set(input.brokers.map((b) => b.metadata.name));
  if (input.applications.length > 0) brokerNames.add(APPLICATION_BROKER);
  for (const name of [...brokerNames].sort()) {
    const broker = input.brokers.find((b) => b.metadata.name === name);
    const stats = input.stats.get(name);
    const ready = broker === undefined ? undefined : readyOf(broker);
    const detail =
      broker === undefined
        ? 'created on first event'
        : ready?.status !== 'True'
          ? ready?.reason || 'not ready'
          : `backlog ${stats?.backlog ?? 0} \u00b7 failed ${stats?.failed ?? 0}`;
    columns.broker.push({
      id: `broker:${name}`,
      kind: 'broker',
      label: name,
      detail,
      ok: broker === undefined || (ready?.status === 'True' && (stats?.failed ?? 0) === 0),
    });
  }
  const subscribers = new Map<string, Omit<GraphNode, 'x' | 'y'>>();
  for (const trigger of input.triggers) {
    const name = trigger.metadata.name;
    const broker = brokerOf(trigger);
    const stats = input.stats.get(broker)?.triggers[name];
    const window = input.stats.get(broker)?.windowSeconds ?? 60;
    const ready = readyOf(trigger);
    columns.trigger.push({
      id: `trigger:${name}`,
      kind: 'trigger',
      label: name,
      detail: isPaused(trigger)
        ? 'paused'
        : ready.status === 'True'
          ? `pending ${stats?.pending ?? 0}`
          : ready.reason,
      ok: ready.status === 'True' && (stats?.failed ?? 0) === 0,
    });
    if (!brokerNames.has(broker)) {
      brokerNames.add(broker);
      columns.broker.push({
        id: `broker:${broker}`,
        kind: 'broker',
        label: broker,
        detail: 'does not exist',
        ok: false,
      });
    }
    edges.push({
      from: `broker:${broker}`,
      to: `trigger:${name}`,
      count: stats?.matched ?? 0,
      rate: (stats?.matched ?? 0) / window,
      failing: false,
    });
    const target = subscriberOf(trigger);
    if (target === '') continue;
    const id = `subscriber:${target}`;
    const kind = subscriberKindOf(trigger);
    if (!subscribers.has(id))
      subscribers.set(id, {
        id,
        kind: 'subscriber',
        label: shortUri(target),
        detail: kind ?? 'subscriber',
        ok: true,
      });
    edges.push({
      from: `trigger:${name}`,
      to: id,
      count: stats?.delivered ?? 0,
      rate: stats?.deliveredPerSecond ?? 0,
      failing: (stats?.failed ?? 0) > 0,
    });
  }
  columns.subscriber.push(...subscribers.values());
  const nodes: GraphNode[] = [];
  let rows = 1;
  for (const kind of ['application', 'broker', 'trigger', 'subscriber'] as const) {
    columns[kind].forEach((node, i) => nodes.push({ ...node, x: COLUMN_X[kind], y: 30 + i * ROW }));
    rows = Math.max(rows, columns[kind].length);
  }
  return { nodes, edges, width: COLUMN_X.subscriber + NODE_WIDTH + 10, height: 40 + rows * ROW };
}

/** `http://host:8080/path` -> `host:8080/path`, kept short enough for a node. */
export function shortUri(uri: string): string {
  const text = uri.replace(/^[a-z]+:\/\//, '').replace(/\/$/, '');
  return text.length > 26 ? `${text.slice(0, 25)}\u2026` : text;
}
