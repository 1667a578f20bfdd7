import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpConnection, type ServerConfig, type ServerFailure } from '../../../src/main/mcp/connection.js';
import { tempDir } from '../../helpers/temp.js';
import { echoServer, everythingServer, hostileServer } from './servers.js';

let dir: string;
let cleanup: () => void;
const failures: ServerFailure[] = [];
const open: McpConnection[] = [];

beforeAll(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  failures.length = 0;
});
afterAll(() => cleanup());

function connect(
  name: string,
  config: ServerConfig,
  extra: { maxMessageBytes?: number; startTimeoutMs?: number } = {},
): McpConnection {
  const connection = new McpConnection(name, config, {
    logDir: join(dir, 'logs'),
    env: process.env,
    onFailure: (f) => failures.push(f),
    ...extra,
  });
  open.push(connection);
  return connection;
}

describe('a well-behaved server', () => {
  it('lists its tools with their schemas and answers calls', async () => {
    const echo = connect('echo', echoServer);
    const tools = await echo.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'add', 'refuse']));
    expect(tools.find((t) => t.name === 'add')?.inputSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' } },
    });
    expect(await echo.callTool('echo', { text: 'hello' })).toEqual({
      content: [{ type: 'text', text: 'hello' }],
      isError: false,
    });
    expect((await echo.callTool('add', { a: 2, b: 3 })).structuredContent).toEqual({ sum: 5 });
    expect(echo.status).toBe('ready');
  });

  it('keeps the server warm between calls', async () => {
    const echo = connect('echo', echoServer);
    const first = await echo.callTool('pid', {});
    const second = await echo.callTool('pid', {});
    expect(second.content).toEqual(first.content);
  });

  it('returns a tool error as a result, not a failure', async () => {
    const result = await connect('echo', echoServer).callTool('refuse', {});
    expect(result).toMatchObject({ isError: true, content: [{ text: 'insufficient funds' }] });
  });

  it('answers a call to a tool it does not have with a tool error naming it', async () => {
    const result = await connect('echo', echoServer).callTool('nope', {});
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('nope');
  });

  it("writes the server's stderr to its log file in the data folder", async () => {
    await connect('echo', echoServer).callTool('stderr', { text: 'a line for the log' });
    await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(join(dir, 'logs', 'mcp-echo.log'), 'utf8')).toContain('a line for the log');
  });
});

describe('a hostile or broken server ends the call with a clear error', () => {
  it('one that never answers: the call times out', async () => {
    const started = performance.now();
    await expect(connect('hang', hostileServer('hang')).callTool('do', {}, { timeoutMs: 500 })).rejects.toMatchObject({
      code: 'E_MCP_TIMEOUT',
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(failures.some((f) => f.code === 'E_MCP_TIMEOUT' && f.server === 'hang')).toBe(true);
  });

  it('one that does not even answer initialize: start fails', async () => {
    await expect(connect('mute', hostileServer('mute'), { startTimeoutMs: 500 }).listTools()).rejects.toMatchObject({
      code: 'E_MCP_START',
    });
  });

  it('one that exits mid-call: the call fails and the next call restarts it', async () => {
    const exiting = connect('exit', hostileServer('exit'));
    await expect(exiting.callTool('do', {})).rejects.toMatchObject({ code: 'E_MCP_CLOSED' });
    expect(failures.some((f) => f.phase === 'exit' || f.code === 'E_MCP_CLOSED')).toBe(true);
    // It restarts on the next call (and exits again: a fresh process each time).
    await expect(exiting.callTool('do', {})).rejects.toMatchObject({ code: 'E_MCP_CLOSED' });
  });

  it('one that returns 50 MB: refused past the message cap', async () => {
    await expect(
      connect('huge', hostileServer('huge'), { maxMessageBytes: 1024 * 1024 }).callTool('do', {}),
    ).rejects.toMatchObject({
      code: 'E_MCP_TOO_LARGE',
    });
  });

  it('one that speaks garbage: cut off as not speaking JSON-RPC', async () => {
    await expect(
      connect('garbage', hostileServer('garbage')).callTool('do', {}, { timeoutMs: 10_000 }),
    ).rejects.toMatchObject({
      code: 'E_MCP_PROTOCOL',
    });
  });

  it('one that floods stdout and stderr: cut off, and the host stays responsive', async () => {
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 50);
    await expect(
      connect('flood', hostileServer('flood'), { maxMessageBytes: 1024 * 1024 }).callTool(
        'do',
        {},
        { timeoutMs: 5_000 },
      ),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/E_MCP_TOO_LARGE|E_MCP_PROTOCOL|E_MCP_CLOSED/),
    });
    clearInterval(timer);
    expect(ticks.length).toBeGreaterThan(0);
  });

  it('one whose result breaks its own output schema: refused, not passed on', async () => {
    await expect(connect('badschema', hostileServer('badschema')).callTool('do', {})).rejects.toMatchObject({
      code: 'E_MCP_PROTOCOL',
    });
  });

  it('one whose command does not exist: start fails naming the server', async () => {
    const missing = connect('ghost', { command: '/no/such/server', args: [], env: {} });
    await expect(missing.listTools()).rejects.toMatchObject({
      code: 'E_MCP_START',
      message: expect.stringContaining('ghost'),
    });
    expect(failures[0]).toMatchObject({ server: 'ghost', phase: 'start' });
  });

  it('an env variable that is not set: refused before anything starts', async () => {
    const config: ServerConfig = { ...echoServer, env: { API_KEY: '${WARDEN_TEST_UNSET_VARIABLE}' } };
    await expect(connect('needs-key', config).listTools()).rejects.toThrow(/WARDEN_TEST_UNSET_VARIABLE is not set/);
    expect(existsSync(join(dir, 'logs', 'mcp-needs-key.log'))).toBe(false);
  });
});

describe('a third-party server', () => {
  it('works with the reference "everything" server from npm over stdio', async () => {
    const everything = connect('everything', everythingServer);
    const tools = await everything.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    const result = await everything.callTool('echo', { message: 'from warden' });
    expect(JSON.stringify(result.content)).toContain('from warden');
  });
});
