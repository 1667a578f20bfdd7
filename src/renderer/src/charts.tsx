import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';

/** Line colours, distinguishable on the dark panel; groups take them in order. */
export const PALETTE = ['#5b9cff', '#3fb68b', '#e0a83a', '#c678dd', '#e5534b', '#56b6c2', '#d19a66', '#98c379'];

const GRID = '#262c36';
const TICK = { fill: '#8b93a1', fontSize: 11 };

/** One line of a chart: its name in the legend and how to read its value from a row. */
export interface Series<Row> {
  name: string;
  value: (row: Row) => number | null;
}

/**
 * A line chart over time in the console's colours, one line per series, inside a titled figure.
 * Gaps (days with nothing to measure) are bridged so sparse groups still draw a line; the
 * numbers behind it are in a table next to it for anyone who cannot see the chart.
 */
export function TimeChart<Row>(props: {
  title: string;
  description: string;
  rows: Row[];
  x: (row: Row) => string;
  series: Series<Row>[];
  format: (value: number) => string;
  height?: number;
  domain?: [number, number | 'auto'];
  /** A level to hold, drawn as a dashed red line (its value is named in the caption). */
  threshold?: number;
  legend?: boolean;
  children?: ReactNode;
}) {
  const height = props.height ?? 200;
  return (
    <figure className="chart" data-chart={props.title}>
      <figcaption>
        <h3>{props.title}</h3>
        {props.children}
      </figcaption>
      <LineChart
        responsive
        style={{ width: '100%', height }}
        data={props.rows}
        title={props.title}
        desc={props.description}
        margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
      >
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey={props.x} stroke={GRID} tick={TICK} minTickGap={16} />
        <YAxis
          stroke={GRID}
          tick={TICK}
          width={64}
          domain={props.domain ?? [0, 'auto']}
          tickFormatter={(v: number) => props.format(v)}
        />
        <Tooltip
          contentStyle={{ background: '#161a21', border: `1px solid ${GRID}`, borderRadius: 4, fontSize: 12 }}
          labelStyle={{ color: '#e6e6e6' }}
          formatter={(v) => (typeof v === 'number' ? props.format(v) : String(v))}
        />
        {props.legend !== false && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {props.threshold !== undefined && <ReferenceLine y={props.threshold} stroke="#e5534b" strokeDasharray="4 3" />}
        {props.series.map((s, i) => (
          <Line
            key={s.name}
            name={s.name}
            dataKey={s.value}
            stroke={PALETTE[i % PALETTE.length]}
            strokeWidth={2}
            dot={{ r: 2.5 }}
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </figure>
  );
}
