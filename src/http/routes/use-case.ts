import type { Result } from '../../core/errors.ts';
import { unwrap } from '../errors.ts';
import type { Metrics } from '../metrics/metrics.ts';

/**
 * Runs one write use case for a route and counts it in
 * connects_operations_total (type, and `ok` or the error code) with its
 * latency, so /metrics shows operations by type and outcome. Returns the
 * value, or throws the expected failure for the error handler to render.
 */
export async function runUseCase<T>(
  metrics: Metrics,
  type: string,
  work: () => Promise<Result<T>>,
): Promise<T> {
  const started = performance.now();
  const result = await work();
  metrics.operation(type, result.ok ? 'ok' : result.error.code, (performance.now() - started) / 1000);
  return unwrap(result);
}
