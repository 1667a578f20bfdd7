import { WardenError } from '../../shared/errors.js';
import { type EventPayload, type LedgerEvent } from '../../shared/events.js';
import { isEvent } from '../../shared/narrow.js';
import type { JsonValue } from '../../shared/json.js';
import type { AgentManifest, EvalCase } from '../../shared/roster.js';
import type { Ledger } from '../ledger/index.js';
import { newId } from '../ledger/ids.js';
import type { RunResult, Runtime } from '../runtime/runtime.js';
import { grade, type Attempt, type TrajectoryCall } from './graders.js';

/** One graded case of a suite run. */
export type CaseResult = EventPayload<'eval.case'>;

/** A suite run: its totals, each case, and whether it suspended the agent. */
export interface SuiteResult extends EventPayload<'eval.run'> {
  agentId: string;
  cases: CaseResult[];
  /** The accuracy fell below the agent's minimum, and the agent is now suspended. */
  suspended: boolean;
}

/** How a suite runs. */
export interface SuiteOptions {
  /** Who started it (a person, `cli`, `console`, or `demo`). */
  by: string;
  /** Cases in flight at once. Default 4. */
  concurrency?: number;
  /** Told of each case as it is graded. */
  onCase?: (result: CaseResult) => void;
  /**
   * Ends the suite early (its process is closing): cases not yet graded are not run, nothing
   * more is recorded, and no partial suite can suspend the agent.
   */
  signal?: AbortSignal;
}

/**
 * Runs an agent's golden dataset: every case as a real run of the agent, marked as an eval
 * run (its writes are simulated, KPIs leave it out), graded, and recorded as `eval.case`; then
 * the suite's `eval.run`. Below the agent's minimum accuracy, the agent is suspended (an event
 * naming this suite run) and an alert is raised.
 */
export async function runSuite(
  runtime: Runtime,
  ledger: Ledger,
  agent: AgentManifest,
  cases: readonly EvalCase[],
  options: SuiteOptions,
): Promise<SuiteResult> {
  // An agent whose model cannot be called yet (no key) would fail every case and be suspended
  // for it: the suite is refused instead, and nothing is recorded.
  const unready = runtime.modelProblem(agent.id);
  if (unready) throw new WardenError('E_MODEL', `the eval suite cannot run: ${unready}`);
  const evalRunId = newId('eval');
  const suite = suiteName(agent);
  const results: CaseResult[] = new Array<CaseResult>(cases.length);
  let next = 0;
  const stopped = () => options.signal?.aborted === true;
  const worker = async () => {
    for (let i = next++; i < cases.length && !stopped(); i = next++) {
      const result = await runCase(runtime, ledger, agent, cases[i]!, evalRunId, suite, stopped);
      if (!result) return;
      results[i] = result;
      options.onCase?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, cases.length) }, worker));
  if (stopped()) throw new WardenError('E_CANCELLED', `the eval suite of ${agent.id} was stopped before it finished`);

  const total = results.length;
  const passed = results.filter((r) => r.passed).length;
  const summary: EventPayload<'eval.run'> = {
    evalRunId,
    suite,
    total,
    passed,
    errored: results.filter((r) => r.error).length,
    accuracy: total === 0 ? 0 : passed / total,
    minAccuracy: agent.eval.minAccuracy,
    meanLatencyMs: total === 0 ? 0 : round(results.reduce((sum, r) => sum + r.latencyMs, 0) / total),
    costUsd: results.reduce((sum, r) => sum + r.costUsd, 0),
    by: options.by,
  };
  await ledger.append({ type: 'eval.run', agentId: agent.id, payload: summary });
  const suspended = total > 0 && summary.accuracy < agent.eval.minAccuracy;
  if (suspended) {
    const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
    await runtime.suspend(
      agent.id,
      `eval suite ${suite} scored ${percent(summary.accuracy)} (${passed}/${total}), below its minimum of ${percent(agent.eval.minAccuracy)}`,
      evalRunId,
    );
  }
  return { ...summary, agentId: agent.id, cases: results, suspended };
}

/** An agent's suite name: its manifest's, or its id (the file is evals/<id>.jsonl either way). */
export function suiteName(agent: AgentManifest): string {
  return agent.eval.suite ?? agent.id;
}

async function runCase(
  runtime: Runtime,
  ledger: Ledger,
  agent: AgentManifest,
  golden: EvalCase,
  evalRunId: string,
  suite: string,
  stopped: () => boolean,
): Promise<CaseResult | null> {
  const started = performance.now();
  let result: RunResult;
  try {
    result = await runtime.run(agent.id, golden.input, {
      eval: { evalRunId, caseId: golden.id, toolResults: golden.toolResults },
    });
  } catch (error) {
    // The run could not even start (the ledger refused it): a failed case, not a failed suite.
    result = { runId: '', agentId: agent.id, status: 'error', error: { code: 'E_INTERNAL', message: String(error) } };
  }
  // A run cut short by the process closing says nothing about the agent.
  if (stopped()) return null;
  const latencyMs = round(performance.now() - started);
  const tree = result.runId ? runTree(ledger, result.runId) : [];
  const attempt: Attempt = { output: result.output ?? null, calls: callsOf(tree) };
  const graded =
    result.status === 'ok'
      ? grade(golden.grader, golden.expected, attempt)
      : { passed: false, diff: [`the run ended ${result.status}: ${result.error?.message ?? ''}`.trim()] };
  const payload: CaseResult = {
    evalRunId,
    suite,
    caseId: golden.id,
    runId: result.runId || `run-none-${evalRunId}`,
    grader: golden.grader,
    passed: graded.passed,
    output: attempt.output,
    expected: golden.expected,
    diff: graded.diff,
    ...(result.status !== 'ok' && result.error ? { error: result.error } : {}),
    latencyMs,
    costUsd: costOf(tree),
  };
  await ledger.append({ type: 'eval.case', agentId: agent.id, payload });
  return payload;
}

/** Every event of a run and of the runs it handed off to, in chain order. */
function runTree(ledger: Ledger, rootRunId: string): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  const pending = [rootRunId];
  while (pending.length > 0) {
    for (const event of ledger.reader.each({ runId: pending.pop()! })) {
      events.push(event);
      if (isEvent(event, 'handoff')) pending.push(event.payload.childRunId);
    }
  }
  return events.sort((a, b) => a.seq - b.seq);
}

/** The tool calls the agent asked for (whatever the gateway decided), handoffs included. */
function callsOf(events: LedgerEvent[]): TrajectoryCall[] {
  return events.flatMap((event): TrajectoryCall[] => {
    if (isEvent(event, 'tool.requested')) {
      const p = event.payload;
      return [{ tool: `${p.server}.${p.tool}`, args: p.args }];
    }
    if (isEvent(event, 'handoff')) {
      const p = event.payload;
      return [{ tool: 'warden.handoff', args: { to: p.toAgentId, intent: p.intent } as JsonValue }];
    }
    return [];
  });
}

function costOf(events: LedgerEvent[]): number {
  let usd = 0;
  for (const event of events) {
    if (isEvent(event, 'model.called')) usd += event.payload.costUsd;
    else if (isEvent(event, 'tool.result')) usd += event.payload.costUsd ?? 0;
  }
  return usd;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
