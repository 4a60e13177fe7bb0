/** The overview of one namespace: its brokers with event rate, backlog and failures, and the flow graph. */
import { hashOf, useConsole } from './context.js';
import { addressOf, namespacePersistence, percentText, plural, rateText, readyOf } from './format.js';
import { useEffect, useState } from 'preact/hooks';
import { buildGraph, NODE_HEIGHT, nodeWidth, type Graph, type GraphNode, type Layout } from './graph.js';
import { useCollection } from './live.js';
import type { BrokerStats, Resource } from './types.js';
import { Empty, ReadyBadge, useBrokerStats, useKind, useNamespaced, ViewHeader } from './ui.js';

export function Overview() {
  const { store, namespace } = useConsole();
  const brokerKind = useKind('Broker');
  const triggerKind = useKind('Trigger');
  const mappingKind = useKind('ApplicationMapping');
  const namespaceKind = useKind('Namespace');
  const brokers = useNamespaced(brokerKind, useCollection(store, brokerKind));
  const triggers = useNamespaced(triggerKind, useCollection(store, triggerKind));
  const mappings = useNamespaced(mappingKind, useCollection(store, mappingKind));
  const namespaces = useCollection(store, namespaceKind);
  const stats = useBrokerStats(brokers.map((b) => b.metadata.name));
  const current = namespaces.find((n) => n.metadata.name === namespace);
  const applications = mappings.map((m) => m.metadata.name);
  const layout = useLayout();
  const graph = buildGraph({ applications, brokers, triggers, stats, layout });
  return (
    <section aria-labelledby="view-title">
      <ViewHeader title={`Overview of ${namespace}`}>
        <span class="muted">
          persistence: {current ? namespacePersistence(current, brokers) : 'namespace not found'}
        </span>
      </ViewHeader>
      {brokers.length === 0 ? (
        <Empty title={`No brokers in ${namespace}`}>
          Events enter the mesh through a broker. Create one with <b>New</b> (template Broker), or bind an
          application under Applications: its events then create the <code>default</code> broker.
        </Empty>
      ) : (
        <div class="cards" id="brokers">
          {brokers.map((b) => (
            <BrokerCard key={b.metadata.name} broker={b} stats={stats.get(b.metadata.name)} />
          ))}
        </div>
      )}
      <h3>What flows</h3>
      {graph.nodes.length === 0 ? (
        <Empty title="Nothing flows yet">
          Bind an application or create a broker and a trigger; the graph then shows events moving from
          applications through brokers and triggers to subscribers, with live rates.
        </Empty>
      ) : (
        <FlowGraph graph={graph} linkOf={(node) => linkOf(node, namespace)} />
      )}
    </section>
  );
}

function BrokerCard({ broker, stats }: { broker: Resource; stats: BrokerStats | undefined }) {
  const ready = readyOf(broker);
  const settled = Object.values(stats?.triggers ?? {}).reduce((n, t) => n + t.delivered + t.failed, 0);
  const delivered = Object.values(stats?.triggers ?? {}).reduce((n, t) => n + t.delivered, 0);
  return (
    <article class="card" data-broker={broker.metadata.name} data-ready={ready.status}>
      <header>
        <h4>{broker.metadata.name}</h4>
        <ReadyBadge object={broker} />
      </header>
      <dl class="figures">
        <div>
          <dt>events</dt>
          <dd data-figure="rate">{rateText(stats?.acceptedPerSecond ?? 0)}</dd>
        </div>
        <div>
          <dt>backlog</dt>
          <dd data-figure="backlog">{stats?.backlog ?? 0}</dd>
        </div>
        <div>
          <dt>failed</dt>
          <dd data-figure="failed" class={(stats?.failed ?? 0) > 0 ? 'bad' : undefined}>
            {stats?.failed ?? 0}
          </dd>
        </div>
        <div>
          <dt>success</dt>
          <dd>{percentText(settled === 0 ? null : delivered / settled)}</dd>
        </div>
      </dl>
      <p class="muted small mono" title="POST CloudEvents here">
        {addressOf(broker) || ready.message}
      </p>
      <p class="muted small">
        {stats
          ? `${plural(stats.accepted, 'event')} in the last ${stats.windowSeconds} s`
          : 'no statistics yet'}
      </p>
    </article>
  );
}

