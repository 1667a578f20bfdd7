import { afterEach, describe, expect, it } from 'vitest';
import { cli, expectOneCleanLine, spawnWarden, useTempDirs, write } from './helpers.js';

const temp = useTempDirs();
afterEach(() => temp.cleanup());

/** Every command, written out by hand so that one missing from the help fails here. */
const COMMANDS = [
  'init',
  'demo',
  'serve',
  'run',
  'runs list',
  'runs show',
  'approvals list',
  'approvals approve',
  'approvals reject',
  'eval',
  'kpis',
  'agents resume',
  'prompts list',
  'prompts show',
  'prompts set',
  'prompts rollback',
  'mcp tools',
  'mcp accept',
  'providers test',
  'sandbox run',
  'ledger verify',
  'ledger export',
  'ledger prune',
  'ledger prove',
  'ledger verify-proof',
  'ledger checkpoint',
  'roster check',
];

describe('warden help and usage (in process)', () => {
  it('--help lists every command and exits 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = await cli(flag);
      expect(r.code).toBe(0);
      for (const name of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  warden ${name} `, 'm'));
      // And nothing the list above does not name: a new command comes with its line here.
      expect(r.stdout.match(/^ {2}warden /gm)).toHaveLength(COMMANDS.length);
      expect(r.stdout).toContain(
        'Exit codes: 0 success, 1 a check failed, 2 bad usage or bad input, 3 a person rejected what a run asked for.',
      );
      expect(r.err).toEqual([]);
    }
  });

  it('no arguments prints the help on stderr and exits 2', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.stderr).toContain('warden sandbox run');
  });

  it.each(COMMANDS)('"warden %s --help" prints its usage and exits 0', async (name) => {
    for (const flag of ['--help', '-h']) {
      const r = await cli(...name.split(' '), flag);
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith(`warden ${name} `)).toBe(true);
      expect(r.err).toEqual([]);
    }
  });

  it('--help wins over other, even bad, flags of a command', async () => {
    const r = await cli('ledger', 'export', '--format', 'xml', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--format jsonl|csv');
  });

  it('a command group with --help lists its commands (exit 0); alone it is bad usage (exit 2)', async () => {
    const help = await cli('ledger', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('warden ledger verify');
    expect(help.stdout).toContain('warden ledger export');
    expect(help.stdout).not.toContain('sandbox');
    const bare = await cli('ledger');
    expect(bare.code).toBe(2);
  });

  it('an unknown command exits 2 naming it', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(expectOneCleanLine(r.err)).toBe('warden: unknown command "frobnicate"; run warden --help');
    const sub = await cli('ledger', 'shred');
    expect(sub.code).toBe(2);
    expect(expectOneCleanLine(sub.err)).toContain('unknown command "ledger shred"');
  });

  it('an unknown flag exits 2 naming the flag, for every command', async () => {
    const dir = temp.make();
    const prog = write(dir, 'p.js', 'export default async () => 1;');
    const cases: string[][] = [
      ['sandbox', 'run', prog, '--bogus'],
      ['ledger', 'verify', '--bogus'],
      ['ledger', 'export', '--format', 'jsonl', '--out', `${dir}/x`, '--bogus'],
      ['roster', 'check', dir, '--bogus'],
    ];
    for (const argv of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(expectOneCleanLine(r.err)).toBe(`warden ${argv[0]} ${argv[1]}: unknown flag --bogus`);
      expect(r.out).toEqual([]);
    }
  });

  it('a flag without its value and an extra argument are bad usage', async () => {
    const missing = await cli('ledger', 'verify', '--data-dir');
    expect(missing.code).toBe(2);
    expect(expectOneCleanLine(missing.err)).toContain('--data-dir needs a value');
    const extra = await cli('ledger', 'verify', 'surplus');
    expect(extra.code).toBe(2);
    expect(expectOneCleanLine(extra.err)).toContain('unexpected argument "surplus"');
  });
});

describe('the real warden executable (spawned from a temp folder)', () => {
  it('--help exits 0 and lists the commands', async () => {
    const cwd = temp.make();
    const r = await spawnWarden(cwd, ['--help']);
    expect(r.code).toBe(0);
    for (const name of COMMANDS) expect(r.stdout).toContain(`warden ${name}`);
    expect(r.stderr).toBe('');
  });

  it('sandbox run FILE --json prints one JSON object and exits 0', async () => {
    const cwd = temp.make();
    write(cwd, 'double.js', 'export default async (task) => ({ doubled: task.n * 2 });');
    const r = await spawnWarden(cwd, ['sandbox', 'run', 'double.js', '--input', '{"n":21}', '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const outcome = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(outcome)).toEqual(
      expect.arrayContaining(['status', 'result', 'error', 'limit', 'cpuMs', 'wallMs']),
    );
    expect(outcome).toMatchObject({ status: 'ok', result: { doubled: 42 }, error: null, limit: null });
    expect(typeof outcome.cpuMs).toBe('number');
    expect(typeof outcome.wallMs).toBe('number');
  });

  it('a program that loops is stopped by --cpu-ms: exit 1, status limit, limit cpu', async () => {
    const cwd = temp.make();
    write(cwd, 'loop.js', 'export default async () => { for (;;) {} };');
    const r = await spawnWarden(cwd, ['sandbox', 'run', 'loop.js', '--cpu-ms', '200', '--json']);
    expect(r.code).toBe(1);
    const outcome = JSON.parse(r.stdout) as { status: string; limit: string; error: { code: string } };
    expect(outcome.status).toBe('limit');
    expect(outcome.limit).toBe('cpu');
    expect(outcome.error.code).toBe('E_SANDBOX_CPU');
    expect(r.stderr).not.toContain('internal error');
  });
});
