import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandNames, main } from '../../../src/main/cli/main.js';
import { linesTo } from '../../../src/main/cli/io.js';
import { ApprovalBook } from '../../../src/main/gateway/approvals.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { DEMO_BUILD_MS, demoCopy } from '../../helpers/demo.js';
import { ROOT, cli, expectOneCleanLine, spawnWarden, useTempDirs } from './helpers.js';

// What `warden` says happened: exit codes that tell a failed or rejected run from a good one,
// terminal output redacted as the ledger is, one line for a port in use, help that ends its line.

const SECRET = 'sk-outcome-4b7d21c9e0';
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const echo = fileURLToPath(new URL('../../fixtures/mcp/echo-server.ts', import.meta.url));

/** A spawned `warden` takes seconds to start on a loaded machine; these bounds only catch a hang. */
const SPAWN_MS = 240_000;

const temp = useTempDirs();
let roster: string;

beforeAll(() => {
  process.env.WARDEN_TEST_OUTCOME_KEY = SECRET;
  roster = join(temp.make('warden-outcomes-'), 'roster');
  mkdirSync(join(roster, 'agents'), { recursive: true });
  mkdirSync(join(roster, 'models'));
  const file = (name: string, text: string) => writeFileSync(join(roster, name), text);
  file('warden.yaml', 'organisation: { name: Outcome Test Co }\ndefaults: { model: scripted:t }\n');
  file(
    'mcp.json',
    JSON.stringify({
      mcpServers: {
        echo: {
          command: process.execPath,
          args: ['--import', tsx, echo],
          env: { API_KEY: '${WARDEN_TEST_OUTCOME_KEY}' },
        },
      },
    }),
  );
  const agent = (id: string, tools: string[], program?: string) => {
    file(
      `agents/${id}.yaml`,
      `id: ${id}\nrole: test agent\ntools:\n${tools.map((t) => `  - { name: echo.${t}, access: read }\n`).join('')}`,
    );
    if (program) file(`agents/${id}.js`, program);
  };
  agent('clean', ['echo'], "export default async (task, warden) => warden.tool('echo.echo', { text: 'hello' });\n");
  // A program that shrugs off a failed call and answers anyway.
  agent(
    'shrugger',
    ['refuse'],
    "export default async (task, warden) => { try { await warden.tool('echo.refuse', {}); } catch {} return 'all done'; };\n",
  );
  agent(
    'leaker',
    ['leak_env'],
    "export default async (task, warden) => warden.tool('echo.leak_env', { name: 'API_KEY' });\n",
  );
  // The standard loop with a script whose report names a field the tool's result lacks.
  agent('adder', ['add']);
  file(
    'models/t.yaml',
    [
      'rules:',
      '  - name: add-them',
      '    when: { agent: adder, turn: 0 }',
      '    reply: { toolCalls: [{ name: echo.add, arguments: { a: 2, b: 3 } }] }',
      '  - name: report-total',
      '    when: { agent: adder, lastTool: echo.add }',
      "    reply: { text: 'total {{lastJson.total}}' }",
      '',
    ].join('\n'),
  );
});
afterAll(() => {
  delete process.env.WARDEN_TEST_OUTCOME_KEY;
  temp.cleanup();
});

/** `warden run` of one agent of the test roster, as a real process. */
function runAgent(agent: string, ...more: string[]) {
  const cwd = temp.make('warden-outcomes-run-');
  return spawnWarden(cwd, ['run', '--roster', roster, '--agent', agent, '--input', '{}', ...more]);
}

describe('warden run says what happened', { timeout: SPAWN_MS }, () => {
  it('exits 0 for a run that ended ok with every tool call answered', async () => {
    const r = await runAgent('clean');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello\n');
    expect(r.code).toBe(0);
  });

  it('exits 1 for a run that finished without a tool call that failed, and names the call', async () => {
    const r = await runAgent('shrugger');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('all done\n');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('tool call failed: echo.refuse: insufficient funds [E_MCP_TOOL]');
    expect(lines[1]).toMatch(/^run run-\S+ finished, but without a tool call it made: it did not succeed$/);
    const json = await runAgent('shrugger', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'ok',
      verdict: 'failed',
      failedCalls: [{ tool: 'echo.refuse', rejected: false, error: { code: 'E_MCP_TOOL' } }],
    });
  });

  it('exits 1 for a scripted reply naming a field the tool result lacks, with the rule and the result', async () => {
    const r = await runAgent('adder');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: scripted model, rule "report-total": \{\{lastJson\.total\}\} is not in the result of echo\.add: \{"sum":5\} \[E_MODEL_SCRIPT\] \(run run-\S+\)\n$/,
    );
  });

  it('prints a tool output holding a secret as the ledger holds it, redacted', async () => {
    const r = await runAgent('leaker');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('API_KEY is [redacted:WARDEN_TEST_OUTCOME_KEY]\n');
    expect(r.stderr).not.toContain(SECRET);
  });
});

