import { WardenError } from '../../shared/errors.js';
import { agentModel, type AgentManifest, type WardenConfig } from '../../shared/roster.js';
import type { RosterProblem } from '../documents/files.js';
import { AnthropicProvider } from './anthropic.js';
import { OpenAIProvider } from './openai.js';
import type { HttpProviderSettings } from './wire.js';
import { parseModelRef, type ModelProvider } from './provider.js';

/** An environment of variables: process.env in the app, a plain object in tests. */
export type KeyEnv = Readonly<Record<string, string | undefined>>;

/**
 * Where API keys are found, by the variable warden.yaml names: the environment (CLI and serve
 * mode), then the desktop app's key store. Read at each call, so a key entered later is used.
 */
export type KeySource = (variable: string) => string | undefined;

/** Keys from an environment; an empty value counts as unset. */
export function keysFromEnv(env: KeyEnv): KeySource {
  return (variable) => env[variable] || undefined;
}

/** A provider some agent uses that needs a key: which variable names it, and who needs it. */
export interface KeyNeed {
  provider: string;
  variable: string;
  /** Whether the variable is warden.yaml's own or the default for the provider's kind. */
  defaulted: boolean;
  /** `agent (provider:model)`, for messages. */
  neededBy: string[];
  agentIds: string[];
}

/** The API a provider speaks. */
export type ProviderKind = 'anthropic' | 'openai' | 'openai-compatible';

/** A warden.yaml provider with its defaults filled in. */
export interface ResolvedProvider {
  name: string;
  kind: ProviderKind;
  /** Undefined only for an OpenAI-compatible provider that names none (a roster problem). */
  baseUrl: string | undefined;
  /** Undefined when the endpoint needs no key (a local server). */
  apiKeyEnv: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  stream: boolean;
  maxOutputTokens: number | undefined;
}

type ProviderEntry = WardenConfig['providers'][string];

