/**
 * The replicas of one version of a function (one source, dependencies, env and memory limit). Each replica
 * slot restarts its process after a crash, waiting 1 s doubling to 30 s between crashes in a row, and forgets
 * the crashes once a replica has served for a minute. A module that fails to load is not restarted: the
 * same source would fail again.
 */
import { restartDelayMs } from './launch.js';
import type { Replica } from './replica.js';

/** A replica that served this long resets its slot's crash count. */
const HEALTHY_AFTER_MS = 60_000;

export type ReplicaStarter = (index: number) => Promise<Replica>;

class Slot {
  replica: Replica | undefined;
  crashes = 0;
  lastCrash: string | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly index: number,
    private readonly generation: Generation,
  ) {}

  run(): void {
    if (this.stopped) return;
    this.generation.start(this.index).then(
      (replica) => this.watch(replica),
      (error: unknown) => this.generation.failed(`the replica could not start: ${String(error)}`),
    );
  }

  private watch(replica: Replica): void {
    if (this.stopped) {
      void replica.stop(0);
      return;
    }
    this.replica = replica;
    let healthy: NodeJS.Timeout | undefined;
    replica.ready.then(
      () => {
        healthy = setTimeout(() => (this.crashes = 0), HEALTHY_AFTER_MS);
        healthy.unref();
        this.generation.changed();
      },
      () => {},
    );
    void replica.exited.then((exit) => {
      clearTimeout(healthy);
      this.replica = undefined;
      if (this.stopped || exit.cause === 'stopped') return this.generation.changed();
      if (exit.cause === 'load-error') return this.generation.failed(exit.message);
      this.crashes++;
      this.lastCrash = exit.message;
      this.generation.changed();
      this.timer = setTimeout(() => this.run(), restartDelayMs(this.crashes));
    });
  }

  async stop(drainMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.replica?.stop(drainMs);
  }
}

export class Generation {
  private readonly slots: Slot[] = [];
  /** Set when the module failed to load: the version cannot serve. */
  loadError: string | undefined;
  private settle: ((ok: boolean) => void) | undefined;
  /** Resolves true when a replica first serves, false when the module failed to load. */
  readonly firstReady: Promise<boolean>;

  constructor(
    readonly key: string,
    readonly start: ReplicaStarter,
    private readonly onChange: () => void,
  ) {
    this.firstReady = new Promise((resolve) => (this.settle = resolve));
  }

  scale(count: number): void {
    while (this.slots.length < count) {
      const slot = new Slot(this.slots.length, this);
      this.slots.push(slot);
      slot.run();
    }
    for (const slot of this.slots.splice(count)) void slot.stop(0);
    this.onChange();
  }

  get size(): number {
    return this.slots.length;
  }

  serving(): Replica[] {
    return this.slots.flatMap((slot) => (slot.replica?.pool ? [slot.replica] : []));
  }

  /** The slot in the longest crash loop, if any replica crashed since it last served a minute. */
  crashLoop(): { readonly restarts: number; readonly message: string } | undefined {
    let worst: Slot | undefined;
    for (const slot of this.slots) if (slot.crashes > (worst?.crashes ?? 0)) worst = slot;
    return worst ? { restarts: worst.crashes, message: worst.lastCrash ?? '' } : undefined;
  }

  changed(): void {
    if (this.serving().length > 0) this.settle?.(true);
    this.onChange();
  }

  failed(message: string): void {
    this.loadError ??= message;
    this.settle?.(false);
    this.onChange();
  }

  async stop(drainMs: number): Promise<void> {
    this.settle?.(false);
    await Promise.all(this.slots.map((slot) => slot.stop(drainMs)));
  }
}