const NARROW_QUERY = '(max-width: 760px)';

/** The graph's layout follows the window: stages top to bottom on a phone. */
function useLayout(): Layout {
  const query = window.matchMedia(NARROW_QUERY);
  const [layout, setLayout] = useState<Layout>(query.matches ? 'narrow' : 'wide');
  useEffect(() => {
    const onChange = (e: MediaQueryListEvent) => setLayout(e.matches ? 'narrow' : 'wide');
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return layout;
}

/** Where a node leads: a trigger to its deliveries, a broker to its failed events, an application to bindings. */
function linkOf(node: GraphNode, namespace: string): string | undefined {
  const name = node.id.slice(node.id.indexOf(':') + 1);
  if (node.kind === 'trigger') return hashOf(namespace, 'events', [name]);
  if (node.kind === 'broker') return hashOf(namespace, 'failed', []);
  if (node.kind === 'application') return hashOf(namespace, 'applications', []);
  return undefined;
}

/** Wide: from a node's right side to the next one's left; narrow: from its bottom to the next one's top. */
function edgePath(from: GraphNode, to: GraphNode, layout: Layout): string {
  const width = nodeWidth(layout);
  if (layout === 'narrow') {
    const [x1, y1, x2, y2] = [from.x + width / 2, from.y + NODE_HEIGHT, to.x + width / 2, to.y];
    const mid = (y1 + y2) / 2;
    return `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
  }
  const [x1, y1, x2, y2] = [from.x + width, from.y + NODE_HEIGHT / 2, to.x, to.y + NODE_HEIGHT / 2];
  const mid = (x1 + x2) / 2;
  return `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
}

function labelAt(from: GraphNode, to: GraphNode, layout: Layout): { x: number; y: number } {
  const width = nodeWidth(layout);
  if (layout === 'narrow')
    return { x: (from.x + to.x + width) / 2, y: (from.y + NODE_HEIGHT + to.y) / 2 + 4 };
  return { x: (from.x + width + to.x) / 2, y: (from.y + to.y) / 2 + NODE_HEIGHT / 2 - 6 };
}

export function FlowGraph({
  graph,
  linkOf,
}: {
  graph: Graph;
  linkOf: (node: GraphNode) => string | undefined;
}) {
  const width = nodeWidth(graph.layout);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return (
    <div class="graph-frame">
      <svg
        id="graph"
        viewBox={`0 0 ${graph.width} ${graph.height}`}
        role="img"
        aria-label="Flow graph: applications, brokers, triggers and subscribers with event rates"
      >
        {graph.titles.map((title) => (
          <text key={title.kind} class="column" x={title.x} y={title.y}>
            {title.kind === 'subscriber' ? 'subscribers and functions' : `${title.kind}s`}
          </text>
        ))}
        {graph.edges.map((edge) => {
          const from = byId.get(edge.from);
          const to = byId.get(edge.to);
          if (from === undefined || to === undefined) return null;
          const moving = edge.count > 0;
          const label = labelAt(from, to, graph.layout);
          return (
            <g
              key={`${edge.from}>${edge.to}`}
              class={`edge${moving ? ' moving' : ''}${edge.failing ? ' failing' : ''}`}
              data-from={edge.from}
              data-to={edge.to}
              data-count={edge.count}
            >
              <path d={edgePath(from, to, graph.layout)} />
              <text x={label.x} y={label.y}>
                {moving ? `${rateText(edge.rate)} (${edge.count})` : '0/s'}
              </text>
            </g>
          );
        })}
        {graph.nodes.map((node) => {
          const box = (
            <>
              <title>{`${node.kind} ${node.label}: ${node.detail}`}</title>
              <rect width={width} height={NODE_HEIGHT} rx={8} />
              <text x={10} y={19} class="label">
                {node.label}
              </text>
              <text x={10} y={36} class="detail">
                {node.detail}
              </text>
            </>
          );
          const href = linkOf(node);
          return (
            <g
              key={node.id}
              class={`node ${node.kind}${node.ok ? '' : ' bad'}`}
              data-node={node.id}
              transform={`translate(${node.x},${node.y})`}
            >
              {href === undefined ? box : <a href={href}>{box}</a>}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
