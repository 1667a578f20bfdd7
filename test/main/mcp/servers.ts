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
