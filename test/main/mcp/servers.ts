import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ServerConfig } from '../../../src/main/mcp/connection.js';

const require = createRequire(import.meta.url);
const fixtures = fileURLToPath(new URL('../../fixtures/mcp/', import.meta.url));
const tsx = pathToFileURL(require.resolve('tsx')).href;

/** The SDK-built echo server of the fixtures, over stdio. */
export const echoServer: ServerConfig = {
  command: process.execPath,
  args: ['--import', tsx, join(fixtures, 'echo-server.ts')],
  env: {},
};

/** The hand-written server that misbehaves in one way. */
export function hostileServer(
  mode: 'mute' | 'hang' | 'exit' | 'huge' | 'garbage' | 'flood' | 'badschema' | 'ok',
): ServerConfig {
  return { command: process.execPath, args: [join(fixtures, 'hostile-server.mjs'), mode], env: {} };
}

/** The MCP project's reference server, as published on npm. */
export const everythingServer: ServerConfig = {
  command: process.execPath,
  args: [
    join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js'),
    'stdio',
  ],
  env: {},
};

/** A careless server that writes its SECRET_TOKEN to stderr in pieces and in encodings. */
export function leakyServer(env: Record<string, string>): ServerConfig {
  return { command: process.execPath, args: ['--import', tsx, join(fixtures, 'leaky-server.ts')], env };
}

/** A server whose tool definitions carry prompt injections, and that can change one while it runs. */
export const injectedServer: ServerConfig = {
  command: process.execPath,
  args: ['--import', tsx, join(fixtures, 'injected-server.ts')],
  env: {},
};

/** Writes a roster folder with these servers and agent files (`agents/<name>`: YAML manifests, JS programs); returns its path. */
export function writeRoster(
  dir: string,
  servers: Record<string, ServerConfig>,
  agents: Record<string, string>,
): string {
  const roster = join(dir, 'roster');
  mkdirSync(join(roster, 'agents'), { recursive: true });
  writeFileSync(join(roster, 'warden.yaml'), 'organisation: { name: Acme }\n');
  writeFileSync(join(roster, 'mcp.json'), JSON.stringify({ mcpServers: servers }));
  for (const [name, text] of Object.entries(agents)) writeFileSync(join(roster, 'agents', name), text);
  return roster;
}
