import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { UsageError, WardenError } from '../../../shared/errors.js';
import { ApprovalBook, type Approval } from '../../gateway/approvals.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { Ledger } from '../../ledger/index.js';
import { parse, str } from '../args.js';
import { EXIT, type CliIO, type CommandRun } from '../io.js';

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
  return withBook(parsed.values['data-dir'] as string | undefined, async (book) => {
    try {
      const decided = await book.decide({
        approvalId,
        decision: verb === 'approve' ? 'approved' : 'rejected',
        by,
        ...(reason ? { reason } : {}),
      });
      if (parsed.values.json === true) io.out(JSON.stringify(view(decided)));
      else
        io.out(
          `${approvalId} ${decided.decision?.decision} by ${by}: ${decided.request.server}.${decided.request.tool}${money(decided)}.`,
        );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof WardenError && error.code === 'E_APPROVAL')
        throw new UsageError(`${name}: ${error.message}`);
      throw error;
    }
  });
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

function view(a: Approval) {
  return {
    approvalId: a.approvalId,
    runId: a.runId,
    agentId: a.agentId,
    requestedAt: a.requestedAt,
    tool: `${a.request.server}.${a.request.tool}`,
    args: a.request.args,
    amountUsd: a.request.amountUsd ?? null,
    rule: a.request.rule,
    reason: a.request.reason,
    expiresAt: a.request.expiresAt,
    decision: a.decision,
  };
}

function money(a: Approval): string {
  return a.request.amountUsd === undefined
    ? ''
    : `, $${a.request.amountUsd.toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
}

function line(a: Approval): string {
  return `${a.approvalId}  ${a.agentId}  ${a.request.server}.${a.request.tool}${money(a)}  ${a.request.rule}  ${JSON.stringify(a.request.args)}  (run ${a.runId}, expires ${a.request.expiresAt})`;
}
