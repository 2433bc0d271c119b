import type { Policy } from '../../core/policy/schema.ts';
import type { PolicyTimeline } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { EventsDb } from '../../events/types.ts';
import {
  readStoredTimeline,
  readTimelineVersion,
  seedTimeline,
  type StoredTimeline,
} from './stored-timeline.ts';

/** How often a process asks the store whether the timeline changed. */
export const POLICY_POLL_MS = 2_000;

/**
 * The stored policy timeline, cached in memory and swapped whole when the
 * store's version moves. It IS a PolicyTimeline (its `policies` and `starts`
 * read the current snapshot), so the use cases, the routes and the scheduler
 * keep reading `ctx.timeline` unchanged and see a change at their next read.
 *
 * Why a swap mid-request is harmless: a change only adds or removes policies
 * that start after the service's time, so `policyAt(t)` for any t up to now
 * is the same before and after; and the pure rules read a timeline
 * synchronously, so no single call ever mixes two snapshots.
 */
export class LivePolicyTimeline implements PolicyTimeline {
  #snapshot: StoredTimeline;
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<StoredTimeline> | undefined;
  readonly #db: EventsDb;

  constructor(db: EventsDb, initial: StoredTimeline) {
    this.#db = db;
    this.#snapshot = initial;
  }

  get policies(): readonly Policy[] {
    return this.#snapshot.timeline.policies;
  }

  get starts(): readonly Instant[] {
    return this.#snapshot.timeline.starts;
  }

  /** The snapshot in use: the timeline, its records and the version it was read at. */
  get stored(): StoredTimeline {
    return this.#snapshot;
  }

  /** A frozen copy of the current timeline, for work that must not see a later change. */
  current(): PolicyTimeline {
    return this.#snapshot.timeline;
  }

  /**
   * Reloads when the store's version differs from the cached one (one small
   * read otherwise). Concurrent calls share one reload. Returns the snapshot.
   */
  async refresh(): Promise<StoredTimeline> {
    if (this.#reloading !== undefined) return this.#reloading;
    this.#reloading = (async () => {
      try {
        const version = await readTimelineVersion(this.#db);
        if (version !== this.#snapshot.version) this.#snapshot = await readStoredTimeline(this.#db);
        return this.#snapshot;
      } finally {
        this.#reloading = undefined;
      }
    })();
    return this.#reloading;
  }

  /**
   * Polls every `intervalMs` (default POLICY_POLL_MS). A failed poll (the
   * database away) keeps the cached timeline and is reported to `onError`;
   * the next poll tries again.
   */
  startPolling(intervalMs = POLICY_POLL_MS, onError: (error: unknown) => void = () => {}): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.refresh().catch(onError);
    }, intervalMs);
    this.#timer.unref();
  }

  /**
   * Stops the poll and lets a reload in flight finish, for at most `graceMs`: with the database hung a
   * reload waits for its timeouts, and a shutdown must not (the store's close ends it either way).
   */
  async stopPolling(graceMs = 1_000): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    const reloading = this.#reloading;
    if (reloading === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([
      reloading.then(
        () => undefined,
        () => undefined,
      ),
      grace,
    ]);
    clearTimeout(timer);
  }
}

/**
 * The timeline of a deployment: seeds the built-in eras on the very first
 * start, then reads the stored timeline. The server, the CLI and library
 * users who want the operator's timeline open it this way and pass it to
 * `createConnects({ timeline })`.
 */
export async function openPolicyTimeline(db: EventsDb, now: Instant): Promise<LivePolicyTimeline> {
  await seedTimeline(db, now);
  return readPolicyTimeline(db);
}

/**
 * The stored timeline without seeding: a store never seeded reads as the
 * built-in eras (the seed would store exactly those). For commands that should
 * not write, such as `connects verify`; the first change seeds.
 */
export async function readPolicyTimeline(db: EventsDb): Promise<LivePolicyTimeline> {
  return new LivePolicyTimeline(db, await readStoredTimeline(db));
}
