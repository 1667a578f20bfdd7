import { resolve } from 'node:path';
import { UsageError } from '../../../shared/errors.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { openWarden } from '../../host/warden.js';
import { parse, str } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';
import { readJsonInput } from './input.js';

const NAME = 'warden run';

/** `warden run --roster R --agent A --input JSON|@file`: one task, waited for to the end (approvals included). */
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
  try {
    if (!warden.roster.agents.some((a) => a.id === agentId)) {
      throw new UsageError(
        `${NAME}: --agent: no agent "${agentId}" in ${rosterDir} (agents: ${warden.roster.agents.map((a) => a.id).join(', ')})`,
      );
    }
    // Say where a person can decide, for each approval this run (or a child of it) waits on.
    warden.runtime.onApprovalRequested((approval) => {
      io.err(
        `waiting for approval ${approval.approvalId}: ${approval.request.server}.${approval.request.tool} (${approval.request.reason}). ` +
          `Decide with: warden approvals approve ${approval.approvalId} | reject ${approval.approvalId} --reason TEXT`,
      );
    });
    const runId = await warden.runtime.start(agentId, input);
    const result = await warden.runtime.wait(runId);
    if (parsed.values.json === true) io.out(JSON.stringify(result));
    else if (result.status === 'ok')
      io.out(typeof result.output === 'string' ? result.output : JSON.stringify(result.output, null, 2));
    else io.err(`${result.status}: ${result.error?.message ?? ''} [${result.error?.code ?? ''}] (run ${runId})`);
    return result.status === 'ok' ? EXIT.ok : EXIT.checkFailed;
  } finally {
    await warden.close();
  }
};
