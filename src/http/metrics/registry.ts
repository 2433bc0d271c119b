/**
 * A small Prometheus registry: counters and histograms with labels, rendered
 * in the text exposition format (version 0.0.4). Hand-rolled because the
 * service needs two metric kinds and a dozen series, not a client library.
 */

export type Labels = Readonly<Record<string, string>>;

/** Bounds memory when a label is fed unexpected values; extra series fold into one. */
export const MAX_SERIES_PER_METRIC = 1_000;
const OVERFLOW_VALUE = '_other';

interface Series<T> {
  readonly labels: Labels;
  readonly value: T;
}

abstract class Metric<T> {
  readonly #series = new Map<string, Series<T>>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`invalid metric name ${name}`);
  }

  abstract readonly type: 'counter' | 'histogram';
  protected abstract create(): T;
  abstract renderSeries(labels: Labels, value: T): string[];

  protected seriesFor(labels: Labels): T {
    const picked = this.pick(labels);
    let key = JSON.stringify(picked);
    let series = this.#series.get(key);
    if (series === undefined && this.#series.size >= MAX_SERIES_PER_METRIC) {
      const folded = Object.fromEntries(this.labelNames.map((n) => [n, OVERFLOW_VALUE]));
      key = JSON.stringify(folded);
      series = this.#series.get(key) ?? { labels: folded, value: this.create() };
      this.#series.set(key, series);
    }
    if (series === undefined) {
      series = { labels: picked, value: this.create() };
      this.#series.set(key, series);
    }
    return series.value;
  }

  private pick(labels: Labels): Labels {
    return Object.fromEntries(this.labelNames.map((n) => [n, labels[n] ?? '']));
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const series of this.#series.values()) lines.push(...this.renderSeries(series.labels, series.value));
    return lines.join('\n');
  }
}

export class Counter extends Metric<{ count: number }> {
  readonly type = 'counter';
  protected create(): { count: number } {
    return { count: 0 };
  }
  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new Error(`counter ${this.name} can only grow, got ${by}`);
    this.seriesFor(labels).count += by;
  }
  renderSeries(labels: Labels, value: { count: number }): string[] {
    return [`${this.name}${formatLabels(labels)} ${formatNumber(value.count)}`];
  }
}

interface Buckets {
  readonly counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Metric<Buckets> {
  readonly type = 'histogram';
  readonly bounds: readonly number[];

  constructor(name: string, help: string, labelNames: readonly string[], bounds: readonly number[]) {
    super(name, help, labelNames);
    if (bounds.some((b, i) => i > 0 && b <= (bounds[i - 1] as number)))
      throw new Error(`histogram ${name}: bucket bounds must be ascending`);
    this.bounds = bounds;
  }
  protected create(): Buckets {
    return { counts: this.bounds.map(() => 0), sum: 0, count: 0 };
  }
  observe(labels: Labels, value: number): void {
    const buckets = this.seriesFor(labels);
    // Counts are stored per bucket and made cumulative when rendered.
    const index = this.bounds.findIndex((bound) => value <= bound);
    if (index >= 0) buckets.counts[index] = (buckets.counts[index] as number) + 1;
    buckets.sum += value;
    buckets.count += 1;
  }
  renderSeries(labels: Labels, value: Buckets): string[] {
    const lines: string[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += value.counts[i] as number;
      const le = formatLabels({ ...labels, le: formatNumber(bound) });
      lines.push(`${this.name}_bucket${le} ${cumulative}`);
    });
    lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${value.count}`);
    lines.push(`${this.name}_sum${formatLabels(labels)} ${formatNumber(value.sum)}`);
    lines.push(`${this.name}_count${formatLabels(labels)} ${value.count}`);
    return lines;
  }
}

export class MetricsRegistry {
  readonly #metrics = new Map<string, Counter | Histogram>();

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(new Counter(name, help, labelNames));
  }

  histogram(name: string, help: string, labelNames: readonly string[], bounds: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, labelNames, bounds));
  }

  private add<M extends Counter | Histogram>(metric: M): M {
    if (this.#metrics.has(metric.name)) throw new Error(`metric ${metric.name} is registered twice`);
    this.#metrics.set(metric.name, metric);
    return metric;
  }

  /** The whole registry in the Prometheus text format, ending with a newline. */
  render(): string {
    return [...this.#metrics.values()].map((m) => m.render()).join('\n') + '\n';
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
