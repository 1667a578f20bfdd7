import { WardenError } from '../../shared/errors.js';
import type { AgentManifest, WardenConfig } from '../../shared/roster.js';
import type { RosterProblem } from '../roster/files.js';
import { AnthropicProvider, type HttpProviderSettings } from './anthropic.js';
import { OpenAIProvider } from './openai.js';
import { parseModelRef, type ModelProvider } from './provider.js';

/** The environment the keys are read from: process.env in the app, a plain object in tests. */
export type KeyEnv = Readonly<Record<string, string | undefined>>;

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
  };
}

/**
 * What keeps a roster's models from being called, found before any run: a model ref naming a
 * provider that is neither configured nor "scripted", a provider whose key variable is unset,
 * an OpenAI-compatible provider without a baseUrl. Only providers some agent uses are checked
 * (an agent without a model uses warden.yaml defaults.model).
 */
export function providerProblems(config: WardenConfig, agents: readonly AgentManifest[], env: KeyEnv): RosterProblem[] {
  const problems: RosterProblem[] = [];
  const users = new Map<string, string[]>();
  const defaultRef = config.defaults.model ?? 'scripted:default';
  const uses: { file: string; path: string; who: string; ref: string }[] = agents.map((agent) => ({
    file: agent.model ? `agents/${agent.id}.yaml` : 'warden.yaml',
    path: agent.model ? 'model' : 'defaults.model',
    who: agent.id,
    ref: agent.model ?? defaultRef,
  }));
  for (const use of uses) {
    let provider: string;
    try {
      provider = parseModelRef(use.ref).provider;
    } catch {
      continue; // The schemas already reported a malformed ref.
    }
    if (provider === 'scripted') continue;
    if (!Object.hasOwn(config.providers, provider)) {
      const configured = Object.keys(config.providers);
      problems.push({
        file: use.file,
        path: use.path,
        message: `provider "${provider}" (agent ${use.who}) is not in warden.yaml providers (configured: ${configured.length > 0 ? configured.join(', ') : 'none'}; "scripted" needs none)`,
      });
      continue;
    }
    users.set(provider, [...(users.get(provider) ?? []), `${use.who} (${use.ref})`]);
  }
  // In warden.yaml's order, since the problems point there.
  for (const [name, entry] of Object.entries(config.providers)) {
    const agentsUsing = users.get(name);
    if (!agentsUsing) continue;
    const resolved = resolveProvider(name, entry);
    const who = `needed by agent ${agentsUsing.join(', ')}`;
    if (resolved.baseUrl === undefined) {
      problems.push({
        file: 'warden.yaml',
        path: `providers.${name}.baseUrl`,
        message: `expected the URL of the OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (${who})`,
      });
    }
    if (resolved.apiKeyEnv !== undefined && !env[resolved.apiKeyEnv]) {
      const named = entry.apiKeyEnv === undefined ? ' (the default for its kind)' : '';
      problems.push({
        file: 'warden.yaml',
        path: `providers.${name}.apiKeyEnv`,
        message: `environment variable ${resolved.apiKeyEnv}${named} is not set (its API key, ${who})`,
      });
    }
  }
  return problems;
}

/** One provider of warden.yaml, ready to call; a missing key is an E_MODEL error at call time (roster check finds it first). */
export function createProvider(resolved: ResolvedProvider, env: KeyEnv): ModelProvider {
  const apiKey = resolved.apiKeyEnv === undefined ? '' : (env[resolved.apiKeyEnv] ?? '');
  const { baseUrl } = resolved;
  let why: string | null = null;
  if (resolved.apiKeyEnv !== undefined && apiKey === '') {
    why = `environment variable ${resolved.apiKeyEnv} is not set (warden.yaml providers.${resolved.name}.apiKeyEnv)`;
  } else if (baseUrl === undefined) {
    why = `warden.yaml providers.${resolved.name}.baseUrl is not set`;
  }
  if (why !== null || baseUrl === undefined) {
    const error = new WardenError('E_MODEL', `model provider "${resolved.name}": ${why}`);
    return { name: resolved.name, chat: () => Promise.reject(error) };
  }
  const settings: HttpProviderSettings = {
    name: resolved.name,
    baseUrl,
    apiKey,
    timeoutMs: resolved.timeoutMs,
    maxRetries: resolved.maxRetries,
  };
  return resolved.kind === 'anthropic' ? new AnthropicProvider(settings) : new OpenAIProvider(settings);
}

/** Every provider warden.yaml configures, keys read from `env`; the scripted model is added by the caller. */
export function createProviders(config: WardenConfig, env: KeyEnv): ModelProvider[] {
  return Object.entries(config.providers).map(([name, entry]) => createProvider(resolveProvider(name, entry), env));
}
