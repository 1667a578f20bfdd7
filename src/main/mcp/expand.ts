import { WardenError } from '../../shared/errors.js';
import { MCP_VARIABLE } from '../../shared/mcp-variables.js';

/**
 * Fills in the variables of one mcp.json value from the environment. A variable that is not
 * set or empty (and has no default) is an error naming the server, the field and the variable, at
 * start-up, not a silent empty string sent to a server. The values are secrets: they go to
 * the server and nowhere else.
 */
export function expandText(server: string, field: string, value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(MCP_VARIABLE, (_, name: string, fallback: string | undefined) => {
    const found = env[name];
    if (fallback !== undefined) return found || fallback;
    // Empty counts as unset, as for model keys: an empty secret sent to a server is a mistake.
    if (!found) {
      throw new WardenError(
        'E_MCP_CONFIG',
        `mcp.json: mcpServers.${server}.${field}: environment variable ${name} is not set`,
      );
    }
    return found;
  });
}

/** Fills in `${VAR}` in an mcp.json env or headers map, as `expandText` does. */
export function expandVariables(
  server: string,
  field: 'env' | 'headers',
  values: Record<string, string>,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) out[key] = expandText(server, `${field}.${key}`, value, env);
  return out;
}
