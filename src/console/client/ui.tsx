/** Small shared pieces: badges, empty states, the confirmation dialog, polling and kind lookup hooks. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText, getJson, sleep } from './api.js';
import { useConsole } from './context.js';
import { readyOf } from './format.js';
import { collectionPath, findKind, type Kind } from './kinds.js';
import type { BrokerStats, Resource } from './types.js';

export function ReadyBadge({ object }: { object: Resource }) {
  const ready = readyOf(object);
  const text =
    ready.status === 'True' ? 'Ready' : ready.status === 'False' ? ready.reason || 'Not ready' : 'Unknown';
  return (
    <span
      class={`badge ${ready.status.toLowerCase()}`}
      title={ready.message || undefined}
      data-ready={ready.status}
    >
      {text}
    </span>
  );
}

/** What is empty, and what to do next. */
export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty" role="status">
      <strong>{title}</strong>
      {children ? <p>{children}</p> : null}
    </div>
  );
}

export function ViewHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="view-head">
      <h2>{title}</h2>
      <div class="tools">{children}</div>
    </div>
  );
}

export interface ConfirmRequest {
  readonly title: string;
  readonly body: string;
  readonly action: string;
  run(): Promise<void>;
}

/** A modal <dialog>: focus moves into it, Escape cancels, the action button says what will happen. */
export function ConfirmDialog({
  request,
  close,
}: {
  request: ConfirmRequest | undefined;
  close: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (request !== undefined && !dialog.open) {
      setError('');
      dialog.showModal();
    } else if (request === undefined && dialog.open) dialog.close();
  }, [request]);
  const confirm = async () => {
    if (request === undefined) return;
    setBusy(true);
    try {
      await request.run();
      close();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} class="confirm" aria-labelledby="confirm-title" onClose={close}>
      <h3 id="confirm-title">{request?.title}</h3>
      <p>{request?.body}</p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="tools">
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => void confirm()}>
          {request?.action}
        </button>
      </div>
    </dialog>
  );
}

export function useKind(kind: string): Kind | undefined {
  return findKind(useConsole().kinds, kind);
}

/** Objects of a kind in the selected namespace (or all of a cluster-scoped kind), kept live. */
export function useNamespaced(kind: Kind | undefined, items: readonly Resource[]): Resource[] {
  const { namespace } = useConsole();
  if (kind === undefined) return [];
  return kind.namespaced ? items.filter((o) => o.metadata.namespace === namespace) : [...items];
}

/** Polls `fn` every `everyMs` while the tab is visible; the latest result (or error) is returned. */
export function usePoll<T>(fn: (signal: AbortSignal) => Promise<T>, deps: unknown[], everyMs = 2000) {
  const [state, setState] = useState<{ value?: T; error: string }>({ error: '' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    void (async () => {
      while (!signal.aborted) {
        if (!document.hidden) {
          try {
            const value = await fn(signal);
            if (!signal.aborted) setState({ value, error: '' });
          } catch (error) {
            if (!signal.aborted) setState((s) => ({ ...s, error: errorText(error) }));
          }
        }
        await sleep(everyMs, signal);
      }
    })();
    return () => controller.abort();
  }, [...deps, tick]);
  return { ...state, refresh: () => setTick((t) => t + 1) };
}

/** The delivery statistics of the namespace's brokers, polled every 2 s (docs/api.md, `stats`). */
export function useBrokerStats(brokerNames: readonly string[]): Map<string, BrokerStats> {
  const { namespace } = useConsole();
  const broker = useKind('Broker');
  const key = brokerNames.join(',');
  const { value } = usePoll(
    async (signal) => {
      const stats = new Map<string, BrokerStats>();
      if (broker === undefined) return stats;
      for (const name of brokerNames) {
        const path = `${collectionPath(broker, namespace)}/${encodeURIComponent(name)}/stats`;
        try {
          stats.set(name, await getJson<BrokerStats>(path, signal));
        } catch {
          // a broker not wired yet has no statistics; the others still show
        }
      }
      return stats;
    },
    [namespace, key, broker],
  );
  return value ?? new Map();
}
