import { useId } from 'react';

/**
 * A small hand-made SVG bar chart. It scales with its container (viewBox),
 * labels every bar, and carries the same numbers as a table for screen
 * readers and for anyone who prefers to read them.
 */
export interface Bar {
  readonly label: string;
  readonly value: number;
}

export interface Series {
  readonly name: string;
  /** A CSS class giving the fill colour (see styles.css, .series-*). */
  readonly className: string;
  readonly values: readonly number[];
}

interface BarChartProps {
  readonly title: string;
  readonly labels: readonly string[];
  readonly series: readonly Series[];
  readonly format: (n: number) => string;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 18, right: 8, bottom: 28, left: 8 };

export function BarChart({ title, labels, series, format }: BarChartProps) {
  const id = useId();
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const slot = (WIDTH - PAD.left - PAD.right) / Math.max(1, labels.length);
  const barWidth = Math.max(2, (slot * 0.8) / Math.max(1, series.length));
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-caption`}>
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={HEIGHT - PAD.bottom}
          y2={HEIGHT - PAD.bottom}
          className="axis"
        />
        {labels.map((label, i) => (
          <g key={label}>
            {series.map((s, j) => {
              const value = s.values[i] ?? 0;
              const h = Math.round((value / max) * plotHeight);
              const x = PAD.left + i * slot + slot * 0.1 + j * barWidth;
              const y = HEIGHT - PAD.bottom - h;
              return (
                <g key={s.name}>
                  <rect x={x} y={y} width={barWidth} height={h} className={s.className}>
                    <title>{`${label}, ${s.name}: ${format(value)}`}</title>
                  </rect>
                  {value > 0 && series.length === 1 ? (
                    <text x={x + barWidth / 2} y={y - 4} textAnchor="middle" className="bar-value">
                      {format(value)}
                    </text>
                  ) : null}
                </g>
              );
            })}
            <text x={PAD.left + i * slot + slot / 2} y={HEIGHT - 8} textAnchor="middle" className="bar-label">
              {label}
            </text>
          </g>
        ))}
      </svg>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      {series.length > 1 ? (
        <ul className="legend">
          {series.map((s) => (
            <li key={s.name}>
              <span className={`swatch ${s.className}`} aria-hidden="true" />
              {s.name}
            </li>
          ))}
        </ul>
      ) : null}
      <details className="chart-data">
        <summary>Show the numbers</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Period</th>
              {series.map((s) => (
                <th scope="col" key={s.name}>
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {series.map((s) => (
                  <td key={s.name}>{format(s.values[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
