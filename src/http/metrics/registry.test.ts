import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';
import { MAX_SERIES_PER_METRIC, MetricsRegistry } from './registry.ts';

describe('MetricsRegistry', () => {
  it('renders counters with HELP, TYPE and escaped labels', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('things_total', 'Things seen.', ['kind']);
    counter.inc({ kind: 'a' });
    counter.inc({ kind: 'a' }, 2);
    counter.inc({ kind: 'say "hi"\\\n' });
    expect(registry.render()).toBe(
      [
        '# HELP things_total Things seen.',
        '# TYPE things_total counter',
        'things_total{kind="a"} 3',
        'things_total{kind="say \\"hi\\"\\\\\\n"} 1',
        '',
      ].join('\n'),
    );
  });

  it('renders cumulative histogram buckets, +Inf, sum and count', () => {
    const registry = new MetricsRegistry();
    const histogram = registry.histogram('size', 'Sizes.', ['kind'], [1, 10]);
    for (const value of [0, 1, 5, 50]) histogram.observe({ kind: 'x' }, value);
    expect(registry.render().split('\n')).toEqual([
      '# HELP size Sizes.',
      '# TYPE size histogram',
      'size_bucket{kind="x",le="1"} 2',
      'size_bucket{kind="x",le="10"} 3',
      'size_bucket{kind="x",le="+Inf"} 4',
      'size_sum{kind="x"} 56',
      'size_count{kind="x"} 4',
      '',
    ]);
  });

  it('refuses a counter going down, duplicate names and unordered buckets', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('c_total', 'C.');
    expect(() => counter.inc({}, -1)).toThrow();
    expect(() => registry.counter('c_total', 'again')).toThrow();
    expect(() => registry.histogram('h', 'H.', [], [2, 1])).toThrow();
    expect(() => registry.counter('bad name', 'B.')).toThrow();
  });

  it('folds series beyond the limit into one so memory stays bounded', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('many_total', 'Many.', ['id']);
    for (let i = 0; i < MAX_SERIES_PER_METRIC + 50; i++) counter.inc({ id: String(i) });
    const lines = registry
      .render()
      .split('\n')
      .filter((l) => l.startsWith('many_total'));
    expect(lines).toHaveLength(MAX_SERIES_PER_METRIC + 1);
    expect(lines).toContain('many_total{id="_other"} 50');
  });
});

describe('createMetrics', () => {
  it('records requests, operations and batch sizes under stable names', () => {
    const metrics = createMetrics();
    metrics.request('GET', '/healthz', 200, 0.002);
    metrics.operation('purchase', 'ok', 0.01);
    metrics.operation('purchase', 'payment_declined');
    metrics.batch('tick_accounts', 300);
    const text = metrics.render();
    expect(text).toContain('connects_http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(text).toContain('connects_http_request_duration_seconds_count{method="GET",route="/healthz"} 1');
    expect(text).toContain('connects_operations_total{type="purchase",outcome="payment_declined"} 1');
    expect(text).toContain('connects_operation_duration_seconds_count{type="purchase"} 1');
    expect(text).toContain('connects_batch_size_bucket{kind="tick_accounts",le="512"} 1');
  });
});
