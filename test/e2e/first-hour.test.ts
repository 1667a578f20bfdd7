import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, spawnWarden, useTempDirs } from '../main/cli/helpers.js';
import { startHttpServer, type HttpServer } from '../main/mcp/servers.js';

// A new user's first hour, the way one went: an empty folder outside the project, `warden init`,
// the official MCP reference servers added to mcp.json (one of them over Streamable HTTP), the
// tools listed, an agent written for tools found there, a run whose write waits for a person,
// and the ledger verified. Every step is the real `warden` command in its own process.

const temp = useTempDirs();
const require = createRequire(import.meta.url);
let http: HttpServer | undefined;
afterAll(() => {
  http?.stop();
  temp.cleanup();
});

/** The entry file of a reference server installed as a devDependency, as a user's mcp.json would name it. */
function referenceServer(name: 'filesystem' | 'memory'): string {
  return join(dirname(require.resolve(`@modelcontextprotocol/server-${name}/package.json`)), 'dist', 'index.js');
}

/** `warden run ...` left running, so that another process can decide its approval. */
function runInBackground(cwd: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      cwd,
      env: { ...process.env, WARDEN_DATA_DIR: join(cwd, 'data') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A bound that only stops a wedged run: the test waits for the approval, not for a time.
    const wedged = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (code) => {
      clearTimeout(wedged);
      done({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Asks `warden approvals list` until the run's request is there. */
async function pendingApproval(cwd: string): Promise<{ approvalId: string; tool: string }> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const listed = await spawnWarden(cwd, ['approvals', 'list', '--json']);
    if (listed.code === 0) {
      const { pending } = JSON.parse(listed.stdout) as { pending: { approvalId: string; tool: string }[] };
      if (pending[0]) return pending[0];
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('no approval request appeared');
}

describe('the first hour, from an empty folder to a verified ledger', () => {
  it('init, reference servers over stdio and Streamable HTTP, tools, an agent, an approved write, verify', async () => {
    const home = temp.make('warden-first-hour-');
    expect(home.startsWith(ROOT)).toBe(false);
    const allowed = temp.make('warden-first-hour-files-');

    // 1. warden init
    const init = await spawnWarden(home, ['init', 'roster']);
    expect(init).toMatchObject({ code: 0, stderr: '' });
    const roster = join(home, 'roster');

    // 2. The reference servers: filesystem limited to one folder, memory, and everything over
    // Streamable HTTP, in the Claude Code / VS Code shape with "type".
    http = await startHttpServer('streamableHttp');
    const mcp = JSON.parse(readFileSync(join(roster, 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> };
    mcp.mcpServers.files = { type: 'stdio', command: 'node', args: [referenceServer('filesystem'), allowed] };
    mcp.mcpServers.memory = {
      type: 'stdio',
      command: 'node',
      args: [referenceServer('memory')],
      env: { MEMORY_FILE_PATH: join(home, 'memory.jsonl') },
    };
    mcp.mcpServers.everything = { type: 'http', url: http.url };
    writeFileSync(join(roster, 'mcp.json'), JSON.stringify(mcp, null, 2));

    // 3. warden mcp tools: every server ready, and the tools the agent will use are named.
    const tools = await spawnWarden(home, ['mcp', 'tools', '--roster', 'roster']);
    expect(tools.stderr).toBe('');
    expect(tools.code).toBe(0);
    const servers = tools.stdout.split('\n').filter((line) => /^\S/.test(line));
    expect(servers).toEqual([
      expect.stringMatching(/^supplies: ready, \d+ tool\(s\)$/),
      expect.stringMatching(/^files: ready, \d+ tool\(s\)$/),
      expect.stringMatching(/^memory: ready, \d+ tool\(s\)$/),
      expect.stringMatching(/^everything: ready, \d+ tool\(s\)$/),
    ]);
    const names = tools.stdout.split('\n').flatMap((line) => /^ {2}(\S+)/.exec(line)?.[1] ?? []);
    for (const tool of ['files.write_file', 'files.read_text_file', 'memory.search_nodes', 'everything.echo'])
      expect(names).toContain(tool);

    // 4. An agent for tools found there. human-led: a person approves every write.
    writeFileSync(
      join(roster, 'agents', 'scribe.yaml'),
      [
        'id: scribe',
        'role: Writes down what it is told, after a person agrees',
        'autonomy: human-led',
        'tools:',
        '  - { name: everything.echo, access: read }',
        '  - { name: memory.search_nodes, access: read }',
        '  - { name: files.write_file, access: write }',
        '  - { name: files.read_text_file, access: read }',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(roster, 'agents', 'scribe.js'),
      `export default async function scribe(task, warden) {
  const echoed = await warden.tool('everything.echo', { message: task.text });
  const known = await warden.tool('memory.search_nodes', { query: 'scribe' });
  const path = ${JSON.stringify(join(allowed, 'note.txt'))};
  await warden.tool('files.write_file', { path, content: String(echoed) });
  const back = await warden.tool('files.read_text_file', { path });
  return { echoed, wrote: typeof back === 'string' ? back : back.content, known };
}
`,
    );
    const checked = await spawnWarden(home, ['roster', 'check', 'roster']);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);

    // 5. warden run: the write waits; a person approves it from another process; the run ends well.
    const run = runInBackground(home, [
      'run',
      '--roster',
      'roster',
      '--agent',
      'scribe',
      '--input',
      '{"text":"hello from the first hour"}',
      '--json',
    ]);
    const request = await pendingApproval(home);
    expect(request.tool).toBe('files.write_file');
    expect(existsSync(join(allowed, 'note.txt'))).toBe(false);
    const approved = await spawnWarden(home, ['approvals', 'approve', request.approvalId, '--by', 'founder']);
    expect(approved.code).toBe(0);

    const finished = await run;
    expect(finished.code).toBe(0);
    const result = JSON.parse(finished.stdout) as {
      status: string;
      verdict: string;
      output: { echoed: string; wrote: string };
    };
    expect(result).toMatchObject({ status: 'ok', verdict: 'succeeded' });
    expect(finished.stderr).toContain(`waiting for approval ${request.approvalId}: files.write_file`);
    expect(result.output.echoed).toContain('hello from the first hour');
    expect(result.output.wrote).toBe(result.output.echoed);
    expect(readFileSync(join(allowed, 'note.txt'), 'utf8')).toBe(result.output.echoed);

    // The ledger holds the approval, and verifies.
    const verified = await spawnWarden(home, ['ledger', 'verify']);
    expect(verified.stdout).toMatch(/intact/i);
    expect(verified.code).toBe(0);
  }, 600_000);
});
