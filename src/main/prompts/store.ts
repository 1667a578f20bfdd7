import { WardenError } from '../../shared/errors.js';
import type { EventPayload } from '../../shared/events.js';
import type { AgentManifest } from '../../shared/roster.js';
import { sha256Hex } from '../ledger/hash.js';
import type { Ledger } from '../ledger/index.js';

/** One version of an agent's system prompt, as the ledger holds it. */
export interface PromptVersion extends EventPayload<'prompt.changed'> {
  agentId: string;
  seq: number;
  ts: string;
}

/** Who a version came from when it was read from the roster's manifest. */
const FROM_MANIFEST = (agentId: string) => `roster:agents/${agentId}.yaml`;

/**
 * Agents' system prompts, versioned in the ledger: each change is a `prompt.changed` event
 * with the new text, its SHA-256, who made it and why. The latest version is the one runs use
 * and record. A prompt first comes from the manifest; a changed manifest prompt is a new
 * version too, so editing the YAML file is never a silent change.
 */
export class PromptStore {
  constructor(private readonly ledger: Ledger) {}

  /** Records the manifest's prompt as a new version when it is new or the manifest changed it. */
  async adoptManifests(agents: readonly AgentManifest[]): Promise<void> {
    for (const agent of agents) {
      const text = agent.prompt || agent.role;
      const fromManifest = [...this.history(agent.id)].reverse().find((v) => v.by === FROM_MANIFEST(agent.id));
      if (fromManifest && fromManifest.text === text) continue;
      await this.set(
        agent.id,
        text,
        FROM_MANIFEST(agent.id),
        fromManifest ? `agents/${agent.id}.yaml changed its prompt` : `the prompt of agents/${agent.id}.yaml`,
      );
    }
  }

  /** Every version of an agent's prompt, oldest first. */
  history(agentId: string): PromptVersion[] {
    return [...this.ledger.reader.each({ agentId, type: 'prompt.changed' })].map((e) => ({
      ...e.payload,
      agentId,
      seq: e.seq,
      ts: e.ts,
    }));
  }

  /** Every version of every agent's prompt, by agent, oldest first. */
  all(): PromptVersion[] {
    return [...this.ledger.reader.each({ type: 'prompt.changed' })]
      .map((e) => ({ ...e.payload, agentId: e.agentId!, seq: e.seq, ts: e.ts }))
      .sort((a, b) => a.agentId.localeCompare(b.agentId) || a.seq - b.seq);
  }

  /** The version runs use now, or null when the agent has none yet. */
  current(agentId: string): PromptVersion | null {
    const last = this.ledger.reader.page({ agentId, type: 'prompt.changed', order: 'desc', limit: 1 }).events[0];
    return last ? { ...last.payload, agentId, seq: last.seq, ts: last.ts } : null;
  }

  /** Sets a new version; the version number is decided inside the write, so two writers never share one. */
  async set(agentId: string, text: string, by: string, reason: string): Promise<PromptVersion> {
    if (!reason.trim()) throw new WardenError('E_USAGE', 'a prompt change needs a reason, for the record');
    if (!text.trim()) throw new WardenError('E_USAGE', 'a prompt cannot be empty');
    const event = await this.ledger.appendIf(() => {
      const version = (this.current(agentId)?.version ?? 0) + 1;
      return { type: 'prompt.changed', agentId, payload: { version, sha256: sha256Hex(text), text, by, reason } };
    });
    return { ...event.payload, agentId, seq: event.seq, ts: event.ts };
  }

  /** Makes an earlier version current again, as a new version (history is never rewritten). */
  async rollback(agentId: string, to: number, by: string, reason: string): Promise<PromptVersion> {
    const target = this.history(agentId).find((v) => v.version === to);
    if (!target) throw new WardenError('E_USAGE', `${agentId} has no prompt version ${to}`);
    return this.set(agentId, target.text, by, `rollback to v${to}: ${reason}`);
  }
}
