import { WardenError } from '../../../shared/errors.js';
import type { Warden } from '../warden.js';
import type { Handlers, HostParts } from './methods.js';
import { promptView } from './views.js';

/** Prompts: an agent's versions, a new one, a rollback (as a new version; history is never rewritten). */
export function promptHandlers({
  warden,
}: HostParts): Pick<Handlers, 'prompts.history' | 'prompts.set' | 'prompts.rollback'> {
  const { prompts } = warden.runtime;
  return {
    'prompts.history': ({ agentId }) => prompts.history(knownAgent(warden, agentId)).map(promptView),
    'prompts.set': async ({ agentId, text, reason }, by) =>
      promptView(await prompts.set(knownAgent(warden, agentId), text, by, reason)),
    'prompts.rollback': async ({ agentId, to, reason }, by) =>
      promptView(await prompts.rollback(knownAgent(warden, agentId), to, by, reason)),
  };
}

/** The agent's id when the roster has it: a prompt is never recorded for an agent that is not there. */
function knownAgent({ roster }: Warden, agentId: string): string {
  if (roster.agents.some((a) => a.id === agentId)) return agentId;
  throw new WardenError(
    'E_AGENT_UNKNOWN',
    `no agent "${agentId}" in the roster (agents: ${roster.agents.map((a) => a.id).join(', ')})`,
  );
}
