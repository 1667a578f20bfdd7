import type { Ledger } from '../ledger/index.js';
import { serverVariables } from '../../shared/mcp-variables.js';
import { resolveProvider, type KeySource } from '../models/factory.js';
import type { Roster } from '../roster/load.js';

/**
 * Registers every secret a roster reads with the ledger, which then keeps them out of every
 * payload it writes: model providers' API keys (warden.yaml `providers.*.apiKeyEnv` or the
 * kind's default variable) and the variables mcp.json passes to servers (`${VAR}`), from each
 * of `keys`: the environment, and the desktop app's store, whose value may be there but
 * shadowed by the environment's.
 */
export function redactSecrets(ledger: Ledger, roster: Roster, keys: readonly KeySource[]): void {
  for (const [name, entry] of Object.entries(roster.config.providers)) {
    const variable = resolveProvider(name, entry).apiKeyEnv;
    if (variable) for (const source of keys) ledger.redact(variable, source(variable));
  }
  for (const variable of serverSecrets(roster).keys()) {
    for (const source of keys) ledger.redact(variable, source(variable));
  }
}

/** The variables mcp.json passes to servers as `${VAR}` (in a command, args, env, url or headers), with the servers using each. */
export function serverSecrets(roster: Roster): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [name, server] of Object.entries(roster.mcp.mcpServers)) {
    for (const { variable } of serverVariables(server)) {
      const servers = found.get(variable) ?? [];
      if (!servers.includes(name)) servers.push(name);
      found.set(variable, servers);
    }
  }
  return found;
}
