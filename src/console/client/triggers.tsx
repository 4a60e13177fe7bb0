/** Triggers of the namespace with their delivery health, and what can be done to each. */
import { useState } from 'preact/hooks';
import { kindOf, deleteObject, replay, setPaused, toYaml } from './actions.js';
import { errorText } from './api.js';
import { useConsole } from './context.js';
import {
  brokerOf,
  filterSummary,
  isPaused,
  percentText,
  rateText,
  subscriberOf,
  truncate,
} from './format.js';
import { useCollection } from './live.js';
import { templateOf } from './templates.js';
import type { Resource, TriggerStats } from './types.js';
import {
  ConfirmDialog,
  Empty,
  ReadyBadge,
  useBrokerStats,
  useKind,
  useNamespaced,
  ViewHeader,
  type ConfirmRequest,
} from './ui.js';

export function Triggers() {
  const { store, namespace, kinds, edit } = useConsole();
  const triggerKind = useKind('Trigger');
  const triggers = useNamespaced(triggerKind, useCollection(store, triggerKind));
  const stats = useBrokerStats([...new Set(triggers.map(brokerOf))]);
  const [confirm, setConfirm] = useState<ConfirmRequest | undefined>();
  return (
    <section aria-labelledby="view-title">
      <ViewHeader title={`Triggers in ${namespace}`}>
        <button type="button" onClick={() => edit(templateOf(triggerKind, namespace), 'New trigger')}>
          New trigger
        </button>
      </ViewHeader>
      {triggers.length === 0 ? (
        <Empty title={`No triggers in ${namespace}`}>
          A trigger routes a broker's events, filtered, to a subscriber. Press <b>New trigger</b> to start
          from a template.
        </Empty>
      ) : (
        <table class="list" id="triggers">
          <thead>
            <tr>
              <th>Name</th>
              <th>Broker</th>
              <th>Filter</th>
              <th>Subscriber</th>
              <th>Ready</th>
              <th>Health</th>
              <th>Last error</th>
              <th>
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {triggers.map((t) => (
              <TriggerRow
                key={t.metadata.name}
                trigger={t}
                stats={stats.get(brokerOf(t))?.triggers[t.metadata.name]}
                confirm={setConfirm}
                onEdit={() => edit(toYaml(t), `Edit trigger ${t.metadata.name}`)}
                kindsReady={kinds.length > 0}
              />
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog request={confirm} close={() => setConfirm(undefined)} />
    </section>
  );
}

function TriggerRow(props: {
  trigger: Resource;
  stats: TriggerStats | undefined;
  confirm: (request: ConfirmRequest) => void;
  onEdit: () => void;
  kindsReady: boolean;
}) {
  const { kinds, navigate, notify, namespace } = useConsole();
  const { trigger, stats } = props;
  const name = trigger.metadata.name;
  const paused = isPaused(trigger);
  const kind = kindOf(kinds, 'Trigger');
  const togglePause = async () => {
    try {
      await setPaused(kind, trigger, !paused);
      notify(`Trigger ${name} ${paused ? 'resumed' : 'paused'}.`);
    } catch (error) {
      notify(`Could not ${paused ? 'resume' : 'pause'} ${name}: ${errorText(error)}`, true);
    }
  };
  const askReplay = () =>
    props.confirm({
      title: `Replay events to ${name}?`,
      body: `Every retained event of the last hour that ${name}'s filter matches is delivered to its subscriber again.`,
      action: 'Replay the last hour',
      run: async () => {
        const count = await replay(kind, namespace, name, new Date(Date.now() - 3_600_000));
        notify(`Replayed ${count} events to ${name}.`);
      },
    });
  const askDelete = () =>
    props.confirm({
      title: `Delete trigger ${name}?`,
      body: `Its pending deliveries are dropped and ${subscriberOf(trigger) || 'its subscriber'} gets no more events.`,
      action: 'Delete',
      run: async () => {
        await deleteObject(kind, trigger);
        notify(`Trigger ${name} deleted.`);
      },
    });
  return (
    <tr data-key={name} data-ready={paused ? 'Paused' : undefined}>
      <td data-label="Name" class="name">
        {name}
      </td>
      <td data-label="Broker">{brokerOf(trigger)}</td>
      <td data-label="Filter" class="mono wrap">
        {truncate(filterSummary(trigger.spec), 80)}
      </td>
      <td data-label="Subscriber" class="mono wrap">
        {truncate(subscriberOf(trigger), 60)}
      </td>
      <td data-label="Ready">
        <ReadyBadge object={trigger} />
      </td>
      <td data-label="Health" class="health" data-success={stats?.successRate ?? ''}>
        {stats === undefined ? (
          <span class="muted">no statistics yet</span>
        ) : (
          <>
            <span title="delivered / (delivered + failed), last 60 s">
              {percentText(stats.successRate)} ok
            </span>{' '}
            <span class="muted">
              {stats.delivered} delivered, {stats.failed} failed, {stats.pending} pending,{' '}
              {rateText(stats.deliveredPerSecond)}
              {stats.latencyMs ? `, p50 ${stats.latencyMs.p50} ms, p95 ${stats.latencyMs.p95} ms` : ''}
            </span>
          </>
        )}
      </td>
      <td data-label="Last error" class="wrap">
        {stats?.lastError ? (
          <a
            href="#"
            onClick={(e) => {
              e.preventDefault();
              navigate('event', brokerOf(trigger), stats.lastError?.source ?? '', stats.lastError?.id ?? '');
            }}
          >
            {stats.lastError.result} ({truncate(stats.lastError.id, 24)})
          </a>
        ) : (
          <span class="muted">none</span>
        )}
      </td>
      <td class="actions">
        <button
          type="button"
          onClick={() => void togglePause()}
          aria-label={`${paused ? 'Resume' : 'Pause'} ${name}`}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" onClick={() => navigate('events', name)} aria-label={`Deliveries of ${name}`}>
          Deliveries
        </button>
        <button type="button" onClick={askReplay} aria-label={`Replay events to ${name}`}>
          Replay
        </button>
        <button type="button" onClick={props.onEdit} aria-label={`Edit ${name}`}>
          Edit
        </button>
        <button type="button" class="danger" onClick={askDelete} aria-label={`Delete ${name}`}>
          Delete
        </button>
      </td>
    </tr>
  );
}
