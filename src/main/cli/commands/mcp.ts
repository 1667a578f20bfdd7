import { resolve } from 'node:path';
import { UsageError } from '../../../shared/errors.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { McpManager } from '../../mcp/manager.js';
import type { ToolInfo } from '../../mcp/connection.js';
import { loadRoster, problemsLine } from '../../roster/load.js';
import { parse, str } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';

const NAME = 'warden mcp tools';

/** `warden mcp tools --roster R`: each MCP server of a roster, its status and its tools. */
export const mcpTools: CommandRun = async (argv, io) => {
  const parsed = parse(
    NAME,
    argv,
    { roster: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    0,
  );
  const dir = str(parsed, 'roster', NAME, true);
  const loaded = loadRoster(dir);
  if (!loaded.ok) {
    throw new UsageError(`${NAME}: ${problemsLine(dir, loaded.problems)}`);
  }
  const dataDir = resolve(str(parsed, 'data-dir', NAME) ?? defaultDataDir());
  const manager = new McpManager(loaded.roster.mcp, {
    logDir: resolve(dataDir, 'logs'),
    env: process.env,
    baseDir: resolve(dir),
  });
  try {
    // Servers start side by side: one slow server does not hold up the others.
    const servers = await Promise.all(
      manager.servers.map(async (name) => {
        try {
          const tools = await manager.connection(name).listTools();
          return { name, status: 'ready' as const, tools };
        } catch (error) {
          const e = error as { code?: string; message: string };
          return {
            name,
            status: 'failed' as const,
            error: { code: e.code ?? 'E_MCP_START', message: e.message },
            tools: [] as ToolInfo[],
          };
        }
      }),
    );
    if (parsed.values.json === true) {
      io.out(JSON.stringify({ roster: dir, servers }));
    } else {
      for (const server of servers) {
        const detail =
          server.status === 'failed'
            ? ` (${server.error?.message ?? 'unknown error'})`
            : `, ${server.tools.length} tool(s)`;
        io.out(`${server.name}: ${server.status}${detail}`);
        for (const tool of server.tools) io.out(`  ${server.name}.${tool.name}  ${tool.description.split('\n')[0]}`);
      }
      if (servers.length === 0) io.out(`${dir}/mcp.json names no MCP servers.`);
    }
    return servers.every((s) => s.status === 'ready') ? EXIT.ok : EXIT.checkFailed;
  } finally {
    await manager.close();
  }
};
