import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { openWarden } from '../../src/main/host/warden.js';
import type { Steps } from '../../src/main/runtime/steps.js';
import { median, percentile, report } from './stats.js';

const echoServer = fileURLToPath(new URL('../fixtures/mcp/echo-server.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** The same echo tool over stdio: called directly with the SDK, and governed from a sandboxed program. */
async function governedVersusDirect(): Promise<void> {
  const calls = 500;
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: ['--import', tsx, echoServer], stderr: 'ignore' }),
  );
  for (let i = 0; i < 50; i++) await client.callTool({ name: 'echo', arguments: { text: 'warm' } });
  const direct: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await client.callTool({ name: 'echo', arguments: { text: `hello ${i}` } });
    direct.push(performance.now() - t);
  }
  await client.close();

  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  write(join(dir, 'roster'), {
    'warden.yaml': 'organisation: { name: Bench }\n',
    'mcp.json': JSON.stringify({
      mcpServers: { echo: { command: process.execPath, args: ['--import', tsx, echoServer] } },
    }),
    'agents/caller.yaml':
      'id: caller\nrole: calls the echo tool\ntools:\n  - { name: echo.echo, access: read }\nlimits: { cpuMs: 60000, wallMs: 600000 }\n',
    'agents/caller.js': `export default async (task, warden) => { for (let i = 0; i < task.calls; i++) await warden.tool('echo.echo', { text: 'hello ' + i }); return 'done'; };\n`,
  });
  const warden = await openWarden({ rosterDir: join(dir, 'roster'), dataDir: join(dir, 'data') });
  // The time between consecutive calls arriving at the runtime's tool step is one whole
  // governed call as the program sees it: isolate -> host -> gateway -> ledger -> MCP -> back.
  const steps = (warden.runtime as unknown as { steps: Steps }).steps;
  const tool = steps.tool;
  let arrivals: number[] = [];
  steps.tool = (run, name, args) => {
    arrivals.push(performance.now());
    return tool(run, name, args);
  };
  await warden.runtime.run('caller', { calls: 50 });
  arrivals = [];
  const result = await warden.runtime.run('caller', { calls: calls + 1 });
  if (result.status !== 'ok') throw new Error(`governed run failed: ${JSON.stringify(result.error)}`);
  const governed = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
  await warden.close();
  rmSync(dir, { recursive: true, force: true });

  report('tool call, direct with the MCP SDK over stdio, p50', median(direct), 'ms', '-');
  report('  direct, p99', percentile(direct, 99), 'ms', '-');
  report('tool call, governed from a sandboxed program, p50', median(governed), 'ms', '-');
  report('  governed, p99', percentile(governed, 99), 'ms', '-');
  report('  governed p50 / direct p50', median(governed) / median(direct), 'x', '<= 1.5');
}

/** Three agents hand each task down a pipeline; the last calls an in-process tool. */
async function pipelineThroughput(): Promise<void> {
  const tasks = 1_000;
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const handoff = (to: string) =>
    `      toolCalls:\n        - name: warden.handoff\n          arguments: { to: ${to}, intent: 'next stage', context: '{{task}}', constraints: none, verification: done }\n`;
  write(join(dir, 'roster'), {
    'warden.yaml': 'organisation: { name: Bench }\ndefaults: { model: "scripted:bench" }\n',
    'mcp.json': JSON.stringify({ mcpServers: { tools: { command: 'in-process' } } }),
    'agents/first.yaml': 'id: first\nrole: stage one\n',
    'agents/second.yaml': 'id: second\nrole: stage two\n',
    'agents/third.yaml': 'id: third\nrole: stage three\ntools:\n  - { name: tools.stamp, access: read }\n',
    'models/bench.yaml': `rules:
  - when: { agent: first, turn: 0 }
    reply:
${handoff('second')}  - when: { agent: second, turn: 0 }
    reply:
${handoff('third')}  - when: { agent: third, turn: 0 }
    reply:
      toolCalls:
        - name: tools.stamp
          arguments: { n: '{{task.n}}' }
  - reply: { text: 'done: {{last}}' }
`,
  });
  const warden = await openWarden({
    rosterDir: join(dir, 'roster'),
    dataDir: join(dir, 'data'),
    mcpTransport: (server) => {
      if (server !== 'tools') return undefined;
      const [client, serverSide] = InMemoryTransport.createLinkedPair();
      const tools = new McpServer({ name: 'tools', version: '0' });
      tools.registerTool(
        'stamp',
        { description: 'stamps a number', inputSchema: { n: z.number() } },
        async ({ n }) => ({
          content: [{ type: 'text', text: `stamped ${n}` }],
        }),
      );
      void tools.connect(serverSide);
      return client;
    },
  });
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: tasks }, (_, n) => warden.runtime.run('first', { n })));
  const seconds = (performance.now() - started) / 1000;
  const failed = results.filter((r) => r.status !== 'ok');
  if (failed.length) throw new Error(`${failed.length} pipeline runs failed: ${JSON.stringify(failed[0]!.error)}`);
  const steps =
    warden.ledger.reader.count({ type: 'model.called' }) +
    warden.ledger.reader.count({ type: 'tool.result' }) +
    warden.ledger.reader.count({ type: 'handoff' });
  const events = warden.ledger.reader.count();
  await warden.close();
  rmSync(dir, { recursive: true, force: true });
  report('runtime, 3-agent handoff pipeline, 1,000 tasks', steps / seconds, 'steps/s', '>= 5,000');
  report('  steps per task / ledger events per task', steps / tasks, 'steps', `${(events / tasks).toFixed(1)} events`);
}

/** Runs the runtime benchmarks. */
export async function runtimeBenchmarks(): Promise<void> {
  await governedVersusDirect();
  await pipelineThroughput();
}
