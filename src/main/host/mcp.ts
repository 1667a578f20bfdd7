import { join, resolve } from 'node:path';
import { ToolVetting } from '../gateway/tool-vetting.js';
import type { Ledger } from '../ledger/index.js';
import type { ConnectionEnv } from '../mcp/connection.js';
import { McpManager } from '../mcp/manager.js';
import type { Roster } from '../roster/load.js';

/** How to wire a roster's MCP servers. */
export interface McpOptions {
  dataDir: string;
  /** Where `${VAR}` in mcp.json comes from. */
  env: NodeJS.ProcessEnv;
  /** Transports of the caller's own for some servers (in-process servers in tests and benchmarks). */
  transport?: ConnectionEnv['transport'];
}

/**
 * A roster's MCP servers wired to its ledger, the one way every command and the console start
 * them: stderr logged with the ledger's secrets taken out (line by line), failures recorded
 * as `mcp.failed`, and every tool list vetted for injected instructions.
 */
export function openMcp(roster: Roster, ledger: Ledger, options: McpOptions): McpManager {
  const vetting = new ToolVetting(ledger);
  return new McpManager(roster.mcp, {
    logDir: join(options.dataDir, 'logs'),
    env: options.env,
    baseDir: resolve(roster.dir),
    redact: (text) => ledger.redactText(text),
    screen: { observe: (server, tools) => vetting.observe(server, tools), refusal: (s, t) => vetting.refusal(s, t) },
    ...(options.transport ? { transport: options.transport } : {}),
    onFailure: (failure) => {
      void ledger
        .append({
          type: 'mcp.failed',
          payload: {
            server: failure.server,
            phase: failure.phase,
            error: { code: failure.code, message: failure.message },
          },
        })
        .catch(() => undefined);
    },
  });
}
