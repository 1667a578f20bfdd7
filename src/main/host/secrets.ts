import type { Ledger } from '../ledger/index.js';
import type { Roster } from '../roster/load.js';

/** `${VAR}` references in mcp.json values. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Registers every secret a roster reads from the environment with the ledger, which then
 * keeps them out of every payload it writes: model providers' API keys (warden.yaml
 * `providers.*.apiKeyEnv`) and the variables mcp.json passes to servers (`${VAR}`).
 */
export function redactSecrets(ledger: Ledger, roster: Roster, env: NodeJS.ProcessEnv): void {
  for (const provider of Object.values(roster.config.providers)) {
    if (provider.apiKeyEnv) ledger.redact(provider.apiKeyEnv, env[provider.apiKeyEnv]);
  }
  for (const server of Object.values(roster.mcp.mcpServers)) {
    const values = 'url' in server ? [server.url, ...Object.values(server.headers)] : Object.values(server.env);
    for (const value of values) for (const [, name] of value.matchAll(REFERENCE)) ledger.redact(name!, env[name!]);
  }
}
