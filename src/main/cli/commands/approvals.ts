import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { UsageError, WardenError } from '../../../shared/errors.js';
import { ApprovalBook, type Approval } from '../../gateway/approvals.js';
import { approvalView as view } from '../../host/api/index.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { Ledger } from '../../ledger/index.js';
import { openWarden } from '../../host/warden.js';
import { orphanedRun } from '../../gateway/parked.js';
import { endRejected } from '../../runtime/recovery.js';
import { runOutcome } from '../../runtime/outcome.js';
import { parse, str } from '../args.js';
import { EXIT, redacting, type CliIO, type CommandRun } from '../io.js';
import { usd } from '../../../shared/money.js';

const FLAGS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  by: { type: 'string' },
  reason: { type: 'string' },
} as const;

/** `warden approvals list`: the requests waiting for a person. */
export const approvalsList: CommandRun = async (argv, io) => {
  const name = 'warden approvals list';
  const parsed = parse(name, argv, FLAGS, 0);
  return withBook(parsed.values['data-dir'] as string | undefined, (book) => {
    const pending = book.pending();
    if (parsed.values.json === true) io.out(JSON.stringify({ pending: pending.map(view) }));
    else if (pending.length === 0) io.out('No approvals are waiting.');
    else for (const a of pending) io.out(line(a));
    return EXIT.ok;
  });
};

/** `warden approvals approve ID`. */
export const approvalsApprove: CommandRun = (argv, io) => decideCommand('approve', argv, io);

/** `warden approvals reject ID --reason TEXT`. */
export const approvalsReject: CommandRun = (argv, io) => decideCommand('reject', argv, io);

async function decideCommand(verb: 'approve' | 'reject', argv: string[], io: CliIO): Promise<number> {
  const name = `warden approvals ${verb}`;
  const parsed = parse(name, argv, FLAGS, 1);
  const approvalId = parsed.positionals[0];
  if (!approvalId) throw new UsageError(`${name}: name the approval (warden approvals list shows them)`);
  const reason = str(parsed, 'reason', name);
  if (verb === 'reject' && !reason?.trim())
    throw new UsageError(`${name}: --reason is required: say why, for the record`);
  const by = str(parsed, 'by', name) ?? `cli:${userInfo().username}`;
  const dataDir = resolve(str(parsed, 'data-dir', name) ?? defaultDataDir());
  const ledger = Ledger.open(dataDir, { mode: 'existing' });
  let approval: Approval;
  let orphan: { rosterDir: string } | null = null;
  let ended = false;
  try {
    approval = await new ApprovalBook(ledger).decide({
      approvalId,
      decision: verb === 'approve' ? 'approved' : 'rejected',
      by,
      ...(reason ? { reason } : {}),
    });
    const parked = orphanedRun(ledger, approval.runId);
    // Rejected with nobody left to tell its agent: the run ends here, as rejected.
    if (parked && verb === 'reject') ended = await endRejected(ledger, approval);
    // Approved, it is carried on here where its roster still is (a run moved with its folder is not).
    else if (parked?.roster && existsSync(parked.roster)) orphan = { rosterDir: parked.roster };
  } catch (error) {
    if (error instanceof WardenError && error.code === 'E_APPROVAL') throw new UsageError(`${name}: ${error.message}`);
    throw error;
  } finally {
    ledger.close();
  }
  const json = parsed.values.json === true;
  const said = `${approvalId} ${approval.decision?.decision} by ${by}: ${approval.request.server}.${approval.request.tool}${money(approval)}.`;
  if (ended) {
    const run = { runId: approval.runId, agentId: approval.agentId, status: 'rejected' };
    io.out(
      json
        ? JSON.stringify({ ...view(approval), run })
        : `${said} Run ${approval.runId}, whose process has exited, ended rejected.`,
    );
    return EXIT.ok;
  }
  if (!orphan) {
    // The run's own process is alive (the console, a warden run) and takes it from here.
    io.out(json ? JSON.stringify(view(approval)) : said);
    return EXIT.ok;
  }
  // The process that was running it is gone: carry the run on here, to its end.
  if (!json) io.out(`${said} Continuing run ${approval.runId}, whose process has exited…`);
  const warden = await openWarden({ rosterDir: orphan.rosterDir, dataDir });
  const say = redacting(io, (text) => warden.ledger.redactText(text));
  try {
    const result = await warden.runtime.wait(approval.runId);
    // What the run came to, as warden run counts it: a call that failed after the approval fails it.
    const { failedCalls, verdict } = runOutcome(warden.ledger, result);
    if (json) say.out(JSON.stringify({ ...view(approval), run: { ...result, verdict, failedCalls } }));
    else {
      say.out(
        `Run ${result.runId} ${result.status}: ${result.status === 'ok' ? JSON.stringify(result.output) : (result.error?.message ?? '')}`,
      );
      for (const call of failedCalls)
        say.err(
          `tool call ${call.rejected ? 'rejected' : 'failed'}: ${call.tool}: ${call.error.message} [${call.error.code}]`,
        );
    }
    return verdict === 'succeeded' ? EXIT.ok : verdict === 'rejected' ? EXIT.rejected : EXIT.checkFailed;
  } finally {
    await warden.close();
  }
}

async function withBook(
  dataDirFlag: string | undefined,
  use: (book: ApprovalBook) => number | Promise<number>,
): Promise<number> {
  const ledger = Ledger.open(resolve(dataDirFlag ?? defaultDataDir()), { mode: 'existing' });
  try {
    return await use(new ApprovalBook(ledger));
  } finally {
    ledger.close();
  }
}

function money(a: Approval): string {
  return a.request.amountUsd === undefined ? '' : `, ${usd(a.request.amountUsd)}`;
}

function line(a: Approval): string {
  return `${a.approvalId}  ${a.agentId}  ${a.request.server}.${a.request.tool}${money(a)}  ${a.request.rule}  ${JSON.stringify(a.request.args)}  (run ${a.runId}, expires ${a.request.expiresAt})`;
}
