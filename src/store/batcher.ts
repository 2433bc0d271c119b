import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Runs a function outside every async context (captured when this module
 * loads, before any request): a batch serves many callers, so it must not
 * run as the one whose item happened to start it (its request scope, actor).
 */
const outsideCallers = AsyncLocalStorage.snapshot();

export interface BatcherOptions {
  /** Most items one batch takes. */
  readonly maxBatch: number;
  /** Longest an item waits for company while another batch is in flight. */
  readonly windowMs: number;
  /** Batches running at once. */
  readonly maxInFlight: number;
  /**
   * When several slots are free, a queue longer than this is spread over
   * them in parts of at least this size, so the database works on them in
   * parallel (on different connections) instead of one batch at a time.
   * Infinity keeps one batch per flush.
   */
  readonly spreadAbove?: number;
}

interface Pending<I, O> {
  readonly item: I;
  readonly queuedAt: number;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit. When nothing is in flight an item starts a batch at once
 * (on the next turn of the event loop, so callers of the same tick share
 * it); while batches are in flight, items gather for at most `windowMs` or
 * until `maxBatch` are waiting, and start when a slot is free. `run` gets
 * the items in arrival order and returns one output per item; if it throws,
 * every item of that batch fails with the error. A batch runs in no
 * caller's async context.
 */
export class Batcher<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: BatcherOptions,
  ) {}

  submit(item: I): Promise<O> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, queuedAt: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Refuses new items and resolves once every queued and running batch is done. */
  close(): Promise<void> {
    this.closed = true;
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    const head = this.queue[0];
    if (head === undefined || this.inFlight >= this.options.maxInFlight) return;
    const waited = performance.now() - head.queuedAt;
    if (
      this.inFlight === 0 ||
      this.queue.length >= this.options.maxBatch ||
      waited >= this.options.windowMs
    ) {
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        this.flush();
      });
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.options.windowMs - waited);
  }

  private flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const free = this.options.maxInFlight - this.inFlight;
    const spread = this.options.spreadAbove ?? Infinity;
    const parts = Math.max(1, Math.min(free, Math.floor(this.queue.length / spread)));
    const size = Math.min(this.options.maxBatch, Math.ceil(this.queue.length / parts));
    for (let part = 0; part < parts - 1; part++) {
      this.inFlight += 1;
      this.start(this.queue.splice(0, size));
    }
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      this.start(batch);
      // Later items wait for the window unless a full batch is already queued.
      if (this.queue.length < this.options.maxBatch) break;
    }
    this.schedule();
  }

  private start(batch: Pending<I, O>[]): void {
    void outsideCallers(() => this.runBatch(batch));
  }

  private async runBatch(batch: Pending<I, O>[]): Promise<void> {
    try {
      const outputs = await this.run(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(outputs[i] as O));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.inFlight -= 1;
      this.schedule();
      if (this.queue.length === 0 && this.inFlight === 0) for (const done of this.idle.splice(0)) done();
    }
  }
}