const DEFAULTS: Record<Exclude<ProviderKind, 'openai-compatible'>, { baseUrl: string; apiKeyEnv: string }> = {
  anthropic: { baseUrl: 'https://api.anthropic.com', apiKeyEnv: 'ANTHROPIC_API_KEY' },
  openai: { baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
};

/** The kind a provider speaks: its `kind`, else anthropic for "anthropic", openai for "openai", else OpenAI-compatible. */
export function providerKind(name: string, entry: Pick<ProviderEntry, 'kind'>): ProviderKind {
  return entry.kind ?? (name === 'anthropic' ? 'anthropic' : name === 'openai' ? 'openai' : 'openai-compatible');
}

/** A warden.yaml provider with defaults: the vendor's URL and key variable for anthropic and openai kinds. */
export function resolveProvider(name: string, entry: ProviderEntry): ResolvedProvider {
  const kind = providerKind(name, entry);
  const defaults = kind === 'openai-compatible' ? undefined : DEFAULTS[kind];
  return {
    name,
    kind,
    baseUrl: entry.baseUrl ?? defaults?.baseUrl,
    apiKeyEnv: entry.apiKeyEnv ?? defaults?.apiKeyEnv,
    timeoutMs: entry.timeoutMs,
    maxRetries: entry.maxRetries,
    stream: entry.stream,
    maxOutputTokens: entry.maxOutputTokens,
  };
}

/** Which agents call each configured provider (an agent without a model uses warden.yaml defaults.model). */
function providerUsers(
  config: WardenConfig,
  agents: readonly AgentManifest[],
): { users: Map<string, { ids: string[]; labels: string[] }>; problems: RosterProblem[] } {
  const problems: RosterProblem[] = [];
  const users = new Map<string, { ids: string[]; labels: string[] }>();
  for (const agent of agents) {
    const ref = agentModel(agent, config);
    let provider: string;
    try {
      provider = parseModelRef(ref).provider;
    } catch {
      continue; // The schemas already reported a malformed ref.
    }
    if (provider === 'scripted') continue;
    if (!Object.hasOwn(config.providers, provider)) {
      const configured = Object.keys(config.providers);
      problems.push({
        file: agent.model ? `agents/${agent.id}.yaml` : 'warden.yaml',
        path: agent.model ? 'model' : 'defaults.model',
        message: `provider "${provider}" (agent ${agent.id}) is not in warden.yaml providers (configured: ${configured.length > 0 ? configured.join(', ') : 'none'}; "scripted" needs none)`,
      });
      continue;
    }
    const entry = users.get(provider) ?? { ids: [], labels: [] };
    entry.ids.push(agent.id);
    entry.labels.push(`${agent.id} (${ref})`);
    users.set(provider, entry);
  }
  return { users, problems };
}

/** The keys a roster's agents need, in warden.yaml's order: one per provider in use that takes a key. */
export function keyNeeds(config: WardenConfig, agents: readonly AgentManifest[]): KeyNeed[] {
  const { users } = providerUsers(config, agents);
  return Object.entries(config.providers).flatMap(([name, entry]) => {
    const using = users.get(name);
    const variable = resolveProvider(name, entry).apiKeyEnv;
    if (!using || variable === undefined) return [];
    return [
      {
        provider: name,
        variable,
        defaulted: entry.apiKeyEnv === undefined,
        neededBy: using.labels,
        agentIds: using.ids,
      },
    ];
  });
}

/**
 * What keeps a roster's models from being called, found before any run: a model ref naming a
 * provider that is neither configured nor "scripted", an OpenAI-compatible provider without a
 * baseUrl, and (unless `keys` is null: the desktop app opens first and asks for keys after) a
 * provider whose key is not set. Only providers some agent uses are checked.
 */
export function providerProblems(
  config: WardenConfig,
  agents: readonly AgentManifest[],
  keys: KeySource | null,
): RosterProblem[] {
  const { users, problems } = providerUsers(config, agents);
  // In warden.yaml's order, since the problems point there.
  for (const [name, entry] of Object.entries(config.providers)) {
    const using = users.get(name);
    if (!using) continue;
    if (resolveProvider(name, entry).baseUrl === undefined) {
      problems.push({
        file: 'warden.yaml',
        path: `providers.${name}.baseUrl`,
        message: `expected the URL of the OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (needed by agent ${using.labels.join(', ')})`,
      });
    }
  }
  if (keys === null) return problems;
  for (const need of keyNeeds(config, agents)) {
    if (keys(need.variable)) continue;
    problems.push({
      file: 'warden.yaml',
      path: `providers.${need.provider}.apiKeyEnv`,
      message: `environment variable ${need.variable}${need.defaulted ? ' (the default for its kind)' : ''} is not set (its API key, needed by agent ${need.neededBy.join(', ')})`,
    });
  }
  return problems;
}

/**
 * One provider of warden.yaml, ready to call. The key is looked up at each call, so a key
 * entered in the desktop app after opening is used without reopening; the SDK client is
 * rebuilt only when the key changes. Without its key a call is an E_MODEL error naming the
 * variable (roster check finds it first where keys come from the environment).
 */
export function createProvider(resolved: ResolvedProvider, keys: KeySource): ModelProvider {
  const { name, baseUrl, apiKeyEnv } = resolved;
  let client: { key: string; provider: ModelProvider } | null = null;
  const unavailable = (): string | null => {
    if (baseUrl === undefined) return `warden.yaml providers.${name}.baseUrl is not set`;
    if (apiKeyEnv !== undefined && !keys(apiKeyEnv))
      return `its API key is not set (environment variable ${apiKeyEnv}, or the desktop app's Providers view)`;
    return null;
  };
  const current = (): ModelProvider => {
    const why = unavailable();
    if (why !== null || baseUrl === undefined) throw new WardenError('E_MODEL', `model provider "${name}": ${why}`);
    const apiKey = apiKeyEnv === undefined ? '' : keys(apiKeyEnv)!;
    if (client?.key !== apiKey) {
      const settings: HttpProviderSettings = {
        name,
        baseUrl,
        apiKey,
        timeoutMs: resolved.timeoutMs,
        maxRetries: resolved.maxRetries,
        stream: resolved.stream,
        ...(resolved.maxOutputTokens !== undefined ? { maxOutputTokens: resolved.maxOutputTokens } : {}),
      };
      const provider = resolved.kind === 'anthropic' ? new AnthropicProvider(settings) : new OpenAIProvider(settings);
      client = { key: apiKey, provider };
    }
    return client.provider;
  };
  return {
    name,
    unavailable,
    chat: async (request) => current().chat(request),
  };
}

/** Every provider warden.yaml configures, keys read from `keys`; the scripted model is added by the caller. */
export function createProviders(config: WardenConfig, keys: KeySource): ModelProvider[] {
  return Object.entries(config.providers).map(([name, entry]) => createProvider(resolveProvider(name, entry), keys));
}
