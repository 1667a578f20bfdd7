import type { McpServer } from './roster.js';

/**
 * A variable in an mcp.json value: `${VAR}`, VS Code's `${env:VAR}`, or Claude Code's
 * `${VAR:-default}` (the default when VAR is unset or empty). Group 1 is the name, group 2
 * the default.
 */
export const MCP_VARIABLE = /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** One `${VAR}` in a server's entry: the variable, the field it is in, and whether it has a default. */
export interface ServerVariable {
  variable: string;
  /** The field inside the entry: `env.TOKEN`, `args[1]`, `url`, `headers.Authorization`, `command`. */
  field: string;
  fallback: boolean;
}

/** The values of a server's entry that may hold variables, with their fields, in order (command, args, env; url, headers). */
export function serverValues(entry: McpServer): [field: string, value: string][] {
  const each = (prefix: string, map: Record<string, string>) =>
    Object.entries(map).map(([k, v]): [string, string] => [`${prefix}.${k}`, v]);
  return 'url' in entry
    ? [['url', entry.url], ...each('headers', entry.headers)]
    : [
        ['command', entry.command],
        ...entry.args.map((a, i): [string, string] => [`args[${i}]`, a]),
        ...each('env', entry.env),
      ];
}

/** Every variable a server's entry reads, with the field it is in. */
export function serverVariables(entry: McpServer): ServerVariable[] {
  return serverValues(entry).flatMap(([field, value]) =>
    [...value.matchAll(MCP_VARIABLE)].map((m) => ({ variable: m[1]!, field, fallback: m[2] !== undefined })),
  );
}
