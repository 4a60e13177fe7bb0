/**
 * Knative condition sets (knative-specs common/error-signalling.md): every resource has a summary `Ready`
 * condition derived from its other conditions. A False dependent makes Ready False, an Unknown one makes it
 * Unknown, and Ready is True only when every dependent is True. Conditions that are not True carry the
 * reason and message of the dependent that holds Ready back.
 */
import type { Condition, ConditionStatus } from './object.js';

export const READY = 'Ready';

export type ConditionUpdate = Omit<Condition, 'lastTransitionTime'>;

/** The dependents whose statuses make up `Ready` for one kind, in the order they are reported. */
export interface ConditionSet {
  readonly dependents: readonly string[];
  /**
   * Dependents that count only while present, after the others (a trigger's `DeliveryActive` exists only
   * while it is paused, so that an unpaused trigger has exactly Knative's conditions).
   */
  readonly optional: readonly string[];
}

export function conditionSet(dependents: readonly string[], optional: readonly string[] = []): ConditionSet {
  return { dependents, optional };
}

/**
 * Sets one condition. `lastTransitionTime` is the time the status last changed, so it is kept when the
 * status stays the same (reason and message may still change). The result has one entry per type, `Ready`
 * first and the others by type, so that stored statuses compare equal when nothing changed.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  condition: ConditionUpdate,
  now: string,
): Condition[] {
  const next = stamped(
    conditions?.find((c) => c.type === condition.type),
    condition,
    now,
  );
  const others = (conditions ?? []).filter((c) => c.type !== condition.type);
  return sortConditions([...dedupe(others), next]);
}

/** The condition `update` makes of `previous`: its time kept while the status stays, empty texts left out. */
function stamped(previous: Condition | undefined, condition: ConditionUpdate, now: string): Condition {
  const lastTransitionTime =
    previous !== undefined &&
    previous.status === condition.status &&
    previous.lastTransitionTime !== undefined
      ? previous.lastTransitionTime
      : now;
  const next: Condition = { type: condition.type, status: condition.status };
  if (condition.reason !== undefined && condition.reason !== '') next.reason = condition.reason;
  if (condition.message !== undefined && condition.message !== '') next.message = condition.message;
  next.lastTransitionTime = lastTransitionTime;
  return next;
}

/**
 * `Ready` as the Knative condition set derives it from the dependents: True when all are True (or there
 * are none); False with the reason and message of the first False; otherwise Unknown with those of the
 * first Unknown.
 */
export function readyFrom(dependents: readonly Condition[]): ConditionUpdate {
  const firstFalse = dependents.find((c) => c.status === 'False');
  if (firstFalse !== undefined) return summary('False', firstFalse);
  const firstUnknown = dependents.find((c) => c.status !== 'True');
  if (firstUnknown !== undefined) return summary('Unknown', firstUnknown);
  return { type: READY, status: 'True' };
}

function summary(status: ConditionStatus, cause: Condition): ConditionUpdate {
  const ready: ConditionUpdate = { type: READY, status };
  if (cause.reason !== undefined) ready.reason = cause.reason;
  if (cause.message !== undefined) ready.message = cause.message;
  return ready;
}

/**
 * Sets a dependent condition of `set` and re-derives `Ready` from all of the set's dependents (a dependent
 * never set counts as Unknown). Setting `Ready` itself only sets it: kinds without dependents do that.
 */
export function markCondition(
  set: ConditionSet,
  conditions: readonly Condition[] | undefined,
  condition: ConditionUpdate,
  now: string,
): Condition[] {
  const updated = setCondition(conditions, condition, now);
  if (condition.type === READY || set.dependents.length === 0) return updated;
  return setCondition(updated, readyFrom(dependentsOf(set, updated)), now);
}

/**
 * Fills in every condition of the set that is missing as Unknown and derives `Ready`: the status of a
 * resource that was just accepted and not reconciled yet.
 */
export function initializeConditions(
  set: ConditionSet,
  conditions: readonly Condition[] | undefined,
  now: string,
): Condition[] {
  let result = [...(conditions ?? [])];
  for (const type of set.dependents) {
    if (!result.some((c) => c.type === type)) result = setCondition(result, { type, status: 'Unknown' }, now);
  }
  if (set.dependents.length > 0) return setCondition(result, readyFrom(dependentsOf(set, result)), now);
  if (!result.some((c) => c.type === READY))
    return setCondition(result, { type: READY, status: 'Unknown' }, now);
  return sortConditions(result);
}

function dependentsOf(set: ConditionSet, conditions: readonly Condition[]): Condition[] {
  return dependentsIn(set, firstOfEachType(conditions));
}

/** The conditions by type; of two with the same type, the first counts. */
function firstOfEachType(conditions: readonly Condition[] | undefined): Map<string, Condition> {
  const byType = new Map<string, Condition>();
  for (const c of conditions ?? []) if (!byType.has(c.type)) byType.set(c.type, c);
  return byType;
}

