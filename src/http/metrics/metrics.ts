import { MetricsRegistry, type Counter, type Histogram } from './registry.ts';

/**
 * The service's metrics. The HTTP layer records requests; use cases, the
 * scheduler and the store record operations and batch sizes through
 * `operation()` and `batch()`, so every caller uses the same names and labels.
 */
export interface Metrics {
  readonly registry: MetricsRegistry;
  /** One finished HTTP request; `route` is the route pattern, never the raw path. */
  request(method: string, route: string, status: number, seconds: number): void;
  /** One business operation, e.g. ('purchase', 'ok') or ('proposal', 'insufficient_connects'). */
  operation(type: string, outcome: string, seconds?: number): void;
  /** The size of one batch of work, e.g. ('tick_accounts', 500). */
  batch(kind: string, size: number): void;
  /** The Prometheus text exposition of everything above. */
  render(): string;
}

// Request latencies, in seconds: from a fast read to a slow write under load.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Batch sizes: powers of two up to the largest batch any limit allows.
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];

export function createMetrics(): Metrics {
  const registry = new MetricsRegistry();
  const requests: Counter = registry.counter(
    'connects_http_requests_total',
    'HTTP requests by method, route pattern and status.',
    ['method', 'route', 'status'],
  );
  const requestSeconds: Histogram = registry.histogram(
    'connects_http_request_duration_seconds',
    'HTTP request latency by method and route pattern.',
    ['method', 'route'],
    LATENCY_BUCKETS,
  );
  const operations: Counter = registry.counter(
    'connects_operations_total',
    'Business operations by type and outcome (ok or an error code).',
    ['type', 'outcome'],
  );
  const operationSeconds: Histogram = registry.histogram(
    'connects_operation_duration_seconds',
    'Business operation latency by type.',
    ['type'],
    LATENCY_BUCKETS,
  );
  const batchSizes: Histogram = registry.histogram(
    'connects_batch_size',
    'Items handled per batch, by kind of batch.',
    ['kind'],
    BATCH_BUCKETS,
  );
  return {
    registry,
    request(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      requestSeconds.observe({ method, route }, seconds);
    },
    operation(type, outcome, seconds) {
      operations.inc({ type, outcome });
      if (seconds !== undefined) operationSeconds.observe({ type }, seconds);
    },
    batch(kind, size) {
      batchSizes.observe({ kind }, size);
    },
    render: () => registry.render(),
  };
}
