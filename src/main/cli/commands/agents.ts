import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../../../shared/errors.js';
import { ID_PATTERN } from '../../../shared/events.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { Ledger } from '../../ledger/index.js';
import { PausedAgents } from '../../runtime/pauses.js';
import { parse, str } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';

/**
 * `warden agents resume ID [--reason TEXT]`: lets a paused or suspended agent run again, with
 * who and why on record; the same resume the console's Roster and Evals views offer.
 */
export const agentsResume: CommandRun = async (argv, io) => {
  const name = 'warden agents resume';
  const parsed = parse(
    name,
    argv,
    { 'data-dir': { type: 'string' }, by: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
    1,
  );
  const agentId = parsed.positionals[0];
  if (!agentId || !ID_PATTERN.test(agentId)) throw new UsageError(`${name}: name the agent to resume`);
  const by = str(parsed, 'by', name) ?? `cli:${userInfo().username}`;
  const reason = str(parsed, 'reason', name);
  const ledger = Ledger.open(resolve(str(parsed, 'data-dir', name) ?? defaultDataDir()), { mode: 'existing' });
  try {
    const holds = new PausedAgents(ledger, [agentId]);
    const hold = holds.hold(agentId);
    if (!hold) throw new UsageError(`${name}: ${agentId} is neither paused nor suspended`);
    await holds.resume(agentId, by, reason);
    if (parsed.values.json === true) io.out(JSON.stringify({ agentId, was: hold, by }));
    else io.out(`${agentId} was ${hold}; resumed by ${by}. It starts runs again.`);
    return EXIT.ok;
  } finally {
    ledger.close();
  }
};
