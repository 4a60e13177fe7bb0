/**
 * Events from the delivery history: the failed ones across the namespace (with the reason, and redeliver),
 * a trigger's recent deliveries, and the timeline of one event's attempts. The history has no stream, so
 * these poll every 2 s while shown.
 */
import { redeliver, kindOf } from './actions.js';
import { errorText, getJson } from './api.js';
import { useConsole } from './context.js';
import { attemptResult, lastResult, truncate } from './format.js';
import { collectionPath } from './kinds.js';
import { useCollection } from './live.js';
import type { DeliveryRecord, Outcome } from './types.js';
import { Empty, useKind, useNamespaced, usePoll, ViewHeader } from './ui.js';

const FAILED: readonly Outcome[] = ['dead-lettered', 'undeliverable'];

function timeOf(timestamp: string): string {
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? '' : new Date(at).toLocaleTimeString();
}

/** Failed events of every broker in the namespace, or (with `trigger`) that trigger's recent deliveries. */
export function EventsView({ trigger }: { trigger?: string }) {
  const { store, namespace, kinds, navigate, notify } = useConsole();
  const brokerKind = useKind('Broker');
  const triggerKind = useKind('Trigger');
  const brokers = useNamespaced(brokerKind, useCollection(store, brokerKind));
  const triggers = useNamespaced(triggerKind, useCollection(store, triggerKind));
  const names = brokers.map((b) => b.metadata.name).join(',');
  const {
    value: records,
    error,
    refresh,
  } = usePoll(
    async (signal) => {
      if (trigger !== undefined) {
        const path = `${collectionPath(kindOf(kinds, 'Trigger'), namespace)}/${encodeURIComponent(trigger)}/deliveries?limit=50`;
        return (await getJson<{ items: DeliveryRecord[] }>(path, signal)).items;
      }
      const all: DeliveryRecord[] = [];
      for (const name of names === '' ? [] : names.split(',')) {
        const path = `${collectionPath(kindOf(kinds, 'Broker'), namespace)}/${encodeURIComponent(name)}/deliveries?outcome=failed&limit=200`;
        all.push(...(await getJson<{ items: DeliveryRecord[] }>(path, signal)).items);
      }
      return all.sort((a, b) => (a.acceptedAt < b.acceptedAt ? 1 : -1));
    },
    [namespace, names, trigger],
  );
  const again = async (record: DeliveryRecord, triggerName: string) => {
    try {
      await redeliver(kindOf(kinds, 'Trigger'), namespace, triggerName, record);
      notify(`Event ${record.id} is being delivered to ${triggerName} again.`);
      refresh();
    } catch (failure) {
      notify(`Could not redeliver ${record.id}: ${errorText(failure)}`, true);
    }
  };
  const running = new Set(triggers.map((t) => t.metadata.name));
  const title = trigger === undefined ? `Failed events in ${namespace}` : `Deliveries of trigger ${trigger}`;
  const list = records ?? [];
  return (
    <section aria-labelledby="view-title">
      <ViewHeader title={title}>
        {error ? <span class="error">{error}</span> : <span class="muted">refreshed every 2 s</span>}
      </ViewHeader>
      {list.length === 0 ? (
        trigger === undefined ? (
          <Empty title="No failed events">
            Events that were dead-lettered or undeliverable after their last retry show up here, with the
            reason, and can be delivered again once the subscriber is fixed.
          </Empty>
        ) : (
          <Empty title="No deliveries yet">
            Events the trigger matches appear here, newest first. Send one to its broker to see it.
          </Empty>
        )
      ) : (
        <table class="list" id="events">
          <thead>
            <tr>
              <th>Accepted</th>
              <th>Broker</th>
              <th>Event</th>
              <th>Type</th>
              <th>Deliveries</th>
            </tr>
          </thead>
          <tbody>
            {list.map((record) => (
              <tr key={`${record.broker}/${record.source}/${record.id}`} data-id={record.id}>
                <td data-label="Accepted" title={record.acceptedAt}>
                  {timeOf(record.acceptedAt)}
                </td>
                <td data-label="Broker">{record.broker}</td>
                <td data-label="Event" class="mono wrap">
                  <a
                    href="#"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate('event', record.broker, record.source, record.id);
                    }}
                  >
                    {truncate(record.id, 40)}
                  </a>
                  <div class="muted small">{truncate(record.source, 40)}</div>
                </td>
                <td data-label="Type">{record.type}</td>
                <td data-label="Deliveries">
                  <ul class="deliveries">
                    {Object.values(record.triggers)
                      .filter((d) => trigger === undefined || d.trigger === trigger)
                      .map((d) => (
                        <li key={d.trigger} data-trigger={d.trigger} data-outcome={d.outcome}>
                          <span class={`badge ${d.outcome}`}>{d.outcome}</span> {d.trigger}:{' '}
                          {lastResult(d.attempts) || 'no attempt yet'} ({d.attempts.length} attempts)
                          {FAILED.includes(d.outcome) && running.has(d.trigger) ? (
                            <button
                              type="button"
                              onClick={() => void again(record, d.trigger)}
                              aria-label={`Redeliver ${record.id} to ${d.trigger}`}
                            >
                              Redeliver
                            </button>
                          ) : null}
                        </li>
                      ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Every attempt of one event, per trigger, in time order: what happened and why. */
export function Timeline({ broker, source, id }: { broker: string; source: string; id: string }) {
  const { namespace, kinds, notify } = useConsole();
  const { value, error, refresh } = usePoll(
    async (signal) => {
      const query = `source=${encodeURIComponent(source)}&id=${encodeURIComponent(id)}&limit=1`;
      const path = `${collectionPath(kindOf(kinds, 'Broker'), namespace)}/${encodeURIComponent(broker)}/deliveries?${query}`;
      return (await getJson<{ items: DeliveryRecord[] }>(path, signal)).items[0] ?? null;
    },
    [namespace, broker, source, id],
  );
  const again = async (triggerName: string) => {
    try {
      await redeliver(kindOf(kinds, 'Trigger'), namespace, triggerName, { source, id });
      notify(`Event ${id} is being delivered to ${triggerName} again.`);
      refresh();
    } catch (failure) {
      notify(`Could not redeliver ${id}: ${errorText(failure)}`, true);
    }
  };
  return (
    <section aria-labelledby="view-title">
      <ViewHeader title={`Event ${truncate(id, 48)}`}>
        {error ? (
          <span class="error">{error}</span>
        ) : (
          <span class="muted">
            broker {broker}, source {source}
          </span>
        )}
      </ViewHeader>
      {value === null ? (
        <Empty title="This event is not in the delivery history">
          The history keeps the server's newest 10,000 events; older ones are forgotten. Check the broker and
          the event's source and id.
        </Empty>
      ) : value === undefined ? (
        <p class="muted">Loading…</p>
      ) : (
        <div id="timeline">
          <p>
            Accepted by broker <b>{value.broker}</b> at{' '}
            <time dateTime={value.acceptedAt}>{value.acceptedAt}</time>, type <code>{value.type}</code>.{' '}
            {value.filtered ? 'No trigger matched it: it was stored and goes nowhere.' : ''}
          </p>
          {Object.values(value.triggers).map((d) => (
            <article key={d.trigger} class="timeline" data-trigger={d.trigger} data-outcome={d.outcome}>
              <h3>
                Trigger {d.trigger} <span class={`badge ${d.outcome}`}>{d.outcome}</span>{' '}
                {FAILED.includes(d.outcome) ? (
                  <button type="button" onClick={() => void again(d.trigger)}>
                    Redeliver to {d.trigger}
                  </button>
                ) : null}
              </h3>
              <ol>
                {d.attempts.length === 0 ? <li class="muted">No attempt yet.</li> : null}
                {d.attempts.map((a, i) => (
                  <li key={i} class={a.status !== undefined && a.status < 300 ? 'ok' : 'bad'}>
                    {i > 0 && a.attempt <= (d.attempts[i - 1]?.attempt ?? 0) ? <b>Redelivered: </b> : null}
                    <time dateTime={a.at}>{timeOf(a.at)}</time> attempt {a.attempt} to {a.target}{' '}
                    <span class="mono">{truncate(a.uri, 50)}</span>: <b>{attemptResult(a)}</b> in{' '}
                    {Math.round(a.durationMs * 10) / 10} ms
                  </li>
                ))}
              </ol>
            </article>
          ))}
        </div>
      )}
    </section>
  );
}
