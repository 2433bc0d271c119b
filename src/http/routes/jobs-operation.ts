import type { Result } from '../../core/errors.ts';
import { unwrap } from '../errors.ts';
import type { Metrics } from '../metrics/metrics.ts';

/**
 * Runs one use case for a route: records it in the operation metrics (type,
 * outcome `ok` or the error code, latency) and returns its value, or throws
 * its expected failure for the error handler to render.
 */
export async function runOperation<T>(
  metrics: Metrics,
  type: string,
  work: () => Promise<Result<T>>,
): Promise<T> {
  const started = performance.now();
  const result = await work();
  metrics.operation(type, result.ok ? 'ok' : result.error.code, (performance.now() - started) / 1000);
  return unwrap(result);
}
