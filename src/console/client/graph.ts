/**
 * The flow graph of one namespace, as pure data: applications -> brokers -> triggers -> subscribers (and
 * functions), laid out in four columns, with rates on the edges from the brokers' statistics. The overview
 * draws it as SVG; test/console/graph.test.ts checks it without a browser.
 */
import { APPLICATION_BROKER } from '../../core/resources/applicationmapping/types.js';
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
  readonly layout: Layout;
  /** Where each stage's title goes. */
  readonly titles: readonly { readonly kind: NodeKind; readonly x: number; readonly y: number }[];
}

/** `wide`: one column per stage, left to right; `narrow` (a phone): one band per stage, top to bottom. */
export type Layout = 'wide' | 'narrow';

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 46;
const ROW = 64;
const COLUMN_X: Record<NodeKind, number> = { application: 10, broker: 270, trigger: 530, subscriber: 790 };
const STAGES: readonly NodeKind[] = ['application', 'broker', 'trigger', 'subscriber'];
/** Narrow: two nodes a row in a 400-wide drawing (a 390 px phone shows it at about its own size). */
const NARROW_WIDTH = 400;
const NARROW_PER_ROW = 2;
const NARROW_GAP = 20;
const NARROW_BAND_GAP = 50;

export function buildGraph(input: {
  readonly applications: readonly string[];
  readonly brokers: readonly Resource[];
  readonly triggers: readonly Resource[];
  readonly stats: ReadonlyMap<string, BrokerStats>;
  readonly layout?: Layout;
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
  return input.layout === 'narrow' ? placeNarrow(columns, edges) : placeWide(columns, edges);
}

type Columns = Record<NodeKind, Omit<GraphNode, 'x' | 'y'>[]>;

function placeWide(columns: Columns, edges: GraphEdge[]): Graph {
  const nodes: GraphNode[] = [];
  let rows = 1;
  for (const kind of STAGES) {
    columns[kind].forEach((node, i) => nodes.push({ ...node, x: COLUMN_X[kind], y: 30 + i * ROW }));
    rows = Math.max(rows, columns[kind].length);
  }
  const titles = STAGES.map((kind) => ({ kind, x: COLUMN_X[kind], y: 16 }));
  return {
    nodes,
    edges,
    width: COLUMN_X.subscriber + NODE_WIDTH + 10,
    height: 40 + rows * ROW,
    layout: 'wide',
    titles,
  };
}

function placeNarrow(columns: Columns, edges: GraphEdge[]): Graph {
  const nodes: GraphNode[] = [];
  const titles: { kind: NodeKind; x: number; y: number }[] = [];
  const width = (NARROW_WIDTH - NARROW_GAP * (NARROW_PER_ROW + 1)) / NARROW_PER_ROW;
  let y = 0;
  for (const kind of STAGES) {
    if (columns[kind].length === 0) continue;
    titles.push({ kind, x: NARROW_GAP, y: y + 16 });
    y += 26;
    columns[kind].forEach((node, i) => {
      const column = i % NARROW_PER_ROW;
      const row = Math.floor(i / NARROW_PER_ROW);
      nodes.push({ ...node, x: NARROW_GAP + column * (width + NARROW_GAP), y: y + row * (NODE_HEIGHT + 12) });
    });
    y += Math.ceil(columns[kind].length / NARROW_PER_ROW) * (NODE_HEIGHT + 12) + NARROW_BAND_GAP;
  }
  return { nodes, edges, width: NARROW_WIDTH, height: y - NARROW_BAND_GAP + 10, layout: 'narrow', titles };
}

/** A node's width in a layout. */
export function nodeWidth(layout: Layout): number {
  return layout === 'wide' ? NODE_WIDTH : (NARROW_WIDTH - NARROW_GAP * (NARROW_PER_ROW + 1)) / NARROW_PER_ROW;
}

/** `http://host:8080/path` -> `host:8080/path`, kept short enough for a node. */
export function shortUri(uri: string): string {
  const text = uri.replace(/^[a-z]+:\/\//, '').replace(/\/$/, '');
  return text.length > 26 ? `${text.slice(0, 25)}\u2026` : text;
}
