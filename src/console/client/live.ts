/**
 * Live collections: each kind the console shows is listed once, then followed with
 * `?watch=true&resourceVersion=<the list's>` (docs/api.md, "Watch"), so no change between the list and the
 * watch is missed; a watch that ends with an ERROR line or a lost connection is replaced by a new list after
 * a growing pause. A browser opens at most six HTTP/1.1 connections per origin, so kinds are followed only
 * while a view uses them (counted), and every watch stops while the tab is hidden.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorText, getJson, readLines, sleep } from './api.js';
import { collectionPath, type Kind, type Resource } from './kinds.js';
import { keyOf } from './format.js';

export class Collection {
  items = new Map<string, Resource>();
  live = false;
  error = '';
  users = 0;
  controller: AbortController | undefined;

  constructor(readonly kind: Kind) {}

  list(): Resource[] {
    return [...this.items.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  }
}

type Listener = () => void;

export class LiveStore {
  private readonly collections = new Map<string, Collection>();
  private readonly listeners = new Set<Listener>();
  private queued = false;
  private hidden = false;

  constructor(readonly kinds: readonly Kind[]) {}

  collection(kind: Kind): Collection {
    let collection = this.collections.get(kind.kind);
    if (collection === undefined) {
      collection = new Collection(kind);
      this.collections.set(kind.kind, collection);
    }
    return collection;
  }

  /** Follows a kind while at least one user holds it; returns the release. */
  use(kind: Kind): () => void {
    const collection = this.collection(kind);
    collection.users++;
    if (collection.users === 1 && !this.hidden) this.start(collection);
    return () => {
      collection.users--;
      if (collection.users === 0) this.halt(collection);
    };
  }

  /** Stops every watch while the tab is hidden; lists and watches again when it is shown. */
  setHidden(hidden: boolean): void {
    this.hidden = hidden;
    for (const collection of this.collections.values()) {
      if (hidden) this.halt(collection);
      else if (collection.users > 0) this.start(collection);
    }
  }

  close(): void {
    this.setHidden(true);
    this.listeners.clear();
  }

  /** Every followed collection streaming: what the header's status pill says. */
  status(): { live: boolean; error: string } {
    const used = [...this.collections.values()].filter((c) => c.users > 0);
    const failing = used.find((c) => c.error !== '');
    return { live: used.length > 0 && used.every((c) => c.live), error: failing?.error ?? '' };
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the views at most once a frame. */
  changed(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      for (const listener of this.listeners) listener();
    });
  }

  private start(collection: Collection): void {
    if (collection.controller !== undefined) return;
    collection.controller = new AbortController();
    void this.follow(collection, collection.controller.signal);
  }

  private halt(collection: Collection): void {
    collection.controller?.abort();
    collection.controller = undefined;
    collection.live = false;
    this.changed();
  }

  private async follow(collection: Collection, signal: AbortSignal): Promise<void> {
    const path = collectionPath(collection.kind);
    let version = '';
    let pause = 500;
    while (!signal.aborted) {
      try {
        if (version === '') {
          const list = await getJson<{ items: Resource[]; metadata?: { resourceVersion?: string } }>(
            path,
            signal,
          );
          collection.items = new Map(list.items.map((o) => [keyOf(o), o]));
          version = String(list.metadata?.resourceVersion ?? '');
          collection.error = '';
          this.changed();
        }
        await readLines(
          `${path}?watch=true&resourceVersion=${encodeURIComponent(version)}`,
          signal,
          (line) => {
            const object = line['object'] as Resource & { message?: string };
            if (line['type'] === 'ERROR') throw new ApiError(0, object.message ?? 'watch failed');
            if (line['type'] === 'DELETED') collection.items.delete(keyOf(object));
            else collection.items.set(keyOf(object), object);
            version = String(object.metadata.resourceVersion ?? version);
            this.changed();
          },
          () => {
            collection.live = true;
            pause = 500;
            this.changed();
          },
        );
      } catch (error) {
        if (signal.aborted || (error instanceof ApiError && error.status === 401)) return;
        collection.error = errorText(error);
        version = '';
      }
      collection.live = false;
      this.changed();
      await sleep(pause, signal);
      pause = Math.min(pause * 2, 10_000);
    }
  }
}

/** Re-renders the calling component whenever the store changed (at most once a frame). */
export function useStoreVersion(store: LiveStore): number {
  const [version, setVersion] = useState(0);
  useEffect(() => store.subscribe(() => setVersion((v) => v + 1)), [store]);
  return version;
}

/** The objects of a kind (all namespaces), followed while the component is shown. */
export function useCollection(store: LiveStore, kind: Kind | undefined): Resource[] {
  useStoreVersion(store);
  useEffect(() => (kind === undefined ? undefined : store.use(kind)), [store, kind]);
  return kind === undefined ? [] : store.collection(kind).list();
}
