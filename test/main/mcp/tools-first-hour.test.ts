import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/main/cli/main.js';
import { tempDir } from '../../helpers/temp.js';
import { echoServer, startHttpServer, type HttpServer } from './servers.js';

// `warden mcp tools` is what a person runs before writing a single manifest: it lists the
// tools of mcp.json as Claude Desktop, Claude Code and VS Code write it, over stdio,
// Streamable HTTP and SSE, whatever state the rest of the roster is in.

const require = createRequire(import.meta.url);
const memoryServer = join(
  dirname(require.resolve('@modelcontextprotocol/server-memory/package.json')),
  'dist/index.js',
);

let dir: string;
let cleanup: () => void;
let http: HttpServer;
let sse: HttpServer;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  [http, sse] = await Promise.all([startHttpServer('streamableHttp'), startHttpServer('sse')]);
}, 120_000);
afterAll(() => {
  http?.stop();
  sse?.stop();
  cleanup();
});

/** A roster folder holding only these files. */
function roster(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

interface Listing {
  servers: { name: string; status: string; tools: { name: string }[]; error?: { code: string; message: string } }[];
  rosterProblems: { file: string; path: string; message: string }[];
}

async function tools(root: string, json = true) {
  const out: string[] = [];
  const err: string[] = [];
  const argv = ['mcp', 'tools', '--roster', root, '--data-dir', join(dir, 'data'), ...(json ? ['--json'] : [])];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err, doc: json && out[0] ? (JSON.parse(out[0]) as Listing) : null };
}

const toolsOf = (doc: Listing | null, server: string) =>
  doc?.servers.find((s) => s.name === server)?.tools.map((t) => t.name) ?? [];

describe('warden mcp tools before the roster is written', () => {
  it("lists VS Code's servers (type stdio, http and sse) with no warden.yaml and no agents folder", async () => {
    const root = roster('vscode', {
      'mcp.json': JSON.stringify({
        inputs: [],
        servers: {
          echo: { type: 'stdio', ...echoServer },
          // A variable in a url is filled in from the environment, as in Claude Code's files.
          everything: { type: 'http', url: http.url.replace(/\/mcp$/, '/${env:WARDEN_TEST_MCP_PATH}') },
          legacy: { type: 'sse', url: sse.url },
        },
      }),
    });
    process.env.WARDEN_TEST_MCP_PATH = 'mcp';
    const r = await tools(root).finally(() => delete process.env.WARDEN_TEST_MCP_PATH);
    expect(r.doc?.servers.map((s) => [s.name, s.status])).toEqual([
      ['echo', 'ready'],
      ['everything', 'ready'],
      ['legacy', 'ready'],
    ]);
    expect(toolsOf(r.doc, 'echo')).toContain('echo');
    expect(toolsOf(r.doc, 'everything')).toContain('echo');
    expect(toolsOf(r.doc, 'legacy')).toContain('echo');
    // Tools are listed; that agents cannot run yet is said once, with where to look.
    expect(r.code).toBe(0);
    expect(r.doc?.rosterProblems).toEqual([
      { file: 'warden.yaml', path: '', message: 'is missing' },
      { file: 'agents/', path: '', message: 'holds no agent manifests (agents/<id>.yaml)' },
    ]);
  }, 120_000);

  it("lists Claude Desktop's mcpServers when an agent's manifest is invalid, and says so in one line", async () => {
    const root = roster('desktop', {
      'warden.yaml': 'organisation: { name: Acme }\n',
      'mcp.json': JSON.stringify({
        mcpServers: {
          memory: { command: 'node', args: [memoryServer], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') } },
        },
      }),
      'agents/keeper.yaml': 'id: keeper\nrole: Remembers\ntools:\n  - name: memory.read_graph\n    acess: read\n',
    });
    const r = await tools(root, false);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^memory: ready, \d+ tool\(s\)$/);
    expect(r.out).toContain('  memory.read_graph  Read the entire knowledge graph');
    expect(r.err).toEqual([
      expect.stringMatching(
        /^Roster .* has problems \(agents\/keeper\.yaml: tools\[0\]\..* and 1 more\); .*: warden roster check /,
      ),
    ]);
  }, 60_000);

  it('shows a bad entry as one failed server and lists the rest', async () => {
    const root = roster('one-bad', {
      'mcp.json': JSON.stringify({ mcpServers: { echo: echoServer, typo: { comand: 'node' }, slow: { type: 'sse' } } }),
    });
    const r = await tools(root, false);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  echo.echo  Says the text back');
    expect(r.out.filter((line) => line.startsWith('typo:'))).toEqual([
      'typo: failed (mcp.json: mcpServers.typo: expected {command, args, env, cwd} (stdio) or {url, headers} (http, sse), got {"comand":"node"})',
    ]);
    expect(r.out.filter((line) => line.startsWith('slow:'))).toEqual([
      expect.stringMatching(/^slow: failed \(mcp\.json: mcpServers\.slow\.url: /),
    ]);
  }, 60_000);

  it('refuses an mcp.json it cannot read, with one line', async () => {
    const r = await tools(roster('garbled', { 'mcp.json': '{"mcpServers": ' }), false);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/mcp\.json: is not valid JSON/);
  });
});
