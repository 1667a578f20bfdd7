import type { Ledger } from '../ledger/index.js';
import { resolveProvider, type KeySource } from '../models/factory.js';
import type { Roster } from '../roster/load.js';

/** `${VAR}` references in mcp.json values. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Registers every secret a roster reads with the ledger, which then keeps them out of every
 * payload it writes: model providers' API keys from each of `keys` (the environment, and the
 * desktop app's key store, whose key may be set but shadowed by the environment's), named by
 * warden.yaml `providers.*.apiKeyEnv` or the kind's default variable, and the variables
 * mcp.json passes to servers (`${VAR}`, from `env`).
 */
export function redactSecrets(
  ledger: Ledger,
  roster: Roster,
  keys: readonly KeySource[],
  env: NodeJS.ProcessEnv,
): void {
  for (const [name, entry] of Object.entries(roster.config.providers)) {
    const variable = resolveProvider(name, entry).apiKeyEnv;
    if (variable) for (const source of keys) ledger.redact(variable, source(variable));
  }
  for (const server of Object.values(roster.mcp.mcpServers)) {
    const values = 'url' in server ? [server.url, ...Object.values(server.headers)] : Object.values(server.env);
    for (const value of values) for (const [, name] of value.matchAll(REFERENCE)) ledger.redact(name!, env[name!]);
  }
}
