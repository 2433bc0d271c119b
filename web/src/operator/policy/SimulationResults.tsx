import { LineChart } from '../../components/LineChart.tsx';
import { meanings } from '../../components/meanings.ts';
import { formatConnects, formatDate } from '../../format.ts';
import {
  chartKeys,
  differenceRows,
  formatDifference,
  formatTick,
  formatValue,
  judge,
  metricByKey,
  metrics,
  monthLabels,
  type Metric,
  type SimulationResultView,
} from './sim-view.ts';

const unitName = (metric: Metric): string => (metric.unit === '%' ? 'percent' : metric.unit);

/**
 * Baseline against candidate: a line chart per question (axes with units,
 * tooltips that also give the difference, a legend) and the table of
 * differences, candidate - baseline, per month and in total.
 */
export function SimulationResults({ result }: { result: SimulationResultView }) {
  const labels = monthLabels(result);
  const shown = metrics.filter((m) => m.key !== 'medianBalance');
  return (
    <div data-testid="simulation-results">
      <p>
        {formatConnects(result.population.freelancers)}{' '}
        {result.population.kind === 'snapshot' ? 'live freelancers (a snapshot)' : 'synthetic freelancers'},{' '}
        {result.months} {result.months === 1 ? 'month' : 'months'} from {formatDate(result.start)}, seed{' '}
        {result.seed}: both runs saw the same freelancers making the same choices.
      </p>
      <div className="chart-grid">
        {chartKeys.map((key) => {
          const metric = metricByKey(key);
          const base = result.baseline.map(metric.value);
          const cand = result.candidate.map(metric.value);
          return (
            <LineChart
              key={key}
              title={`${metric.label} per month (${unitName(metric)}${metric.kind === 'stock' ? ', at month end' : ''})`}
              unit={metric.unit === 'USD' ? 'USD' : metric.unit}
              labels={labels}
              lines={[
                {
                  label: meanings.baseline.label,
                  color: meanings.baseline.color,
                  dashed: true,
                  values: base,
                },
                { label: meanings.candidate.label, color: meanings.candidate.color, values: cand },
              ]}
              format={(n) => formatValue(metric.unit, n)}
              formatTick={(n) => formatTick(metric.unit, n)}
              floor={metric.unit === 'USD' ? 400 : 4}
              note={(i) => `Difference: ${formatDifference(metric.unit, (cand[i] ?? 0) - (base[i] ?? 0))}`}
            />
          );
        })}
      </div>
      <DifferenceTable result={result} shown={shown} />
    </div>
  );
}

function DifferenceTable({ result, shown }: { result: SimulationResultView; shown: readonly Metric[] }) {
  const { months, total } = differenceRows(result, shown);
  const cell = (metric: Metric, n: number, key: string) => (
    <td key={key} className={`num diff diff-${judge(metric, n)}`} data-label={metric.label}>
      {formatDifference(metric.unit, n)}
    </td>
  );
  return (
    <>
      <h3 id="differences-title">Differences, candidate − baseline</h3>
      <p className="hint">
        Green is better for freelancers or revenue, red worse; blue and grey are neither (up, down). The total
        sums each month’s flows; for stocks (outstanding, deferred revenue, freelancers at zero) it is the
        difference at the end.
      </p>
      <div className="table-wrap">
        <table
          className="table table-stack diff-table"
          aria-labelledby="differences-title"
          data-testid="difference-table"
        >
          <thead>
            <tr>
              <th scope="col">Month</th>
              {shown.map((m) => (
                <th scope="col" className="num" key={m.key}>
                  {m.label}
                  <span className="unit"> ({m.unit === 'USD' ? '$' : m.unit})</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months.map((row) => (
              <tr key={row.label}>
                <th scope="row" data-label="Month">
                  {row.label}
                </th>
                {shown.map((m, j) => cell(m, row.values[j] ?? 0, m.key))}
              </tr>
            ))}
            <tr className="diff-total">
              <th scope="row" data-label="Month">
                {total.label}
              </th>
              {shown.map((m, j) => cell(m, total.values[j] ?? 0, m.key))}
            </tr>
          </tbody>
        </table>
      </div>
    </>
  );
}
