import { AxisBottom, AxisLeft } from '@visx/axis';
import { GridRows } from '@visx/grid';
import { Group } from '@visx/group';
import { scaleLinear, scalePoint } from '@visx/scale';
import { useId, useState } from 'react';
import { useWidth } from './BarChart.tsx';
import { labelStep } from './meanings.ts';

/**
 * A line chart drawn with visx (scales and axes; the lines are plain SVG
 * paths): a y axis with its unit and gridlines, x labels thinned so they
 * never collide, a marker on every point, and each period focusable, with a
 * tooltip on hover, keyboard focus or tap. A dashed line tells a series
 * apart without its colour. The numbers are in a table under "Show the
 * numbers".
 */
export interface Line {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly values: readonly number[];
}

interface LineChartProps {
  readonly title: string;
  /** The y axis's unit, e.g. "Connects" or "USD". */
  readonly unit: string;
  readonly labels: readonly string[];
  readonly lines: readonly Line[];
  readonly format: (n: number) => string;
  readonly formatTick?: (n: number) => string;
  /** The least top of the y axis, so a flat or empty series still gets distinct whole-number ticks. */
  readonly floor?: number;
  /** An extra tooltip line for a period (e.g. the difference between two lines). */
  readonly note?: (i: number) => string;
  readonly height?: number;
}

const TICKS = 4;
const MARGIN = { top: 24, right: 16, bottom: 28, left: 56 };

export function LineChart({
  title,
  unit,
  labels,
  lines,
  format,
  formatTick = format,
  note,
  floor = TICKS,
  height = 220,
}: LineChartProps) {
  const id = useId();
  const [boxRef, width] = useWidth();
  const [active, setActive] = useState<number | null>(null);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const all = lines.flatMap((l) => l.values);
  const max = Math.max(floor, ...all);
  const min = Math.min(0, ...all);
  const x = scalePoint({ domain: labels.map((_, i) => i), range: [0, plotWidth], padding: 0.5 });
  const y = scaleLinear({ domain: [min, max], range: [plotHeight, 0], nice: TICKS });
  const step = labelStep(labels.length, Math.max(1, ...labels.map((l) => l.length)), plotWidth);
  const slot = labels.length === 0 ? plotWidth : plotWidth / labels.length;
  const describe = (i: number): string =>
    `${labels[i] ?? ''}: ${lines.map((l) => `${l.label} ${format(l.values[i] ?? 0)}`).join(', ')}${
      note === undefined ? '' : `, ${note(i)}`
    }`;
  const path = (values: readonly number[]): string =>
    values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i) ?? 0},${y(v)}`).join(' ');
  const activeX = active === null ? 0 : (x(active) ?? 0) + MARGIN.left;

  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <div
        className="chart-box"
        ref={boxRef}
        onPointerLeave={(e) => {
          if (e.pointerType === 'mouse') setActive(null);
        }}
      >
        <svg width={width} height={height} role="group" aria-labelledby={`${id}-caption`}>
          <Group left={MARGIN.left} top={MARGIN.top}>
            <GridRows scale={y} width={plotWidth} numTicks={TICKS} stroke="#d5dbe1" />
            {lines.map((line) => (
              <g key={line.label} aria-hidden="true">
                <path
                  d={path(line.values)}
                  fill="none"
                  stroke={line.color}
                  strokeWidth={2.5}
                  strokeDasharray={line.dashed === true ? '6 4' : undefined}
                />
                {line.values.map((v, i) => (
                  <circle key={i} cx={x(i) ?? 0} cy={y(v)} r={3.5} fill={line.color} />
                ))}
              </g>
            ))}
            {labels.map((label, i) => (
              <g
                key={`${label}-${i}`}
                className={`chart-period${active === i ? ' is-active' : ''}`}
                tabIndex={0}
                role="img"
                aria-label={describe(i)}
                onPointerEnter={(e) => {
                  if (e.pointerType === 'mouse') setActive(i);
                }}
                onPointerDown={() => setActive(i)}
                onFocus={() => setActive(i)}
                onBlur={() => setActive((a) => (a === i ? null : a))}
                onClick={() => setActive(i)}
              >
                <rect
                  x={(x(i) ?? 0) - slot / 2}
                  y={0}
                  width={slot}
                  height={plotHeight}
                  className="chart-hit chart-hit-line"
                />
              </g>
            ))}
            <AxisLeft
              scale={y}
              numTicks={TICKS}
              tickFormat={(v) => formatTick(Number(v))}
              tickLabelProps={{ className: 'chart-tick', textAnchor: 'end', dx: -4, dy: 4 }}
              hideTicks
              stroke="#4b5563"
            />
            <AxisBottom
              top={plotHeight}
              scale={x}
              tickValues={labels.map((_, i) => i).filter((i) => i % step === 0)}
              tickFormat={(i) => labels[Number(i)] ?? ''}
              tickLabelProps={{ className: 'chart-tick', textAnchor: 'middle' }}
              stroke="#4b5563"
              tickStroke="#4b5563"
            />
          </Group>
          <text x={4} y={12} className="chart-unit" aria-hidden="true">
            {unit}
          </text>
        </svg>
        {active === null ? null : (
          <div
            className="chart-tooltip"
            role="status"
            style={{ left: Math.min(Math.max(activeX, 90), width - 90) }}
            data-testid="chart-tooltip"
          >
            <strong>{labels[active]}</strong>
            {lines.map((l) => (
              <span key={l.label}>
                <span className="swatch" style={{ background: l.color }} aria-hidden="true" />
                {l.label}: {format(l.values[active] ?? 0)}
              </span>
            ))}
            {note === undefined ? null : <span>{note(active)}</span>}
          </div>
        )}
      </div>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <ul className="legend">
        {lines.map((l) => (
          <li key={l.label}>
            <svg width="24" height="10" aria-hidden="true" className="legend-line">
              <line
                x1="0"
                y1="5"
                x2="24"
                y2="5"
                stroke={l.color}
                strokeWidth="2.5"
                strokeDasharray={l.dashed === true ? '6 4' : undefined}
              />
            </svg>
            {l.label}
          </li>
        ))}
      </ul>
      <details className="chart-data">
        <summary>Show the numbers</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Period</th>
              {lines.map((l) => (
                <th scope="col" key={l.label}>
                  {l.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={`${label}-${i}`}>
                <th scope="row">{label}</th>
                {lines.map((l) => (
                  <td key={l.label}>{format(l.values[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
