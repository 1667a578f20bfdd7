import { resolve } from 'node:path';
import { UsageError } from '../../../shared/errors.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { Ledger, type RunRow, type RunState } from '../../ledger/index.js';
import { verdictOf } from '../../../shared/verdict.js';
import { RunStateSchema } from '../../../shared/api.js';
import { buildTrace } from '../../trace/build.js';
import { renderTrace } from '../../trace/render.js';
import { int, parse, str } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';

const COMMON = { 'data-dir': { type: 'string' }, json: { type: 'boolean' } } as const;
const LIST_FLAGS = {
  ...COMMON,
  agent: { type: 'string' },
  status: { type: 'string' },
  limit: { type: 'string' },
  eval: { type: 'boolean' },
} as const;
const SHOW_FLAGS = { ...COMMON, internal: { type: 'boolean' } } as const;

/** The states a run is listed by, as the console's run list filters them. */
const STATUSES: readonly RunState[] = RunStateSchema.options;
const DEFAULT_LIMIT = 50;

/** Opens the data folder's ledger, read side only, for one command. */
function withLedger<T>(dataDir: string | undefined, use: (ledger: Ledger) => T): T {
  const ledger = Ledger.open(resolve(dataDir ?? defaultDataDir()), { mode: 'existing' });
  try {
    return use(ledger);
  } finally {
    ledger.close();
  }
}

/**
 * `warden runs list [--agent A] [--status S] [--limit N] [--eval]`: the latest runs of work
 * (with --eval, of eval suites instead), newest first, from the run projection.
 */
export const runsList: CommandRun = async (argv, io) => {
  const name = 'warden runs list';
  const parsed = parse(name, argv, LIST_FLAGS, 0);
  const agentId = str(parsed, 'agent', name);
  const status = str(parsed, 'status', name);
  const state = STATUSES.find((s) => s === status);
  if (status !== undefined && !state)
    throw new UsageError(`${name}: --status: expected one of ${STATUSES.join(', ')}, got "${status}"`);
  const limit = int(parsed, 'limit', name, 1, 10_000) ?? DEFAULT_LIMIT;
  const runs = withLedger(str(parsed, 'data-dir', name), (ledger) =>
    ledger.runs
      .page({ limit, eval: parsed.values.eval === true, ...(agentId ? { agentId } : {}), ...(state ? { state } : {}) })
      .slice(0, limit),
  );
  if (parsed.values.json === true) io.out(JSON.stringify({ runs }));
  else if (runs.length === 0) io.out(agentId || status ? 'No runs match.' : 'No runs yet.');
  else for (const run of runs) io.out(runLine(run));
  return EXIT.ok;
};

/** `warden runs show ID`: the run's trace as an indented tree with a timing column, or as JSON. */
export const runsShow: CommandRun = async (argv, io) => {
  const name = 'warden runs show';
  const parsed = parse(name, argv, SHOW_FLAGS, 1);
  const runId = parsed.positionals[0];
  if (!runId) throw new UsageError(`${name}: name the run: warden runs show ID`);
  const trace = withLedger(str(parsed, 'data-dir', name), (ledger) => buildTrace(ledger.reader, runId));
  if (!trace) throw new UsageError(`${name}: no run ${runId} in this ledger (warden runs list shows the latest)`);
  if (parsed.values.json === true) io.out(JSON.stringify(trace));
  else for (const line of renderTrace(trace, { internal: parsed.values.internal === true })) io.out(line);
  return EXIT.ok;
};

/** One run on one line: id, agent, state (with its verdict when it differs), start, duration, cost, tokens. */
function runLine(r: RunRow): string {
  const kind = r.eval ? ' eval' : r.parentRunId ? ` handoff from ${r.parentRunId}` : '';
  const duration = r.durationMs === null ? '…' : `${(r.durationMs / 1000).toFixed(3)}s`;
  const failed = r.state === 'ok' && verdictOf(r.state, r.failedCalls, r.rejectedCalls) !== 'succeeded';
  const state = failed ? `ok, ${r.failedCalls} failed call(s)` : r.state;
  return [
    r.runId,
    r.agentId.padEnd(16),
    state.padEnd(11),
    r.startedTs,
    duration.padStart(9),
    `$${r.costUsd.toFixed(6)}`,
    `${r.tokens} tokens${kind}`,
  ].join('  ');
}