/**
 * How a kind's lifecycle sets conditions (Knative's ConditionManager): each mark sets one condition of the
 * set and re-derives `Ready` from the dependents, so no reconciler ever writes `Ready` itself. A kind
 * without dependents marks `Ready` directly. Each kind wraps these in named helpers (`markBrokerReady`, ...)
 * in its `conditions.ts`, which say the reasons once.
 */
export interface ConditionManager {
  markTrue(type: string, reason?: string, message?: string): void;
  markFalse(type: string, reason: string, message?: string): void;
  markUnknown(type: string, reason: string, message?: string): void;
  /** Removes an optional dependent, which then no longer counts. */
  clear(type: string): void;
  /** The conditions as marked so far, `Ready` first. */
  readonly conditions: Condition[];
  readonly ready: Condition | undefined;
}

export function manageConditions(
  set: ConditionSet,
  initial: readonly Condition[] | undefined,
  now: string,
): ConditionManager {
  return new ManagedConditions(set, initial, now);
}

/**
 * One entry per type, marked in place; the sorted list is built when read. A mark that changes nothing keeps
 * the condition it finds (a stored, frozen one stays shared). A trigger's reconcile marks four conditions: a new
 * trigger's took 6-7 us when each mark made a new condition and the manager was an object of closures, against
 * 1.5-3 us now, with the trigger's lifecycle a class too (bench/conditions.ts).
 */
class ManagedConditions implements ConditionManager {
  private readonly byType: Map<string, Condition>;
  private sorted: Condition[] | undefined;

  constructor(
    private readonly set: ConditionSet,
    initial: readonly Condition[] | undefined,
    private readonly now: string,
  ) {
    this.byType = firstOfEachType(initial);
    for (const type of set.dependents) if (!this.byType.has(type)) this.put(type, 'Unknown');
    if (set.dependents.length > 0) this.deriveReady();
    else if (!this.byType.has(READY)) this.put(READY, 'Unknown');
  }

  markTrue(type: string, reason?: string, message?: string): void {
    this.mark(type, 'True', reason, message);
  }

  markFalse(type: string, reason: string, message?: string): void {
    this.mark(type, 'False', reason, message);
  }

  markUnknown(type: string, reason: string, message?: string): void {
    this.mark(type, 'Unknown', reason, message);
  }

  clear(type: string): void {
    if (!this.set.optional.includes(type)) throw new Error(`condition ${type} is not optional in this set`);
    if (!this.byType.delete(type)) return;
    this.sorted = undefined;
    this.deriveReady();
  }

  get conditions(): Condition[] {
    this.sorted ??= sortConditions([...this.byType.values()]);
    return this.sorted;
  }

  get ready(): Condition | undefined {
    return this.byType.get(READY);
  }

  private mark(type: string, status: ConditionStatus, reason?: string, message?: string): void {
    if (type === READY ? this.set.dependents.length > 0 : !isMember(this.set, type))
      throw new Error(`condition ${type} is not marked directly in this condition set`);
    this.put(type, status, reason, message);
    if (type !== READY) this.deriveReady();
  }

  /** Sets one condition as `stamped` would, keeping the one there when it already reads the same. */
  private put(type: string, status: ConditionStatus, reason?: string, message?: string): void {
    const previous = this.byType.get(type);
    const update: ConditionUpdate = { type, status };
    if (reason !== undefined && reason !== '') update.reason = reason;
    if (message !== undefined && message !== '') update.message = message;
    if (
      previous !== undefined &&
      previous.status === status &&
      previous.reason === update.reason &&
      previous.message === update.message &&
      previous.lastTransitionTime !== undefined
    )
      return;
    this.byType.set(type, stamped(previous, update, this.now));
    this.sorted = undefined;
  }

  private deriveReady(): void {
    if (this.set.dependents.length === 0) return;
    const { status, reason, message } = readyFrom(dependentsIn(this.set, this.byType));
    this.put(READY, status, reason, message);
  }
}

/** The set's dependents as marked (Unknown when never marked), then the optional ones present. */
function dependentsIn(set: ConditionSet, byType: ReadonlyMap<string, Condition>): Condition[] {
  const found = set.dependents.map((type): Condition => byType.get(type) ?? { type, status: 'Unknown' });
  for (const type of set.optional) {
    const present = byType.get(type);
    if (present !== undefined) found.push(present);
  }
  return found;
}

function isMember(set: ConditionSet, type: string): boolean {
  return set.dependents.includes(type) || set.optional.includes(type);
}

export function getCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** True when the `Ready` condition is True. */
export function isReady(conditions: readonly Condition[] | undefined): boolean {
  return getCondition(conditions, READY)?.status === 'True';
}

function dedupe(conditions: readonly Condition[]): Condition[] {
  const seen = new Set<string>();
  return conditions.filter((c) => {
    if (seen.has(c.type)) return false;
    seen.add(c.type);
    return true;
  });
}

function sortConditions(conditions: Condition[]): Condition[] {
  return conditions.sort((a, b) => {
    if (a.type === b.type) return 0;
    if (a.type === READY) return -1;
    if (b.type === READY) return 1;
    return a.type < b.type ? -1 : 1;
  });
}
