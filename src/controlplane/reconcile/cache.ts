/** The reconciler's view of every stored resource, kept current by the store's watch. */
import type { Resource } from '../../core/resources/object.js';

export class ResourceCache {
  private readonly byKind = new Map<string, Map<string, Resource>>();

  put(object: Resource): void {
    let objects = this.byKind.get(object.kind);
    if (!objects) this.byKind.set(object.kind, (objects = new Map()));
    objects.set(keyOf(object.metadata.namespace, object.metadata.name), object);
  }

  remove(object: Resource): void {
    this.byKind.get(object.kind)?.delete(keyOf(object.metadata.namespace, object.metadata.name));
  }

  get(kind: string, namespace: string | undefined, name: string): Resource | undefined {
    return this.byKind.get(kind)?.get(keyOf(namespace, name));
  }

  list(kind: string, namespace?: string): Resource[] {
    const all = [...(this.byKind.get(kind)?.values() ?? [])];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }
}

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}
