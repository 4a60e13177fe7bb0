/** The overview of one namespace: its brokers with event rate, backlog and failures, and the flow graph. */
import { useConsole } from './context.js';
import { addressOf, namespacePersistence, percentText, plural, rateText, readyOf } from './format.js';
import { buildGraph, NODE_HEIGHT, NODE_WIDTH, type Graph, type GraphNode } from './graph.js';
import { useCollection } from './live.js';
import type { BrokerStats, Resource } from './types.js';
import { Empty, ReadyBadge, useBrokerStats, useKind, useNamespaced, ViewHeader } from './ui.js';

export function Overview() {
  const { store, namespace, navigate } = useConsole();
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
  const graph = buildGraph({ applications, brokers, triggers, stats });
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
        <FlowGraph graph={graph} onOpen={(node) => node.kind === 'trigger' && navigate('triggers')} />
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

function edgePath(from: GraphNode, to: GraphNode): string {
  const x1 = from.x + NODE_WIDTH;
  const y1 = from.y + NODE_HEIGHT / 2;
  const x2 = to.x;
  const y2 = to.y + NODE_HEIGHT / 2;
  const mid = (x1 + x2) / 2;
  return `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
}

export function FlowGraph({ graph, onOpen }: { graph: Graph; onOpen: (node: GraphNode) => void }) {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return (
    <div class="graph-frame">
      <svg
        id="graph"
        viewBox={`0 0 ${graph.width} ${graph.height}`}
        role="img"
        aria-label="Flow graph: applications, brokers, triggers and subscribers with event rates"
      >
        {(['application', 'broker', 'trigger', 'subscriber'] as const).map((kind, i) => (
          <text key={kind} class="column" x={10 + i * 260} y={16}>
            {kind === 'subscriber' ? 'subscribers and functions' : `${kind}s`}
          </text>
        ))}
        {graph.edges.map((edge) => {
          const from = byId.get(edge.from);
          const to = byId.get(edge.to);
          if (from === undefined || to === undefined) return null;
          const moving = edge.count > 0;
          return (
            <g
              key={`${edge.from}>${edge.to}`}
              class={`edge${moving ? ' moving' : ''}${edge.failing ? ' failing' : ''}`}
              data-from={edge.from}
              data-to={edge.to}
              data-count={edge.count}
            >
              <path d={edgePath(from, to)} />
              <text x={(from.x + NODE_WIDTH + to.x) / 2} y={(from.y + to.y) / 2 + NODE_HEIGHT / 2 - 6}>
                {moving ? `${rateText(edge.rate)} (${edge.count})` : '0/s'}
              </text>
            </g>
          );
        })}
        {graph.nodes.map((node) => (
          <g
            key={node.id}
            class={`node ${node.kind}${node.ok ? '' : ' bad'}`}
            data-node={node.id}
            transform={`translate(${node.x},${node.y})`}
            onClick={() => onOpen(node)}
          >
            <title>{`${node.kind} ${node.label}: ${node.detail}`}</title>
            <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx={8} />
            <text x={10} y={19} class="label">
              {node.label}
            </text>
            <text x={10} y={36} class="detail">
              {node.detail}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
