/**
 * `?watch=true`: the changes to one kind (in one namespace or all), as `{"type","object"}` values.
 * Without a resourceVersion (or with "0") the watch starts with an ADDED for every existing object, as
 * Kubernetes does; with one it resumes right after it, so a client that saw version N misses nothing.
 */
import { fromStorage, type ServedKind } from '../../core/resources/index.js';
import type { Resource } from '../../core/resources/object.js';
import type { ResourceStore, WatchEventType } from '../../store/contracts.js';
import { matchesSelector, type LabelSelector } from './labels.js';

export interface WatchLine {
  readonly type: WatchEventType;
  readonly object: Resource;
}

export interface WatchOptions {
  /** The kind watched, and the version its objects are shown in. */
  readonly served: ServedKind;
  readonly namespace?: string;
  readonly selector: LabelSelector;
  readonly resourceVersion?: string;
  readonly signal: AbortSignal;
}

export async function* watchObjects(store: ResourceStore, options: WatchOptions): AsyncGenerator<WatchLine> {
  const { served, namespace, selector, signal } = options;
  const { kind } = served;
  const selects = (object: Resource): boolean =>
    object.kind === kind.kind &&
    (namespace === undefined || object.metadata.namespace === namespace) &&
    matchesSelector(selector, object.metadata.labels);
  const resume =
    options.resourceVersion !== undefined &&
    options.resourceVersion !== '' &&
    options.resourceVersion !== '0';
  // The store registers a watch when it is called, so opening it before listing leaves no gap.
  const since = resume ? options.resourceVersion : store.currentVersion();
  const changes = store.watch({ since, signal });
  if (!resume) {
    for (const object of await store.list(kind.kind, namespace)) {
      if (selects(object)) yield { type: 'ADDED', object: fromStorage(served, object) };
    }
  }
  for await (const change of changes) {
    if (selects(change.object)) yield { type: change.type, object: fromStorage(served, change.object) };
  }
}
