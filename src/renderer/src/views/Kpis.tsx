import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ApiResult, KpiReportView } from '../../../shared/api.js';
import { TimeChart, type Series } from '../charts.js';
import type { WardenClient } from '../client.js';
import { usd } from '../../../shared/money.js';
import { duration, percent } from '../format.js';
import { useStore } from '../store.js';

type GroupBy = KpiReportView['by'];
type Point = KpiReportView['series'][number];
type Report = ApiResult<'kpis.report'>;

const PERIODS = [7, 30, 90] as const;
const GROUPS: { id: GroupBy; label: string }[] = [
  { id: 'agent', label: 'Agent' },
  { id: 'tier', label: 'Tier' },
  { id: 'unit', label: 'Business unit' },
];
const DAY_MS = 86_400_000;
/** KPIs move with every finished run; the view asks again at most this often. */
const REFRESH_MS = 5_000;

/** Time to resolution, intervention rate and cost per resolved task over a period, by group; spend against budget. */
export function Kpis({ client }: { client: WardenClient }) {
  const notify = useStore((s) => s.notify);
  const version = useThrottled(
    useStore((s) => s.kpisVersion),
    REFRESH_MS,
  );
  const [days, setDays] = useState<(typeof PERIODS)[number]>(7);
  const [by, setBy] = useState<GroupBy>('agent');
  const [report, setReport] = useState<Report | null>(null);

  useEffect(() => {
    let current = true;
    client.call('kpis.report', { ...lastDays(days), by }).then(
      (r) => current && setReport(r),
      (error: Error) => notify('error', error.message),
    );
    return () => {
      current = false;
    };
  }, [client, days, by, version, notify]);

  const chart = useMemo(() => (report ? chartRows(report) : null), [report]);
  const total = report?.total;

  return (
    <section className="kpis">
      <header className="bar">
        <h2>KPIs</h2>
        <label htmlFor="kpis-period">Period</label>
        <select id="kpis-period" value={days} onChange={(e) => setDays(Number(e.target.value) as typeof days)}>
          {PERIODS.map((d) => (
            <option key={d} value={d}>
              Last {d} days
            </option>
          ))}
        </select>
        <label htmlFor="kpis-by">Group by</label>
        <select id="kpis-by" value={by} onChange={(e) => setBy(e.target.value as GroupBy)}>
          {GROUPS.map((g) => (
            <option key={g.id} value={g.id}>
              {g.label}
            </option>
          ))}
        </select>
        {report && (
          <span className="muted">
            {report.period.from.slice(0, 10)} to {new Date(Date.parse(report.period.to) - 1).toISOString().slice(0, 10)}{' '}
            (UTC) · eval runs left out
          </span>
        )}
      </header>
      {!report || !total || !chart ? (
        <p className="empty">Loading…</p>
      ) : (
        <>
          <div className="tiles" aria-label="Headline numbers">
            <Tile label="Time to resolution" value={duration(total.meanTimeToResolutionMs)}>
              mean, approval waits included
            </Tile>
            <Tile label="Intervention rate" value={percent(total.interventionRate)}>
              {total.intervened} of {total.tasks} tasks needed a person
            </Tile>
            <Tile label="Cost per resolved task" value={usd(total.costPerResolvedUsd)}>
              {usd(total.resolvedCostUsd)} over {total.resolved} resolved
            </Tile>
            <Tile label="Tasks" value={String(total.tasks)}>
              {total.resolved} resolved ({percent(total.tasks ? total.resolved / total.tasks : null, 0)})
            </Tile>
          </div>
          {total.tasks === 0 ? (
            <p className="empty">No tasks in this period.</p>
          ) : (
            <div className="charts three">
              <TimeChart
                title="Time to resolution"
                description={`Mean time to resolution per day, by ${by}`}
                rows={chart.rows}
                x={(r) => r.label}
                series={chart.series((p) => p.meanTimeToResolutionMs)}
                format={duration}
              />
              <TimeChart
                title="Intervention rate"
                description={`Share of tasks that needed a person per day, by ${by}`}
                rows={chart.rows}
                x={(r) => r.label}
                series={chart.series((p) => p.interventionRate)}
                format={(v) => percent(v, 0)}
                domain={[0, 1]}
              />
              <TimeChart
                title="Cost per resolved task"
                description={`Model and tool cost per resolved task per day, by ${by}`}
                rows={chart.rows}
                x={(r) => r.label}
                series={chart.series((p) => p.costPerResolvedUsd)}
                format={usd}
              />
            </div>
          )}
          <div className="columns">
            <section aria-labelledby="kpi-groups">
              <h3 id="kpi-groups">By {GROUPS.find((g) => g.id === report.by)!.label.toLowerCase()}</h3>
              <table className="grid">
                <thead>
                  <tr>
                    <th>{GROUPS.find((g) => g.id === report.by)!.label}</th>
                    <th className="num">Tasks</th>
                    <th className="num">Resolved</th>
                    <th className="num">Time to resolution</th>
                    <th className="num">Intervention rate</th>
                    <th className="num">Cost per resolved</th>
                  </tr>
                </thead>
                <tbody>
                  {report.groups.map((g) => (
                    <tr key={g.key} data-group={g.key}>
                      <td>{groupName(g.key, report.by === 'unit' ? report.unitNames : undefined)}</td>
                      <td className="num">{g.tasks}</td>
                      <td className="num">{g.resolved}</td>
                      <td className="num">{duration(g.meanTimeToResolutionMs)}</td>
                      <td className="num">{percent(g.interventionRate)}</td>
                      <td className="num">{usd(g.costPerResolvedUsd)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section aria-labelledby="kpi-spend">
              <h3 id="kpi-spend">Spend against budget</h3>
              <p className="muted">
                Model and tool cost of the work in the period, as budgets count it (the roster shows today’s); eval
                runs’ cost is apart. Budget is the daily budget × {report.period.days} days.
              </p>
              <SpendTable title="Agent" lines={report.spend.agents} />
              <SpendTable title="Business unit" lines={report.spend.units} names={report.unitNames} />
            </section>
          </div>
        </>
      )}
    </section>
  );
}

function Tile(props: { label: string; value: string; children: ReactNode }) {
  return (
    <div className="tile" data-kpi={props.label}>
      <div className="tile-label">{props.label}</div>
      <div className="tile-value">{props.value}</div>
      <div className="muted">{props.children}</div>
    </div>
  );
}

function SpendTable(props: {
  title: string;
  lines: KpiReportView['spend']['agents'];
  /** Display names by key (business units'). */
  names?: Record<string, string>;
}) {
  const { title, lines, names } = props;
  return (
    <table className="grid spend" data-spend={title}>
      <thead>
        <tr>
          <th>{title}</th>
          <th className="num">Spent</th>
          <th className="num">Eval runs</th>
          <th className="num">Budget</th>
          <th className="bar-cell">Used</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => {
          const used = line.budgetUsd ? line.costUsd / line.budgetUsd : null;
          const over = used !== null && used > 1;
          return (
            <tr key={line.key} data-spend-key={line.key} className={over ? 'over' : ''}>
              <td>{groupName(line.key, names)}</td>
              <td className="num">{usd(line.costUsd)}</td>
              <td className="num">{usd(line.evalCostUsd)}</td>
              <td className="num">{line.budgetUsd === null ? 'no budget' : usd(line.budgetUsd)}</td>
              <td className="bar-cell">
                {used === null ? (
                  <span className="muted">—</span>
                ) : (
                  <span className="used">
                    <span className="meter" role="img" aria-label={`${percent(used, 0)} of budget`}>
                      <span style={{ width: `${Math.min(100, used * 100)}%` }} />
                    </span>
                    {percent(used, 0)}
                    {over && <strong> over budget</strong>}
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The last `days` days up to the end of today, UTC: `to` is exclusive. */
function lastDays(days: number, now = new Date()): { from: string; to: string } {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return { from: new Date(end - days * DAY_MS).toISOString(), to: new Date(end).toISOString() };
}

/** A group's name: a business unit's from warden.yaml; agents without a unit group under the empty key. */
function groupName(key: string, names?: Record<string, string>): string {
  return key === '' ? '(no unit)' : (names?.[key] ?? key);
}

interface DayRow {
  day: string;
  label: string;
  points: Map<string, Point>;
}

/** One row per day of the period (days with no tasks too, so the axis is the whole period), and a series per group. */
function chartRows(report: Report) {
  const byDay = new Map<string, Map<string, Point>>();
  for (const p of report.series) byDay.set(p.day, (byDay.get(p.day) ?? new Map<string, Point>()).set(p.key, p));
  const rows: DayRow[] = [];
  for (let t = Date.parse(report.period.from); t < Date.parse(report.period.to); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    rows.push({ day, label: day.slice(5), points: byDay.get(day) ?? new Map() });
  }
  const keys = report.groups.map((g) => g.key);
  return {
    rows,
    series: (value: (p: Point) => number | null): Series<DayRow>[] =>
      keys.map((key) => ({
        name: groupName(key, report.by === 'unit' ? report.unitNames : undefined),
        value: (row) => {
          const p = row.points.get(key);
          return p ? value(p) : null;
        },
      })),
  };
}

/** A value that follows `value`, changing at most once per `ms` (the last change always lands). */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const timer = setTimeout(
      () => {
        last.current = Date.now();
        setShown(value);
      },
      Math.max(0, last.current + ms - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [value, ms]);
  return shown;
}
