/**
 * Any kind the server serves, listed generically (name, Ready, reason, age; edit and delete), so kinds
 * added later (Function, EventPolicy, Kyma Subscription...) are covered without a console change. The
 * Functions view is this list for the Function kind, once the server serves it.
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { deleteObject, toYaml } from './actions.js';
import { getJson } from './api.js';
import { useConsole } from './context.js';
import { compileJsonPath } from '../../core/resources/json-path.js';
import { ageOf } from './format.js';
import { apiVersionOf, objectPath, type Kind, type PrinterColumn } from './kinds.js';
import { useCollection } from './live.js';
import type { Resource } from './types.js';
import {
  ConfirmDialog,
  Empty,
  ReadyBadge,
  useNamespaced,
  usePoll,
  ViewHeader,
  type ConfirmRequest,
} from './ui.js';

export function ResourcesView({ kindName }: { kindName: string }) {
  const { kinds, navigate } = useConsole();
  const listed = kinds.filter((k) => k.kind !== 'Namespace');
  const kind = listed.find((k) => k.kind === kindName) ?? listed[0];
  return (
    <section aria-labelledby="view-title">
      <ViewHeader title="Resources">
        <label>
          Kind{' '}
          <select
            value={kind?.kind}
            onChange={(e) => navigate('resources', (e.target as HTMLSelectElement).value)}
          >
            {listed.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.kind} ({apiVersionOf(k)})
              </option>
            ))}
          </select>
        </label>
      </ViewHeader>
      {kind ? <KindList kind={kind} /> : <Empty title="The server lists no kinds" />}
    </section>
  );
}

/** Ready and Age are kept when a kind lists no columns; the others come from the kind's printer columns. */
const FALLBACK_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

function Cell({ column, object }: { column: PrinterColumn; object: Resource }) {
  if (column.name === 'Ready') return <ReadyBadge object={object} />;
  let value: unknown;
  try {
    value = compileJsonPath(column.jsonPath)(object);
  } catch {
    value = undefined;
  }
  if (value === undefined || value === null) return null;
  if (column.type === 'date') return <>{ageOf(String(value), Date.now())}</>;
  return <>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</>;
}

export function KindList({ kind, logs = false }: { kind: Kind; logs?: boolean }) {
  const { store, namespace, edit, notify } = useConsole();
  const objects = useNamespaced(kind, useCollection(store, kind));
  const [confirm, setConfirm] = useState<ConfirmRequest | undefined>();
  const [open, setOpen] = useState('');
  const columns = kind.columns.length > 0 ? kind.columns : FALLBACK_COLUMNS;
  if (objects.length === 0) {
    return (
      <Empty title={`No ${kind.plural}${kind.namespaced ? ` in ${namespace}` : ''}`}>
        Create one with <b>New</b>: write its YAML (apiVersion {apiVersionOf(kind)}, kind {kind.kind}) and
        apply it.
      </Empty>
    );
  }
  return (
    <>
      <table class="list" id="objects" data-kind={kind.kind}>
        <thead>
          <tr>
            <th>Name</th>
            {columns.map((c) => (
              <th key={c.name}>{c.name}</th>
            ))}
            <th>
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {objects.map((o) => (
            <Fragment key={o.metadata.name}>
              <tr data-key={o.metadata.name}>
                <td data-label="Name" class="name">
                  {o.metadata.name}
                </td>
                {columns.map((c) => (
                  <td key={c.name} data-label={c.name} class="wrap">
                    <Cell column={c} object={o} />
                  </td>
                ))}
                <td class="actions">
                  {logs && kind.subresources.includes('log') ? (
                    <button
                      type="button"
                      onClick={() => setOpen(open === o.metadata.name ? '' : o.metadata.name)}
                    >
                      {open === o.metadata.name ? 'Hide logs' : 'Logs'}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    onClick={() => edit(toYaml(o), `Edit ${kind.kind} ${o.metadata.name}`)}
                    aria-label={`Edit ${o.metadata.name}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    class="danger"
                    aria-label={`Delete ${o.metadata.name}`}
                    onClick={() =>
                      setConfirm({
                        title: `Delete ${kind.kind} ${o.metadata.name}?`,
                        body: 'This cannot be undone.',
                        action: 'Delete',
                        run: async () => {
                          await deleteObject(kind, o);
                          notify(`${kind.kind} ${o.metadata.name} deleted.`);
                        },
                      })
                    }
                  >
                    Delete
                  </button>
                </td>
              </tr>
              {open === o.metadata.name ? (
                <tr class="detail">
                  <td colSpan={columns.length + 2}>
                    <Logs kind={kind} object={o} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
      <ConfirmDialog request={confirm} close={() => setConfirm(undefined)} />
    </>
  );
}

/** A hosted function's recent log lines, from its `log` route (as a Pod's) when the server offers one. */
function Logs({ kind, object }: { kind: Kind; object: Resource }) {
  const { value, error } = usePoll(
    async (signal) => {
      const answer = await getJson<{ items?: unknown[] } | unknown[]>(
        `${objectPath(kind, object)}/log`,
        signal,
      );
      const items = Array.isArray(answer) ? answer : (answer.items ?? []);
      return items.map((line) => {
        if (typeof line === 'string') return line;
        // A hosted function's log line: {time, replica, stream, text, eventId?} (docs/api.md, functions/{name}/log).
        const { time, replica, stream, text, eventId } = line as Record<string, unknown>;
        if (typeof text !== 'string') return JSON.stringify(line);
        const event = typeof eventId === 'string' ? ` [event ${eventId}]` : '';
        return `${String(time ?? '')} ${String(replica ?? '')} ${String(stream ?? '')}${event}: ${text}`;
      });
    },
    [object.metadata.name],
  );
  if (error) return <p class="error">{error}</p>;
  return <pre class="logs">{(value ?? []).join('\n') || 'No log lines yet.'}</pre>;
}

export function Functions() {
  const { kinds } = useConsole();
  const kind = kinds.find((k) => k.kind === 'Function');
  return (
    <section aria-labelledby="view-title">
      <ViewHeader title="Functions" />
      {kind === undefined ? (
        <Empty title="This server does not host functions yet">
          When the server serves the Function kind, its functions are listed here with their state and logs.
          Until then, triggers deliver to subscribers you run yourself (any HTTP endpoint).
        </Empty>
      ) : (
        <KindList kind={kind} logs />
      )}
    </section>
  );
}
