import { resolve } from 'node:path';
import { UsageError } from '../../../shared/errors.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { openWarden } from '../../host/warden.js';
import { runOutcome, type RunOutcome } from '../../runtime/outcome.js';
import { parse, str } from '../args.js';
import { EXIT, redacting, type CliIO, type CommandRun } from '../io.js';
import { readJsonInput } from './input.js';

const NAME = 'warden run';

/**
 * `warden run --roster R --agent A --input JSON|@file`: one task, waited for to the end
 * (approvals included). Exit 0 only when the run succeeded; 1 when it failed, 3 when a person
 * rejected a call it made. Everything printed is redacted as the ledger is.
 */
export const run: CommandRun = async (argv, io) => {
  const parsed = parse(
    NAME,
    argv,
    {
      roster: { type: 'string' },
      agent: { type: 'string' },
      input: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  const rosterDir = str(parsed, 'roster', NAME, true);
  const agentId = str(parsed, 'agent', NAME, true);
  const input = readJsonInput(NAME, str(parsed, 'input', NAME, true));
  const dataDir = resolve(str(parsed, 'data-dir', NAME) ?? defaultDataDir());
  const warden = await openWarden({ rosterDir, dataDir });
  // A tool's output, a model's reply or an error may hold a secret the roster reads.
  const say = redacting(io, (text) => warden.ledger.redactText(text));
  try {
    if (!warden.roster.agents.some((a) => a.id === agentId)) {
      throw new UsageError(
        `${NAME}: --agent: no agent "${agentId}" in ${rosterDir} (agents: ${warden.roster.agents.map((a) => a.id).join(', ')})`,
      );
    }
    // Say where a person can decide, for each approval this run (or a child of it) waits on.
    warden.runtime.onApprovalRequested((approval) => {
      say.err(
        `waiting for approval ${approval.approvalId}: ${approval.request.server}.${approval.request.tool} (${approval.request.reason}). ` +
          `Decide with: warden approvals approve ${approval.approvalId} | reject ${approval.approvalId} --reason TEXT`,
      );
    });
    const runId = await warden.runtime.start(agentId, input);
    const outcome = runOutcome(warden.ledger, await warden.runtime.wait(runId));
    if (parsed.values.json === true) say.out(JSON.stringify({ ...outcome.result, ...summaryOf(outcome) }));
    else tell(say, outcome);
    return outcome.verdict === 'succeeded'
      ? EXIT.ok
      : outcome.verdict === 'rejected'
        ? EXIT.rejected
        : EXIT.checkFailed;
  } catch (error) {
    // An error's one line (a model's, a server's) is printed by main: redacted like the rest.
    if (error instanceof Error) error.message = warden.ledger.redactText(error.message);
    throw error;
  } finally {
    await warden.close();
  }
};

/** The verdict and the failed calls, as `--json` adds them to the run's result. */
function summaryOf(outcome: RunOutcome): Record<string, unknown> {
  return { verdict: outcome.verdict, failedCalls: outcome.failedCalls };
}

/** The output on stdout; on stderr, every call that failed and, unless it succeeded, how the run ended. */
function tell(io: CliIO, { result, failedCalls, verdict }: RunOutcome): void {
  if (result.status === 'ok')
    io.out(typeof result.output === 'string' ? result.output : JSON.stringify(result.output, null, 2));
  for (const call of failedCalls) {
    const where = call.runId === result.runId ? '' : ` (in run ${call.runId} of ${call.agentId})`;
    io.err(
      `tool call ${call.rejected ? 'rejected' : 'failed'}: ${call.tool}${where}: ${call.error.message} [${call.error.code}]`,
    );
  }
  if (result.status !== 'ok')
    io.err(`${result.status}: ${result.error?.message ?? ''} [${result.error?.code ?? ''}] (run ${result.runId})`);
  else if (verdict !== 'succeeded') {
    const n = failedCalls.length;
    io.err(
      `run ${result.runId} finished, but without ${n === 1 ? 'a tool call' : `${n} tool calls`} it made: it did not succeed`,
    );
  }
}
