import { resolve } from 'node:path';
import { UsageError } from '../../../shared/errors.js';
import { runSuite, type SuiteResult } from '../../evals/runner.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { openWarden, type Warden } from '../../host/warden.js';
import { parse, str } from '../args.js';
import { EXIT, redacting, type CliIO, type CommandRun } from '../io.js';

const NAME = 'warden eval';
/** Failing cases printed per suite; --json carries them all. */
const SHOWN_FAILURES = 5;

/**
 * `warden eval --roster R [--agent A]`: runs golden suites as eval runs and grades them. Exit 1
 * when any agent falls below its minimum accuracy (it is then suspended).
 */
export const evalCommand: CommandRun = async (argv, io) => {
  const parsed = parse(
    NAME,
    argv,
    {
      roster: { type: 'string' },
      agent: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  const rosterDir = str(parsed, 'roster', NAME, true);
  const agentId = str(parsed, 'agent', NAME);
  const dataDir = resolve(str(parsed, 'data-dir', NAME) ?? defaultDataDir());
  const warden = await openWarden({ rosterDir, dataDir, workers: 2 });
  try {
    const results = await runSuites(warden, rosterDir, agentId);
    const below = results.filter((r) => r.suspended);
    // Cases' outputs and diffs may hold a secret the roster reads: printed as the ledger holds them.
    const say = redacting(io, (text) => warden.ledger.redactText(text));
    if (parsed.values.json === true) {
      say.out(JSON.stringify({ dataDir, suites: results, below: below.map((r) => r.agentId) }));
    } else {
      print(say, results, dataDir);
    }
    return below.length > 0 ? EXIT.checkFailed : EXIT.ok;
  } finally {
    await warden.close();
  }
};

/** Every suite the roster has (or the one agent's), one agent after another. */
export async function runSuites(
  warden: Warden,
  rosterDir: string,
  agentId: string | undefined,
  by = 'cli',
): Promise<SuiteResult[]> {
  const { agents, evals } = warden.roster;
  if (agentId !== undefined && !agents.some((a) => a.id === agentId))
    throw new UsageError(
      `${NAME}: --agent: no agent "${agentId}" in ${rosterDir} (agents: ${agents.map((a) => a.id).join(', ')})`,
    );
  const chosen = agents.filter(
    (a) => (agentId === undefined || a.id === agentId) && (evals.get(a.id)?.length ?? 0) > 0,
  );
  if (chosen.length === 0)
    throw new UsageError(
      `${NAME}: ${agentId ? `${agentId} has no eval suite` : `${rosterDir} has no eval suites`} (expected evals/${agentId ?? '<agent>'}.jsonl)`,
    );
  const results: SuiteResult[] = [];
  for (const agent of chosen)
    results.push(await runSuite(warden.runtime, warden.ledger, agent, evals.get(agent.id)!, { by }));
  return results;
}

function print(io: CliIO, results: SuiteResult[], dataDir: string): void {
  const width = Math.max(...results.map((r) => r.agentId.length));
  io.out(`Eval suites (data in ${dataDir})`);
  for (const r of results) {
    const verdict = r.suspended
      ? `BELOW ${percent(r.minAccuracy)}: suspended`
      : `ok (minimum ${percent(r.minAccuracy)})`;
    io.out(
      `  ${r.agentId.padEnd(width)}  ${`${r.passed}/${r.total}`.padStart(7)}  ${percent(r.accuracy).padStart(6)}  ${verdict}  ${r.evalRunId}`,
    );
    const failed = r.cases.filter((c) => !c.passed);
    for (const c of failed.slice(0, SHOWN_FAILURES)) io.out(`      ${c.caseId}: ${c.diff[0] ?? 'failed'}`);
    if (failed.length > SHOWN_FAILURES)
      io.out(`      … and ${failed.length - SHOWN_FAILURES} more failed cases (--json lists them)`);
  }
  const suspended = results.filter((r) => r.suspended).map((r) => r.agentId);
  if (suspended.length > 0)
    io.out(`Suspended: ${suspended.join(', ')}. They start no runs until a person resumes them (console, Evals view).`);
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
