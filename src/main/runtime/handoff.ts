import { WardenError } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import type { AgentManifest } from '../../shared/roster.js';
import type { Ledger } from '../ledger/index.js';
import { newId } from '../ledger/ids.js';
import type { NewEvent } from '../../shared/events.js';
import type { Origin, RunContext, RunEvent } from './context.js';
import type { Hold } from './pauses.js';
import type { HandoffRequest } from './steps.js';

/** What a handoff needs of the runtime that makes it. */
export interface HandoffEnv {
  ledger: Ledger;
  /** The roster's agent by id; throws for an unknown one. */
  agent(agentId: string): AgentManifest;
  hold(agentId: string): Hold | null;
  /** Throws when an agent's model cannot be called yet. */
  checkModelReady(agent: AgentManifest): void;
  waitWhilePaused(run: RunContext): Promise<void>;
  /** A new run's context (not yet recorded). */
  context(runId: string, agent: AgentManifest, input: JsonValue, origin: Origin): RunContext;
  /** A run's `run.started` event. */
  started(run: RunContext): RunEvent;
  /** Runs a child to its end, inside its parent's slot; never rejects. */
  execute(
    child: RunContext,
  ): Promise<{ status: string; output?: JsonValue; error?: { code: string; message: string } }>;
}

/**
 * Hands a task to another agent: a child run with the hop count + 1, inside the parent's
 * slot. A chain longer than the hop limit trips the circuit: recorded, a human alerted, and
 * the handoff refused. The child stops with its parent.
 */
export async function handoff(
  env: HandoffEnv,
  parent: RunContext,
  to: string,
  request: HandoffRequest,
): Promise<JsonValue> {
  await env.waitWhilePaused(parent);
  const target = env.agent(to);
  const hop = parent.hop + 1;
  const chain = [...parent.chain, target.id];
  const hopLimit = parent.agent.limits.hopLimit;
  if (hop > hopLimit) {
    await parent.record({ type: 'circuit.tripped', payload: { hop, hopLimit, chain } });
    await parent.record({
      type: 'alert.raised',
      payload: {
        kind: 'circuit',
        message: `handoff chain ${chain.join(' → ')} passed its hop limit of ${hopLimit}; a human should look`,
      },
    });
    throw new WardenError('E_HOP_LIMIT', `handoff to ${to} refused: the chain is past its hop limit of ${hopLimit}`);
  }
  const hold = env.hold(target.id);
  if (hold && !parent.eval) throw new WardenError('E_AGENT_PAUSED', `${target.id} is ${hold}`);
  env.checkModelReady(target);
  const child = env.context(newId('run'), target, request.context, {
    parentRunId: parent.runId,
    hop,
    chain,
    ...(parent.eval ? { eval: parent.eval } : {}),
  });
  // The handoff and the child's start, in one transaction, before the child does anything.
  await env.ledger.appendMany([
    {
      type: 'handoff',
      runId: parent.runId,
      agentId: parent.agent.id,
      payload: { toAgentId: target.id, childRunId: child.runId, hop, ...request },
    },
    { ...env.started(child), runId: child.runId, agentId: target.id } as NewEvent,
  ]);
  const stopChild = () => child.abort.abort();
  parent.abort.signal.addEventListener('abort', stopChild, { once: true });
  const ended = await env.execute(child);
  parent.abort.signal.removeEventListener('abort', stopChild);
  if (ended.status !== 'ok') {
    if (ended.error?.code === 'E_HOP_LIMIT') throw new WardenError('E_HOP_LIMIT', ended.error.message);
    throw new WardenError(
      'E_HANDOFF',
      `${target.id} did not finish the handoff (${ended.status}): ${ended.error?.message ?? ''}`,
    );
  }
  return ended.output ?? null;
}
