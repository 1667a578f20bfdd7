import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('the core', () => {
  it('loads in plain Node with electron unresolvable', async () => {
    // A loader hook that makes `electron` fail to resolve, as on a machine without it.
    const hook = `data:text/javascript,${encodeURIComponent(
      `export async function resolve(s, c, next) { if (s === 'electron') throw new Error('electron is not here'); return next(s, c); }`,
    )}`;
    const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)});`)}`;
    const script = `
      const modules = ['./src/main/ledger/index.ts', './src/main/sandbox/pool.ts', './src/main/roster/load.ts', './src/main/cli/main.ts',
        './src/main/cli/commands/ledger.ts', './src/main/cli/commands/sandbox.ts', './src/main/cli/commands/roster.ts'];
      for (const m of modules) await import(m);
      console.log('loaded ' + modules.length);`;
    const { stdout } = await run(
      process.execPath,
      ['--import', register, '--import', tsx, '--input-type=module', '-e', script],
      {
        cwd: process.cwd(),
      },
    );
    expect(stdout.trim()).toBe('loaded 7');
  });
});
