import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnection } from '../../../src/main/mcp/connection.js';
import { tempDir } from '../../helpers/temp.js';

const require = createRequire(import.meta.url);
const everything = join(
  dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist/index.js',
);

let server: ChildProcess;
let port: number;
let dir: string;
let cleanup: () => void;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: found } = probe.address() as { port: number };
      probe.close(() => resolve(found));
    });
  });
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  port = await freePort();
  server = spawn(process.execPath, [everything, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    server.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('listening')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`server exited (${code}): ${text}`)));
  });
});
afterAll(() => {
  server.kill();
  cleanup();
});

describe('a Streamable HTTP server', () => {
  it('lists tools and answers calls, with headers expanded from the environment', async () => {
    const connection = new McpConnection(
      'everything',
      { url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: 'Bearer ${WARDEN_TEST_HTTP_TOKEN}' } },
      { logDir: join(dir, 'logs'), env: { ...process.env, WARDEN_TEST_HTTP_TOKEN: 'not-a-real-token' } },
    );
    try {
      expect((await connection.listTools()).map((t) => t.name)).toContain('echo');
      const result = await connection.callTool('echo', { message: 'over http' });
      expect(JSON.stringify(result.content)).toContain('over http');
    } finally {
      await connection.close();
    }
  });

  it('fails to start with a clear error when nothing listens there', async () => {
    const connection = new McpConnection(
      'nowhere',
      { url: `http://127.0.0.1:${await freePort()}/mcp`, headers: {} },
      { logDir: join(dir, 'logs'), env: {} },
    );
    await expect(connection.listTools()).rejects.toMatchObject({
      code: 'E_MCP_START',
      message: expect.stringContaining('nowhere'),
    });
  });
});
