import type { McpConfig } from '../../shared/roster.js';
import { McpConnection, type ConnectionEnv } from './connection.js';

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

  /** Stops every server. */
  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.close()));
    this.connections.clear();
  }
}
