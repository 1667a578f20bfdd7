import type { McpConfig } from '../../shared/roster.js';
import { McpConnection, type ConnectionEnv, type ToolInfo } from './connection.js';

/** The MCP servers of a roster: one connection each, made on first use and kept warm. */
export class McpManager {
  private readonly connections = new Map<string, McpConnection>();

  constructor(
    private readonly config: McpConfig,
    private readonly env: ConnectionEnv,
  ) {}

  /** The names of the servers in mcp.json. */
  get servers(): string[] {
    return Object.keys(this.config.mcpServers);
  }

  /** The connection to a server (not started until it is used). */
  connection(server: string): McpConnection {
    let connection = this.connections.get(server);
    if (!connection) {
      const config = this.config.mcpServers[server];
      if (!config) throw new Error(`no MCP server named "${server}" in mcp.json`);
      connection = new McpConnection(server, config, this.env);
      this.connections.set(server, connection);
    }
    return connection;
  }

  /**
   * Why a tool is refused for what its definition says (flagged, and not accepted), or null.
   * Starts the server to list its tools; a server not in mcp.json, or one that will not
   * start, refuses nothing here: calling it fails on its own, and is recorded as such.
   */
  async refusal(server: string, tool: string): Promise<string | null> {
    if (!Object.hasOwn(this.config.mcpServers, server)) return null;
    return this.connection(server).refusal(tool);
  }

  /** The same verdict on a tool already listed. */
  refusalOf(server: string, tool: ToolInfo): string | null {
    return this.env.screen?.refusal(server, tool) ?? null;
  }

  /** Stops every server. */
  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.close()));
    this.connections.clear();
  }
}
