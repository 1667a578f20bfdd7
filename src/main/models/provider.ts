import { WardenError } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import type { ChatMessage, ChatResponse, ToolDefinition } from '../../shared/models.js';

/**
 * What the runtime asks a provider for: one turn of an agent's conversation. The messages and
 * tools come from the agent program (parsed with ModelRequestSchema); the rest from the run.
 */
export interface ChatRequest {
  /** The agent whose program asked. */
  agentId: string;
  /** The model, the part of the manifest's `provider:model` after the first colon. */
  model: string;
  messages: ChatMessage[];
  /** Tools the model may call; empty when the program offered none. */
  tools: ToolDefinition[];
  /** The run's task input; real providers ignore it, the scripted model matches on it. */
  task: JsonValue;
  /** Aborts the call when the run is cancelled; the call then rejects with E_CANCELLED. */
  signal?: AbortSignal;
  /** Told each piece of the answer's text as it streams in (a live view); a provider that does not stream never calls it. */
  onText?: (delta: string) => void;
}

/**
 * A source of model answers: the scripted model offline, Anthropic or OpenAI over HTTP. A
 * provider turns its own failures into a WardenError (E_MODEL) so runs and the ledger see codes.
 */
export interface ModelProvider {
  /** The part of `provider:model` before the colon, e.g. "scripted". */
  readonly name: string;
  /** Answers one turn; rejects with E_CANCELLED once `request.signal` is aborted. */
  chat(request: ChatRequest): Promise<ChatResponse>;
  /** Why it cannot be called now (no API key yet), or null; runs of its agents are refused until then. */
  unavailable?(): string | null;
}

/** A manifest's `provider:model`, split. */
export interface ModelRef {
  provider: string;
  model: string;
}

// The same shape warden.yaml and agent manifests accept; the model may hold colons ("ft:gpt-4o:acme").
const MODEL_REF = /^([a-z0-9-]+):(.+)$/;

/** Splits `scripted:demo` into `{ provider: 'scripted', model: 'demo' }`; a bad ref is an E_MODEL error. */
export function parseModelRef(ref: string): ModelRef {
  const match = MODEL_REF.exec(ref);
  if (!match) {
    throw new WardenError('E_MODEL', `model "${ref}": expected provider:model, e.g. scripted:demo`);
  }
  return { provider: match[1]!, model: match[2]! };
}

/** Throws E_CANCELLED if the signal is aborted: a provider calls it before work and after each wait. */
export function throwIfCancelled(signal: AbortSignal | undefined, what = 'the model call'): void {
  // Cancellation is not failure: its own code lets the runtime end the run as cancelled.
  if (signal?.aborted) throw new WardenError('E_CANCELLED', `${what} was cancelled`);
}

/** Looks providers up by name, as RuntimeEnv.model does; an unknown name is an E_MODEL error listing the known ones. */
export function providerLookup(providers: readonly ModelProvider[]): (name: string) => ModelProvider {
  const byName = new Map(providers.map((p) => [p.name, p]));
  return (name) => {
    const provider = byName.get(name);
    if (provider) return provider;
    const known = [...byName.keys()].map((n) => `"${n}"`).join(', ') || 'none';
    throw new WardenError('E_MODEL', `model provider "${name}" is not configured (configured: ${known})`);
  };
}
