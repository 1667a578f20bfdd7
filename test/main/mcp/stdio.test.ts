import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/main/cli/main.js';
import { DEMO_ROSTER } from '../../../src/main/cli/commands/demo.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { McpConnection, type ServerConfig, type ServerFailure } from '../../../src/main/mcp/connection.js';
import { tempDir } from '../../helpers/temp.js';
import { writeRoster } from './servers.js';

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

function connect(name: string, config: ServerConfig, redact?: (text: string) => string): McpConnection {
  const connection = new McpConnection(name, config, {
    logDir: join(dir, 'logs'),
    env: process.env,
    onFailure: (f) => failures.push(f),
    ...(redact ? { redact } : {}),
  });
  open.push(connection);
  return connection;
}

/** A server that is a line of JavaScript run by this Node. */
const script = (code: string): ServerConfig => ({ command: process.execPath, args: ['-e', code], env: {} });

async function startError(connection: McpConnection): Promise<{ code: string; message: string }> {
  const error = (await connection.listTools().then(
    () => null,
    (e: unknown) => e,
  )) as { code: string; message: string } | null;
  expect(error).not.toBeNull();
  return error!;
}

describe('a server that does not start says why', () => {
  it('one that exits with a code after writing to stderr: the code, what it wrote and where its log is', async () => {
    const broken = connect('broken', script("console.error('cannot read config.toml'); process.exit(3)"));
    const error = await startError(broken);
    expect(error.code).toBe('E_MCP_START');
    const [first, ...rest] = error.message.split('\n');
    expect(first).toBe(
      `server broken did not start: it exited with code 3 before answering initialize; the end of its stderr, from ${join(dir, 'logs', 'mcp-broken.log')}:`,
    );
    expect(rest).toEqual(['    cannot read config.toml']);
    // The same reason is what the ledger records, and what mcp tools and the console show.
    expect(failures.map((f) => f.message)).toEqual([error.message]);
    expect(broken.lastError?.message).toBe(error.message);
  });

  it('a command that does not exist: says so, and names it', async () => {
    const error = await startError(connect('missing', { command: 'warden-test-no-such-command', args: [], env: {} }));
    expect(error.message).toBe(
      'server missing did not start: the command "warden-test-no-such-command" was not found on PATH',
    );
  });

  it('one that cannot import a package: the error line of its stderr, not its stack frames', async () => {
    const file = join(dir, 'importer.mjs');
    writeFileSync(file, "import 'warden-test-no-such-package';\n");
    const error = await startError(connect('importer', { command: process.execPath, args: [file], env: {} }));
    expect(error.message).toMatch(/^server importer did not start: it exited with code 1 before answering initialize;/);
    expect(error.message).toContain("Cannot find package 'warden-test-no-such-package'");
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('one killed by a signal: names the signal', async () => {
    const error = await startError(connect('killed', script("process.kill(process.pid, 'SIGKILL')")));
    expect(error.message).toBe(
      'server killed did not start: it was killed by SIGKILL before answering initialize, and wrote nothing to stderr',
    );
  });

  it('quotes its stderr redacted, as its log has it', async () => {
    const leaky = connect('leaky', script("console.error('login failed for token hunter2'); process.exit(1)"), (t) =>
      t.replaceAll('hunter2', '[redacted:TOKEN]'),
    );
    const error = await startError(leaky);
    expect(error.message).toContain('\n    login failed for token [redacted:TOKEN]');
    expect(error.message).not.toContain('hunter2');
  });
});

describe("Warden's MCP SDK and zod, lent to a server run with node", () => {
  /** A server folder of its own, with the files given; its command is `node server.mjs`. */
  function serverIn(name: string, files: Record<string, string>): ServerConfig {
    const folder = join(dir, name);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(folder, file)), { recursive: true });
      writeFileSync(join(folder, file), text);
    }
    return { command: 'node', args: [join(folder, 'server.mjs')], env: {}, cwd: folder };
  }

  it('come second: a copy of its own is the one it gets', async () => {
    const own = serverIn('own-zod', {
      'node_modules/zod/package.json': '{"name":"zod","type":"module","exports":"./index.js"}',
      'node_modules/zod/index.js': "export const whose = 'the roster own zod';\n",
      'server.mjs': "import { whose } from 'zod';\nconsole.error(whose);\nprocess.exit(5);\n",
    });
    const error = await startError(connect('own', own));
    expect(error.message).toContain('exited with code 5');
    expect(error.message).toContain('\n    the roster own zod');
  });

  it('are the only packages lent', async () => {
    // yaml is one of Warden's own dependencies, but not lent.
    const other = serverIn('other', { 'server.mjs': "import 'yaml';\n" });
    const error = await startError(connect('other', other));
    expect(error.message).toContain("Cannot find package 'yaml'");
  });
});

describe('through the warden command', () => {
  it('warden run says why the server of a tool did not start, and the ledger (what the console shows) records it', async () => {
    const roster = writeRoster(
      join(dir, 'run'),
      { books: script("console.error('BOOKS_DB is not set'); process.exit(3)") },
      {
        'clerk.yaml': 'id: clerk\nrole: reads the books\ntools:\n  - { name: books.read, access: read }\n',
        'clerk.js': "export default async (task, warden) => warden.tool('books.read', {});\n",
      },
    );
    const data = join(dir, 'run', 'data');
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['run', '--roster', roster, '--agent', 'clerk', '--input', '{}', '--data-dir', data], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    expect(code).toBe(1);
    const printed = err.join('\n');
    expect(printed).toContain('server books did not start: it exited with code 3 before answering initialize');
    expect(printed).toContain('\n    BOOKS_DB is not set');
    expect(printed).toContain(join(data, 'logs', 'mcp-books.log'));
    const ledger = Ledger.open(data, { mode: 'existing' });
    try {
      const failed = ledger.reader.page({ type: 'mcp.failed' }).events[0];
      expect(JSON.stringify(failed?.payload)).toContain('exited with code 3');
      // The console shows the run's tool result, which holds the same reason.
      const result = ledger.reader.page({ type: 'tool.result' }).events[0];
      expect(JSON.stringify(result?.payload)).toContain('BOOKS_DB is not set');
    } finally {
      ledger.close();
    }
  });

  it("the demo roster copied out of the project starts its servers with Warden's MCP SDK", async () => {
    const copy = join(dir, 'acme');
    cpSync(DEMO_ROSTER, copy, { recursive: true });
    const out: string[] = [];
    const code = await main(['mcp', 'tools', '--roster', copy, '--data-dir', join(dir, 'acme-data')], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    expect(out.filter((line) => !line.startsWith(' '))).toEqual([
      'inbox: ready, 2 tool(s)',
      'catalog: ready, 3 tool(s)',
      'books: ready, 6 tool(s)',
    ]);
    expect(code).toBe(0);
  });
});
