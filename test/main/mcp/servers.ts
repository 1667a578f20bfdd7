import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
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

const everythingIndex = join(
  dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist/index.js',
);

/** The MCP project's reference server, as published on npm. */
export const everythingServer: ServerConfig = { command: process.execPath, args: [everythingIndex, 'stdio'], env: {} };

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

/** The reference server listening on a free port of 127.0.0.1, over Streamable HTTP or the legacy SSE transport. */
export interface HttpServer {
  /** Its endpoint: `/mcp` for Streamable HTTP, `/sse` for SSE. */
  url: string;
  stop: () => void;
}

/**
 * Starts the reference server over HTTP on a free port. The port is found by binding to 0 and
 * letting go, so another process may take it first: a server that exits before it listens is
 * started again on another port.
 */
export async function startHttpServer(mode: 'streamableHttp' | 'sse', attempts = 5): Promise<HttpServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [everythingIndex, mode], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const listening = await new Promise<boolean | string>((resolve) => {
      let text = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (/listening on port|running on port/i.test(text)) resolve(true);
      });
      child.once('exit', () => resolve(text));
    });
    if (listening === true) {
      const path = mode === 'sse' ? '/sse' : '/mcp';
      return { url: `http://127.0.0.1:${port}${path}`, stop: () => child.kill() };
    }
    if (attempt >= attempts) throw new Error(`the ${mode} server did not start: ${String(listening)}`);
  }
}

/** A port nothing listens on, just now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
