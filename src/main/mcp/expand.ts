import { WardenError } from '../../shared/errors.js';

/**
 * Expands `${VAR}` in an mcp.json env or headers map from the environment. A variable that is
 * not set is an error naming the server and the variable, at start-up, not a silent empty
 * string sent to a server. The expanded values are secrets: they go to the server and nowhere else.
 */
export function expandVariables(
  server: string,
  field: 'env' | 'headers',
  values: Record<string, string>,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    out[key] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) {
        throw new WardenError(
          'E_MCP_CONFIG',
          `mcp.json: mcpServers.${server}.${field}.${key}: environment variable ${name} is not set`,
        );
      }
      return found;
    });
  }
  return out;
}
