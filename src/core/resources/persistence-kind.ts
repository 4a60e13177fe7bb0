/** The persistence backends a namespace or broker can use (ARCHITECTURE 2.6). */
export const persistenceKinds = ['memory', 'embedded', 'jetstream'] as const;

export type PersistenceKind = (typeof persistenceKinds)[number];

export function isPersistenceKind(value: unknown): value is PersistenceKind {
  return typeof value === 'string' && (persistenceKinds as readonly string[]).includes(value);
}
