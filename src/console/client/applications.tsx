/**
 * Applications (Kyma, cluster-scoped) and their bindings: an ApplicationMapping named after an application
 * in a namespace lets its events reach that namespace's `default` broker (ARCHITECTURE 2.3).
 */
import { useState } from 'preact/hooks';
import { applyObject, deleteObject, kindOf, toYaml } from './actions.js';
import { errorText } from './api.js';
import { useConsole } from './context.js';
import { ageOf } from './format.js';
import { apiVersionOf } from './kinds.js';
import { useCollection } from './live.js';
import { templateOf } from './templates.js';
import { ConfirmDialog, Empty, ReadyBadge, useKind, ViewHeader, type ConfirmRequest } from './ui.js';

export function Applications() {
  const { store, namespace, kinds, notify, edit } = useConsole();
  const applicationKind = useKind('Application');
  const mappingKind = useKind('ApplicationMapping');
  const applications = useCollection(store, applicationKind);
  const mappings = useCollection(store, mappingKind);
  const [confirm, setConfirm] = useState<ConfirmRequest | undefined>();
  if (applicationKind === undefined || mappingKind === undefined) {
    return <Empty title="This server serves no Application kind" />;
  }
  const bind = async (name: string) => {
    try {
      const mapping = {
        apiVersion: apiVersionOf(mappingKind),
        kind: 'ApplicationMapping',
        metadata: { name, namespace },
      };
      await applyObject(kinds, mapping, namespace);
      notify(`Application ${name} is bound to ${namespace}: its events reach the default broker there.`);
    } catch (error) {
      notify(`Could not bind ${name}: ${errorText(error)}`, true);
    }
  };
  const askUnbind = (name: string) => {
    const mapping = mappings.find((m) => m.metadata.name === name && m.metadata.namespace === namespace);
    if (mapping === undefined) return;
    setConfirm({
      title: `Unbind ${name} from ${namespace}?`,
      body: `Events of ${name} stop reaching namespace ${namespace}; its gateway answers as for an unbound namespace.`,
      action: 'Unbind',
      run: async () => {
        await deleteObject(mappingKind, mapping);
        notify(`Application ${name} unbound from ${namespace}.`);
      },
    });
  };
  const askDelete = (name: string) => {
    const application = applications.find((a) => a.metadata.name === name);
    if (application === undefined) return;
    setConfirm({
      title: `Delete application ${name}?`,
      body: 'Its token stops working and its events are refused by the gateway.',
      action: 'Delete',
      run: async () => {
        await deleteObject(kindOf(kinds, 'Application'), application);
        notify(`Application ${name} deleted.`);
      },
    });
  };
  return (
    <section aria-labelledby="view-title">
      <ViewHeader title="Applications">
        <button type="button" onClick={() => edit(templateOf(applicationKind, namespace), 'New application')}>
          New application
        </button>
      </ViewHeader>
      {applications.length === 0 ? (
        <Empty title="No applications">
          An application is an external system that sends events through the gateway. Press{' '}
          <b>New application</b>, then bind it to this namespace.
        </Empty>
      ) : (
        <table class="list" id="applications">
          <thead>
            <tr>
              <th>Name</th>
              <th>Ready</th>
              <th>Bound to</th>
              <th>Events URL</th>
              <th>Age</th>
              <th>
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {applications.map((a) => {
              const name = a.metadata.name;
              const bound = mappings
                .filter((m) => m.metadata.name === name)
                .map((m) => m.metadata.namespace ?? '');
              const here = bound.includes(namespace);
              return (
                <tr key={name} data-key={name} data-bound={here ? 'true' : 'false'}>
                  <td data-label="Name" class="name">
                    {name}
                  </td>
                  <td data-label="Ready">
                    <ReadyBadge object={a} />
                  </td>
                  <td data-label="Bound to">
                    {bound.length === 0 ? <span class="muted">no namespace</span> : bound.join(', ')}
                  </td>
                  <td data-label="Events URL" class="mono wrap">
                    {String(a.status?.['eventsUrl'] ?? '')}
                  </td>
                  <td data-label="Age">{ageOf(a.metadata.creationTimestamp, Date.now())}</td>
                  <td class="actions">
                    {here ? (
                      <button type="button" onClick={() => askUnbind(name)}>
                        Unbind from {namespace}
                      </button>
                    ) : (
                      <button type="button" class="primary" onClick={() => void bind(name)}>
                        Bind to {namespace}
                      </button>
                    )}
                    <button
                      type="button"
                      onClick={() => edit(toYaml(a), `Edit application ${name}`)}
                      aria-label={`Edit ${name}`}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      class="danger"
                      onClick={() => askDelete(name)}
                      aria-label={`Delete ${name}`}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ConfirmDialog request={confirm} close={() => setConfirm(undefined)} />
    </section>
  );
}
