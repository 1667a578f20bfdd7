import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/main/cli/main.js';
import { tempDir } from '../../helpers/temp.js';
import { echoServer } from './servers.js';

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  mkdirSync(join(dir, 'roster', 'agents'), { recursive: true });
  writeFileSync(join(dir, 'roster', 'warden.yaml'), 'organisation:\n  name: Test\n');
  writeFileSync(
    join(dir, 'roster', 'agents', 'a.yaml'),
    'id: a\nrole: tester\ntools:\n  - name: echo.echo\n    access: read\n',
  );
  writeFileSync(
    join(dir, 'roster', 'mcp.json'),
    JSON.stringify({ mcpServers: { echo: echoServer, ghost: { command: join(dir, 'no-such-server') } } }),
  );
});
afterAll(() => cleanup());

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err };
}

describe('warden mcp tools', () => {
  it('lists each server with its status and tools, and exits 1 when one fails to start', async () => {
    const r = await run('mcp', 'tools', '--roster', join(dir, 'roster'), '--data-dir', join(dir, 'data'), '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out[0]!) as {
      servers: {
        name: string;
        status: string;
        tools: { name: string; inputSchema: unknown }[];
        error?: { code: string };
      }[];
    };
    const echo = doc.servers.find((s) => s.name === 'echo')!;
    expect(echo.status).toBe('ready');
    expect(echo.tools.find((t) => t.name === 'echo')?.inputSchema).toMatchObject({ type: 'object' });
    expect(doc.servers.find((s) => s.name === 'ghost')).toMatchObject({
      status: 'failed',
      error: { code: 'E_MCP_START' },
    });
  });

  it('prints one line per server and one per tool', async () => {
    const r = await run('mcp', 'tools', '--roster', join(dir, 'roster'), '--data-dir', join(dir, 'data'));
    expect(r.out).toContain('  echo.echo  Says the text back');
    expect(r.out.some((line) => line.startsWith('ghost: failed (server ghost did not start'))).toBe(true);
  });

  it('refuses an invalid roster with one line, exit 2', async () => {
    const r = await run('mcp', 'tools', '--roster', join(dir, 'nowhere'));
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain('is not a folder');
  });
});
