import { AxisBottom, AxisLeft } from '@visx/axis';
import { GridRows } from '@visx/grid';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { useEffect, useId, useRef, useState } from 'react';
import { labelStep, meanings, type Meaning } from './meanings.ts';

/**
 * A bar chart drawn with visx (scales and axes; the bars are plain SVG):
 * a y axis with its unit and gridlines, x labels thinned so they never
 * collide, and each period focusable, with a tooltip on hover, keyboard
 * focus or tap. The same numbers are in a table under "Show the numbers".
 */
export interface Series {
  readonly meaning: Meaning;
  readonly values: readonly number[];
}

interface BarChartProps {
  readonly title: string;
  /** The y axis's unit, e.g. "Connects" or "USD". */
  readonly unit: string;
  readonly labels: readonly string[];
  readonly series: readonly Series[];
  readonly format: (n: number) => string;
  /** A short tick label for the y axis (money without cents, say). */
  readonly formatTick?: (n: number) => string;
}

const HEIGHT = 240;
/** Gridlines on the y axis; the domain is rounded up to a tick, so the top bar is always labelled. */
const TICKS = 4;
const MARGIN = { top: 24, right: 8, bottom: 28, left: 52 };

/** The width of a chart's box in pixels, following resizes. */
export function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const update = (): void => setWidth(Math.max(200, Math.floor(el.getBoundingClientRect().width)));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function BarChart({ title, unit, labels, series, format, formatTick = format }: BarChartProps) {
  const id = useId();
  const [boxRef, width] = useWidth();
  const [active, setActive] = useState<number | null>(null);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = scaleBand({ domain: labels.map((_, i) => i), range: [0, plotWidth], padding: 0.2 });
  const y = scaleLinear({ domain: [0, max], range: [plotHeight, 0], nice: TICKS });
  const inner = scaleBand({
    domain: series.map((s) => s.meaning),
    range: [0, x.bandwidth()],
    padding: 0.05,
  });
  const step = labelStep(labels.length, Math.max(1, ...labels.map((l) => l.length)), plotWidth);
  const describe = (i: number): string =>
    `${labels[i] ?? ''}: ${series.map((s) => `${meanings[s.meaning].label} ${format(s.values[i] ?? 0)}`).join(', ')}`;
  const activeX = active === null ? 0 : (x(active) ?? 0) + MARGIN.left + x.bandwidth() / 2;

  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <div
        className="chart-box"
        ref={boxRef}
        onPointerLeave={(e) => {
          if (e.pointerType === 'mouse') setActive(null);
        }}
      >
        <svg width={width} height={HEIGHT} role="group" aria-labelledby={`${id}-caption`}>
          <Group left={MARGIN.left} top={MARGIN.top}>
            <GridRows scale={y} width={plotWidth} numTicks={TICKS} stroke="#d5dbe1" />
            {labels.map((label, i) => (
              <g
                key={label}
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
                  x={(x(i) ?? 0) - (x.step() - x.bandwidth()) / 2}
                  y={0}
                  width={x.step()}
                  height={plotHeight}
                  className="chart-hit"
                />
                {series.map((s) => {
                  const value = s.values[i] ?? 0;
                  const top = y(value);
                  return (
                    <rect
                      key={s.meaning}
                      x={(x(i) ?? 0) + (inner(s.meaning) ?? 0)}
                      y={top}
                      width={inner.bandwidth()}
                      height={Math.max(0, plotHeight - top)}
                      fill={meanings[s.meaning].color}
                    />
                  );
                })}
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
            style={{ left: Math.min(Math.max(activeX, 70), width - 70) }}
            data-testid="chart-tooltip"
          >
            <strong>{labels[active]}</strong>
            {series.map((s) => (
              <span key={s.meaning}>
                <span
                  className="swatch"
                  style={{ background: meanings[s.meaning].color }}
                  aria-hidden="true"
                />
                {meanings[s.meaning].label}: {format(s.values[active] ?? 0)}
              </span>
            ))}
          </div>
        )}
      </div>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <ul className="legend">
        {series.map((s) => (
          <li key={s.meaning}>
            <span className="swatch" style={{ background: meanings[s.meaning].color }} aria-hidden="true" />
            {meanings[s.meaning].label}
          </li>
        ))}
      </ul>
      <details className="chart-data">
        <summary>Show the numbers</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Period</th>
              {series.map((s) => (
                <th scope="col" key={s.meaning}>
                  {meanings[s.meaning].label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {series.map((s) => (
                  <td key={s.meaning}>{format(s.values[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
