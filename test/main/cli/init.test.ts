import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STARTER_ROSTER } from '../../../src/main/cli/commands/init.js';
import { filesUnder } from '../../helpers/temp.js';
import { cli, expectOneCleanLine, ROOT, spawnWarden, useTempDirs } from './helpers.js';

const temp = useTempDirs();
afterEach(() => temp.cleanup());

describe('warden init', () => {
  it('makes a roster outside the project that checks, lists its tools and runs a task, through the real command', async () => {
    // A folder under the OS temp folder: no node_modules of the project anywhere above it.
    const home = temp.make('warden-init-');
    expect(home.startsWith(ROOT)).toBe(false);

    const made = await spawnWarden(home, ['init', 'my-roster']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    // What to run next, with the folder as it was given.
    expect(made.stdout).toContain('warden roster check my-roster');
    expect(made.stdout).toContain(
      `warden run --roster my-roster --agent purchaser --input '{"item":"paper","quantity":10}'`,
    );

    const checked = await spawnWarden(home, ['roster', 'check', '--roster', 'my-roster']);
    expect(checked).toMatchObject({ code: 0, stderr: '' });
    expect(checked.stdout).toContain('1 agent(s) (purchaser), 1 MCP server(s)');

    const tools = await spawnWarden(home, ['mcp', 'tools', '--roster', 'my-roster']);
    expect(tools.stdout.split('\n')[0]).toBe('supplies: ready, 2 tool(s)');
    expect(tools.code).toBe(0);

    const run = await spawnWarden(home, [
      'run',
      '--roster',
      'my-roster',
      '--agent',
      'purchaser',
      '--input',
      '{"item":"paper","quantity":10}',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { status: string; output: unknown };
    expect(result).toMatchObject({
      status: 'ok',
      output: {
        ordered: true,
        order: { sku: 'PAP-A4-500', quantity: 10, totalUsd: 245, status: 'placed' },
        note: 'Ordered 10 x A4 paper, box of 5 reams for $245 (order ORD-0001).',
      },
    });
    // Four real commands, each starting Node and its servers: the bound only stops a wedged one.
  }, 300_000);

  it('writes every file of the starter roster, and lists each with what it is for', async () => {
    const target = join(temp.make(), 'fresh', 'roster');
    const r = await cli('init', target);
    expect(r.code).toBe(0);
    const files = filesUnder(STARTER_ROSTER).map((f) =>
      f
        .slice(STARTER_ROSTER.length + 1)
        .split('\\')
        .join('/'),
    );
    for (const file of files) {
      expect(readFileSync(join(target, file), 'utf8')).toBe(readFileSync(join(STARTER_ROSTER, file), 'utf8'));
      expect(r.out).toContainEqual(expect.stringMatching(new RegExp(`^  ${file.replace('.', '\\.')} +\\S`)));
    }
  });

  it('refuses a folder that is not empty, in one line with exit 2, and touches nothing', async () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = await cli('init', dir);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(expectOneCleanLine(r.err)).toBe(
      `warden init: ${dir} is not empty; name a new folder, or add --force to write the starter files into it (files of the same names are replaced)`,
    );
    expect(existsSync(join(dir, 'warden.yaml'))).toBe(false);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('with --force writes into a folder that is not empty, replacing only files of the same names', async () => {
    const dir = temp.make();
    mkdirSync(join(dir, 'agents'));
    writeFileSync(join(dir, 'agents', 'mine.txt'), 'mine');
    writeFileSync(join(dir, 'warden.yaml'), 'organisation: { name: Old }\n');
    const r = await cli('init', dir, '--force');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'agents', 'mine.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'warden.yaml'), 'utf8')).toBe(
      readFileSync(join(STARTER_ROSTER, 'warden.yaml'), 'utf8'),
    );
    expect((await cli('roster', 'check', dir)).code).toBe(0);
  });

  it('refuses a file, and a missing folder name, in one line', async () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'file'), '');
    const file = await cli('init', join(dir, 'file'));
    expect(file.code).toBe(2);
    expect(expectOneCleanLine(file.err)).toBe(`warden init: ${join(dir, 'file')} is a file, not a folder`);
    const none = await cli('init');
    expect(none.code).toBe(2);
    expect(expectOneCleanLine(none.err)).toBe(
      'warden init: name the folder to make the roster in, e.g. warden init my-roster',
    );
  });
});
