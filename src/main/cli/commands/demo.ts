import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { JsonValueSchema } from '../../../shared/json.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { openWarden } from '../../host/warden.js';
import type { RunResult } from '../../runtime/runtime.js';
import { parse, str } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';
import { runSuites } from './eval.js';

const NAME = 'warden demo';

/** The demo roster shipped with Warden. */
export const DEMO_ROSTER = fileURLToPath(new URL('../../../../resources/demo', import.meta.url));

const TasksSchema = z.strictObject({
  tasks: z.array(z.strictObject({ name: z.string(), agent: z.string(), input: JsonValueSchema })),
});

/**
 * `warden demo`: runs the demo roster's sample tasks side by side and summarises them. A task
 * that waits for a person's approval is reported as waiting, and its approval stays pending.
 */
export const demo: CommandRun = async (argv, io) => {
  const parsed = parse(NAME, argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } }, 0);
  const dataDir = resolve(str(parsed, 'data-dir', NAME) ?? defaultDataDir());
  const { tasks } = TasksSchema.parse(parseYaml(readFileSync(resolve(DEMO_ROSTER, 'tasks.yaml'), 'utf8')));
  const warden = await openWarden({ rosterDir: DEMO_ROSTER, dataDir, workers: 2, pollMs: 100 });
  try {
    const started = await Promise.all(
      tasks.map(async (task) => ({ task, runId: await warden.runtime.start(task.agent, task.input) })),
    );
    const outcomes = await Promise.all(
      started.map(async ({ task, runId }) => ({
        task,
        runId,
        result: await finishedOrWaiting(warden.runtime.wait(runId), () =>
          warden.approvals.pending().some((a) => a.runId === runId),
        ),
      })),
    );
    // What the tasks set off, counted before the suites add their own (simulated) share.
    const mechanisms = {
      circuitsTripped: warden.ledger.reader.count({ type: 'circuit.tripped' }),
      limitsHit: warden.ledger.reader.count({ type: 'sandbox.limit' }),
      guardrailsTripped: warden.ledger.reader.count({ type: 'guardrail.tripped' }),
      drafts: warden.ledger.reader.count({ type: 'draft.recorded' }),
    };
    // Then every agent's golden suite: the one below its minimum accuracy is suspended.
    const suites = warden.roster.evals.size > 0 ? await runSuites(warden, DEMO_ROSTER, undefined, 'demo') : [];
    const pending = warden.approvals.pending();
    const head = warden.ledger.reader.head();
    const summary = {
      dataDir,
      runs: outcomes.map(({ task, runId, result }) => ({
        task: task.name,
        agent: task.agent,
        runId,
        status: result === 'waiting' ? 'waiting for approval' : result.status,
        ...(result !== 'waiting' && result.error ? { error: result.error } : {}),
      })),
      approvalsPending: pending.map((a) => ({
        approvalId: a.approvalId,
        tool: `${a.request.server}.${a.request.tool}`,
        amountUsd: a.request.amountUsd ?? null,
      })),
      ...mechanisms,
      evals: suites.map((r) => ({
        agent: r.agentId,
        evalRunId: r.evalRunId,
        passed: r.passed,
        total: r.total,
        accuracy: r.accuracy,
        minAccuracy: r.minAccuracy,
        suspended: r.suspended,
      })),
      chainHead: head,
    };
    if (parsed.values.json === true) {
      io.out(JSON.stringify(summary));
    } else {
      io.out(`Acme Supplies demo: ${tasks.length} tasks, data in ${dataDir}`);
      for (const r of summary.runs)
        io.out(`  ${r.status.padEnd(21)} ${r.agent.padEnd(16)} ${r.task}${r.error ? ` (${r.error.code})` : ''}`);
      io.out(
        `Approvals waiting: ${pending.length}${pending.map((a) => `\n  ${a.approvalId}  ${a.request.server}.${a.request.tool}  ${a.request.reason}`).join('')}`,
      );
      io.out(
        `Circuits tripped: ${summary.circuitsTripped}; limits hit: ${summary.limitsHit}; guardrails tripped: ${summary.guardrailsTripped}; drafts for a human: ${summary.drafts}`,
      );
      if (suites.length > 0) {
        io.out('Eval suites:');
        for (const r of summary.evals)
          io.out(
            `  ${r.agent.padEnd(16)} ${`${r.passed}/${r.total}`.padStart(7)}  ${(r.accuracy * 100).toFixed(1).padStart(5)}%${r.suspended ? `  below ${(r.minAccuracy * 100).toFixed(0)}%: suspended until a person resumes it` : ''}`,
          );
      }
      io.out(`Ledger head: seq ${head?.seq ?? 0} ${head?.hash ?? ''}`);
      if (pending.length > 0)
        io.out(`Decide with: warden approvals approve ID | reject ID --reason TEXT (--data-dir ${dataDir})`);
    }
    return EXIT.ok;
  } finally {
    await warden.close();
  }
};

/** Resolves with the run's result, or 'waiting' once it waits for a person. */
async function finishedOrWaiting(result: Promise<RunResult>, waiting: () => boolean): Promise<RunResult | 'waiting'> {
  for (;;) {
    const settled = await Promise.race([result, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
    if (settled) return settled;
    if (waiting()) return 'waiting';
  }
}
