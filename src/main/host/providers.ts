import type { ProviderTestView, ProviderView, SecretView } from '../../shared/api.js';
import { WardenError } from '../../shared/errors.js';
import { agentModel } from '../../shared/roster.js';
import type { Ledger } from '../ledger/index.js';
import { resolveProvider } from '../models/factory.js';
import { pricesWithDefaults } from '../models/prices.js';
import { probeProvider } from '../models/probe.js';
import { parseModelRef, type ModelProvider } from '../models/provider.js';
import type { Roster } from '../roster/load.js';
import { serverSecrets } from './secrets.js';
import type { Warden } from './warden.js';

/**
 * The console's view of model providers and their keys, and entering keys in the desktop
 * app. Keys go into the Warden's key store and are registered with the ledger's redactor
 * before anything is written; the ledger records that a key was stored, never the key.
 */
export class ProviderKeys {
  constructor(private readonly warden: Warden) {}

  /** Every provider of warden.yaml, in its order. */
  list(): ProviderView[] {
    return Object.keys(this.warden.roster.config.providers).map((name) => this.view(name));
  }

  /** Stores a provider's key (desktop app only) and records `provider.key.stored`. */
  async set(provider: string, key: string, by: string, allowPlainText: boolean): Promise<ProviderView> {
    const { store, variable } = this.keyed(provider);
    // First of all, so that nothing written from here on can hold the key.
    this.warden.ledger.redact(variable, key.trim());
    const { protection } = store.set(variable, key, { allowPlainText });
    await this.warden.ledger.append({
      type: 'provider.key.stored',
      payload: { provider, variable, protection, by },
    });
    return this.view(provider);
  }

  /** Every `${VAR}` mcp.json passes to servers, in the order it names them. */
  secrets(): SecretView[] {
    return [...serverSecrets(this.warden.roster).keys()].map((variable) => this.secretView(variable));
  }

  /** Stores a value servers take as `${VAR}` (desktop app only) and records `secret.stored`; a server started after uses it. */
  async setSecret(variable: string, value: string, by: string, allowPlainText: boolean): Promise<SecretView> {
    const { store, servers } = this.secretOf(variable);
    this.warden.ledger.redact(variable, value.trim());
    const { protection } = store.set(variable, value, { allowPlainText });
    await this.warden.ledger.append({ type: 'secret.stored', payload: { variable, servers, protection, by } });
    return this.secretView(variable);
  }

  /** Forgets a stored `${VAR}` value and records `secret.removed`; a server already running keeps its own. */
  async removeSecret(variable: string, by: string): Promise<SecretView> {
    const { store } = this.secretOf(variable);
    if (store.remove(variable)) await this.warden.ledger.append({ type: 'secret.removed', payload: { variable, by } });
    return this.secretView(variable);
  }

  private secretOf(variable: string): { store: NonNullable<Warden['keyStore']>; servers: string[] } {
    const servers = serverSecrets(this.warden.roster).get(variable);
    if (!servers) throw new WardenError('E_USAGE', `mcp.json passes no \${${variable}} to any server`);
    return { store: this.store('secrets', variable), servers };
  }

  private secretView(variable: string): SecretView {
    const stored = this.warden.keyStore?.info(variable) ?? null;
    const value = process.env[variable] ? 'environment' : this.warden.keyStore?.get(variable) ? 'stored' : 'missing';
    return { variable, servers: serverSecrets(this.warden.roster).get(variable) ?? [], key: value, stored };
  }

  /** Checks that a provider answers (see testProvider). */
  test(provider: string, by: string): Promise<ProviderTestView> {
    this.entry(provider);
    return testProvider(this.warden, provider, by);
  }

  /** Forgets a provider's stored key and records `provider.key.removed`; the environment's key is untouched. */
  async remove(provider: string, by: string): Promise<ProviderView> {
    const { store, variable } = this.keyed(provider);
    if (store.remove(variable)) {
      await this.warden.ledger.append({ type: 'provider.key.removed', payload: { provider, variable, by } });
    }
    return this.view(provider);
  }

  private keyed(provider: string): { store: NonNullable<Warden['keyStore']>; variable: string } {
    const entry = this.entry(provider);
    const variable = resolveProvider(provider, entry).apiKeyEnv;
    if (variable === undefined) throw new WardenError('E_USAGE', `provider "${provider}" takes no API key`);
    return { store: this.store('keys', variable), variable };
  }

  /** The desktop app's key store; elsewhere an E_UNSUPPORTED naming the variable to set instead. */
  private store(what: 'keys' | 'secrets', variable: string): NonNullable<Warden['keyStore']> {
    const store = this.warden.keyStore;
    if (store) return store;
    throw new WardenError(
      'E_UNSUPPORTED',
      `${what} are entered in the desktop app; here they come from the environment: set ${variable} and restart`,
    );
  }

  private entry(provider: string): Warden['roster']['config']['providers'][string] {
    const { providers } = this.warden.roster.config;
    if (!Object.hasOwn(providers, provider)) {
      throw new WardenError('E_USAGE', `provider "${provider}" is not in warden.yaml providers`);
    }
    return providers[provider]!;
  }

  private view(name: string): ProviderView {
    const { roster, keyStore, keys } = this.warden;
    const resolved = resolveProvider(name, this.entry(name));
    const variable = resolved.apiKeyEnv ?? null;
    const stored = variable && keyStore ? keyStore.info(variable) : null;
    const fromEnv = variable !== null && Boolean(process.env[variable]);
    return {
      name,
      kind: resolved.kind,
      baseUrl: resolved.baseUrl ?? null,
      variable,
      agentIds: roster.agents
        .filter((agent) => parseModelRef(agentModel(agent, roster.config)).provider === name)
        .map((agent) => agent.id),
      key: variable === null ? 'not-needed' : fromEnv ? 'environment' : keys(variable) ? 'stored' : 'missing',
      stored,
    };
  }
}

/**
 * Sends one short request to a provider of warden.yaml, through the client its agents' runs
 * use and with the model the first of them runs on, and records the outcome and its cost as
 * `provider.tested` (not an agent's spend). A provider no agent uses, or one without its key,
 * is refused before any request.
 */
export async function testProvider(
  parts: { roster: Roster; ledger: Ledger; models: (name: string) => ModelProvider },
  provider: string,
  by: string,
): Promise<ProviderTestView> {
  const { config, agents } = parts.roster;
  const agent = agents.find((a) => parseModelRef(agentModel(a, config)).provider === provider);
  if (!agent) throw new WardenError('E_USAGE', `no agent uses provider "${provider}": no model to test it with`);
  const { model } = parseModelRef(agentModel(agent, config));
  const target = parts.models(provider);
  const unavailable = target.unavailable?.();
  if (unavailable) throw new WardenError('E_MODEL', `model provider "${provider}": ${unavailable}`);
  const result = await probeProvider(target, model, pricesWithDefaults(config));
  const { error, ...measured } = result;
  await parts.ledger.append({
    type: 'provider.tested',
    payload: { provider, model, ...measured, ...(error ? { error } : {}), by },
  });
  return { provider, model, ...result };
}
