import { agentModel, type AgentManifest, type WardenConfig } from '../../shared/roster.js';
import type { RosterProblem } from '../documents/files.js';
import { providerKind } from './factory.js';

/** A model's price, USD per million tokens, as warden.yaml `prices` holds it. */
export type ModelPrice = WardenConfig['prices'][string];

/**
 * List prices of well-known models, USD per million input/output tokens, as the vendors
 * published them; warden.yaml `prices` overrides any of them (a negotiated rate, a new model).
 * Keyed by the API kind, since a roster may name its provider anything ("claude:…").
 */
export const DEFAULT_PRICES: Readonly<Record<'anthropic' | 'openai', Readonly<Record<string, ModelPrice>>>> = {
  anthropic: {
    'claude-opus-4-6': { inputPerMTokUsd: 5, outputPerMTokUsd: 25 },
    'claude-opus-4-5': { inputPerMTokUsd: 5, outputPerMTokUsd: 25 },
    'claude-opus-4-1': { inputPerMTokUsd: 15, outputPerMTokUsd: 75 },
    'claude-opus-4-0': { inputPerMTokUsd: 15, outputPerMTokUsd: 75 },
    'claude-sonnet-4-6': { inputPerMTokUsd: 3, outputPerMTokUsd: 15 },
    'claude-sonnet-4-5': { inputPerMTokUsd: 3, outputPerMTokUsd: 15 },
    'claude-sonnet-4-0': { inputPerMTokUsd: 3, outputPerMTokUsd: 15 },
    'claude-3-7-sonnet-latest': { inputPerMTokUsd: 3, outputPerMTokUsd: 15 },
    'claude-haiku-4-5': { inputPerMTokUsd: 1, outputPerMTokUsd: 5 },
    'claude-3-5-haiku-latest': { inputPerMTokUsd: 0.8, outputPerMTokUsd: 4 },
  },
  openai: {
    'gpt-5': { inputPerMTokUsd: 1.25, outputPerMTokUsd: 10 },
    'gpt-5-mini': { inputPerMTokUsd: 0.25, outputPerMTokUsd: 2 },
    'gpt-5-nano': { inputPerMTokUsd: 0.05, outputPerMTokUsd: 0.4 },
    'gpt-4.1': { inputPerMTokUsd: 2, outputPerMTokUsd: 8 },
    'gpt-4.1-mini': { inputPerMTokUsd: 0.4, outputPerMTokUsd: 1.6 },
    'gpt-4.1-nano': { inputPerMTokUsd: 0.1, outputPerMTokUsd: 0.4 },
    'gpt-4o': { inputPerMTokUsd: 2.5, outputPerMTokUsd: 10 },
    'gpt-4o-mini': { inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 },
    o3: { inputPerMTokUsd: 2, outputPerMTokUsd: 8 },
    'o4-mini': { inputPerMTokUsd: 1.1, outputPerMTokUsd: 4.4 },
  },
};

/**
 * The prices callModel uses, by `provider:model`: the defaults of each configured anthropic or
 * openai provider under its own name, then warden.yaml `prices` on top (warden.yaml wins).
 * OpenAI-compatible endpoints get no defaults: a local model costs what warden.yaml says.
 */
export function pricesWithDefaults(config: Pick<WardenConfig, 'providers' | 'prices'>): Record<string, ModelPrice> {
  const merged: Record<string, ModelPrice> = {};
  for (const [name, entry] of Object.entries(config.providers)) {
    const kind = providerKind(name, entry);
    if (kind === 'openai-compatible') continue;
    for (const [model, price] of Object.entries(DEFAULT_PRICES[kind])) merged[`${name}:${model}`] = price;
  }
  return { ...merged, ...config.prices };
}

/** A dated snapshot's suffix: `-20251001` (Anthropic) or `-2025-04-14` (OpenAI). */
const SNAPSHOT = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;

/**
 * The price of `provider:model`: its own entry, else that of the alias a dated snapshot
 * belongs to (`claude-haiku-4-5-20251001` is priced as `claude-haiku-4-5`), else undefined.
 */
export function priceOf(prices: Readonly<Record<string, ModelPrice>>, ref: string): ModelPrice | undefined {
  return prices[ref] ?? (SNAPSHOT.test(ref) ? prices[ref.replace(SNAPSHOT, '')] : undefined);
}

/**
 * An agent with a USD budget whose model has no price: its calls would cost nothing and the
 * budget could never stop it. Named in roster check, with the line to add to warden.yaml.
 */
export function unpricedBudgets(config: WardenConfig, agents: readonly AgentManifest[]): RosterProblem[] {
  const prices = pricesWithDefaults(config);
  return agents.flatMap((agent) => {
    const ref = agentModel(agent, config);
    if (agent.budget.usdPerDay === undefined || priceOf(prices, ref) !== undefined) return [];
    return [
      {
        file: `agents/${agent.id}.yaml`,
        path: 'budget.usdPerDay',
        message: `${ref} has no price, so its calls would cost $0 and this budget could never stop the agent; add prices."${ref}" to warden.yaml (0 for a free model)`,
      },
    ];
  });
}