describe('warden roster check', { timeout: SPAWN_MS }, () => {
  it('refuses a template for a task field the rule’s own when.task rules out', async () => {
    const dir = join(temp.make('warden-outcomes-check-'), 'r');
    mkdirSync(join(dir, 'agents'), { recursive: true });
    mkdirSync(join(dir, 'models'));
    writeFileSync(join(dir, 'warden.yaml'), '');
    writeFileSync(join(dir, 'agents', 'a.yaml'), 'id: a\nrole: test\nmodel: scripted:t\n');
    writeFileSync(
      join(dir, 'models', 't.yaml'),
      "rules:\n  - when: { task: { kind: settle } }\n    reply: { text: 'settling {{task.kind.id}}' }\n",
    );
    const r = await cli('roster', 'check', dir);
    expect(r.code).toBe(2);
    expect(expectOneCleanLine(r.err)).toBe(
      `${dir}/models/t.yaml: rules[0].reply.text: {{task.kind.id}} cannot have a value: when.task makes task.kind "settle", which has no field "id", got "settling {{task.kind.id}}"`,
    );
  });
});

describe('warden approvals reject, for a run whose process has exited', { timeout: DEMO_BUILD_MS }, () => {
  it('records the rejection and ends the run rejected, exit 0', async () => {
    const data = await demoCopy(join(temp.make('warden-outcomes-demo-'), 'data'));
    const ledger = Ledger.open(data, { mode: 'existing' });
    const pending = new ApprovalBook(ledger).pending();
    ledger.close();
    expect(pending).toHaveLength(1);
    const { approvalId, runId } = pending[0]!;
    const r = await spawnWarden(temp.make(), [
      'approvals',
      'reject',
      approvalId,
      '--reason',
      'not this month',
      '--by',
      'controller',
      '--data-dir',
      data,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${approvalId} rejected by controller: books.post_payment, $4,200.00. Run ${runId}, whose process has exited, ended rejected.\n`,
    );
    const after = Ledger.open(data, { mode: 'existing' });
    try {
      const decided = after.reader.page({ runId, type: 'approval.decided' }).events;
      expect(decided.map((e) => e.payload)).toMatchObject([{ decision: 'rejected', by: 'controller' }]);
      const finished = after.reader.page({ runId, type: 'run.finished' }).events;
      expect(finished.map((e) => e.payload)).toEqual([
        {
          status: 'rejected',
          error: { code: 'E_POLICY_REJECTED', message: 'books.post_payment: rejected by controller: not this month' },
        },
      ]);
      expect((await after.verify()).ok).toBe(true);
    } finally {
      after.close();
    }
    // Any Warden opening the folder later finds the run ended, and ends it no second time.
    expect((await cli('approvals', 'list', '--data-dir', data)).stdout).toBe('No approvals are waiting.');
  });
});

describe('warden serve on a port already in use', { timeout: SPAWN_MS }, () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((done) => taken.close(() => done())));

  it('says so in one line and exits 2', async () => {
    const cwd = temp.make('warden-outcomes-serve-');
    const r = await spawnWarden(cwd, [
      'serve',
      '--roster',
      roster,
      '--port',
      String(port),
      '--data-dir',
      join(cwd, 'd'),
    ]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`warden serve: port ${port} is in use; pick another with --port\n`);
    expect(r.code).toBe(2);
  });
});

describe('what the terminal shows', { timeout: SPAWN_MS }, () => {
  /** `warden ...argv` in this process, writing as the real process does, into two strings. */
  async function written(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(argv, linesTo({ write: (t: string) => (out += t) }, { write: (t: string) => (err += t) }));
    return { code, out, err };
  }

  it('every command’s --help ends with a newline', async () => {
    const names = commandNames();
    expect(names.length).toBeGreaterThan(20);
    for (const name of [...names, 'ledger', 'approvals', 'prompts']) {
      const r = await written(...name.split(' '), '--help');
      expect(r.code, name).toBe(0);
      expect(r.out.endsWith('\n'), name).toBe(true);
      expect(r.err).toBe('');
    }
    const top = await written('--help');
    expect(top.out.endsWith('\n')).toBe(true);
  });

  it('an error after other output starts on its own line', async () => {
    // A group named alone prints its commands, as an error, then exits 2.
    const r = await written('approvals');
    expect(r.code).toBe(2);
    expect(r.err.endsWith('\n')).toBe(true);
    const bad = await written('run', '--bogus');
    expect(bad.err).toBe('warden run: unknown flag --bogus\n');
  });
});

it('the real process ends its --help with a newline', { timeout: SPAWN_MS }, async () => {
  const r = await spawnWarden(ROOT, ['run', '--help']);
  expect(r.code).toBe(0);
  expect(r.stdout.endsWith('\n')).toBe(true);
});
