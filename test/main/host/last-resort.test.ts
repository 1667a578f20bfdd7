import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { installLastResort, MAX_RECORDED_FAILURES } from '../../../src/main/host/last-resort.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { ROOT, useTempDirs } from '../cli/helpers.js';

// The serve mode's last resort, over a real ledger in a temp folder: an error nobody answered
// for becomes a host.error event and the process goes on, unless going on is not safe.

const temp = useTempDirs();
afterEach(() => temp.cleanup());

/** The last resort over an emitter standing in for the process, with what it printed and whether it stopped. */
function harness(ledger: Ledger) {
  const target = new EventEmitter();
  const lines: string[] = [];
  const stops: number[] = [];
  const remove = installLastResort({ target, ledger, warn: (l) => lines.push(l), stop: (c) => stops.push(c) });
  return { target, lines, stops, remove };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

const hostErrors = (ledger: Ledger) => [...ledger.reader.each({ type: 'host.error' })].map((e) => e.payload);

describe('the last resort of warden serve', () => {
  it('records an uncaught exception and an unhandled rejection, and goes on', async () => {
    const ledger = Ledger.open(temp.make('warden-last-resort-'));
    try {
      const { target, lines, stops } = harness(ledger);
      target.emit('uncaughtException', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      // Not even an Error, and not printable: still one clear record.
      target.emit('unhandledRejection', Object.create(null));
      await until(() => hostErrors(ledger).length === 2);
      expect(hostErrors(ledger)).toEqual([
        { origin: 'uncaughtException', error: { code: 'ECONNRESET', message: 'socket hang up' }, action: 'continued' },
        {
          origin: 'unhandledRejection',
          error: { code: 'E_INTERNAL', message: 'a value that cannot be shown as text was thrown' },
          action: 'continued',
        },
      ]);
      expect(stops).toEqual([]);
      expect(lines[0]).toMatch(/^warden serve: uncaughtException: socket hang up\n/);
      expect(lines[0]).toMatch(/serving goes on\.$/);
    } finally {
      ledger.close();
    }
  });

  it('stops, saying why, when the ledger cannot take the record', async () => {
    const ledger = Ledger.open(temp.make('warden-last-resort-'));
    const { target, lines, stops } = harness(ledger);
    ledger.close();
    target.emit('uncaughtException', new Error('boom'));
    await until(() => stops.length === 1);
    expect(stops).toEqual([1]);
    expect(lines.at(-1)).toBe('warden serve: the ledger could not record it (the ledger is closed); stopping.');
  });

  it(`stops after ${MAX_RECORDED_FAILURES} failures, the last recorded as the reason`, async () => {
    const ledger = Ledger.open(temp.make('warden-last-resort-'));
    try {
      const { target, stops } = harness(ledger);
      for (let i = 0; i < MAX_RECORDED_FAILURES + 2; i++) target.emit('uncaughtException', new Error(`loop ${i}`));
      await until(() => stops.length === 1);
      const recorded = hostErrors(ledger) as { action: string }[];
      expect(recorded).toHaveLength(MAX_RECORDED_FAILURES);
      expect(recorded.at(-1)!.action).toBe('stopped');
      expect(recorded.slice(0, -1).every((r) => r.action === 'continued')).toBe(true);
    } finally {
      ledger.close();
    }
  });

  it('keeps a real process running past a throw and a rejection nobody caught', async () => {
    const dir = temp.make('warden-last-resort-');
    const script = join(dir, 'process.mjs');
    const source = pathToFileURL(join(ROOT, 'src', 'main', 'host', 'last-resort.ts')).href;
    const ledgerSource = pathToFileURL(join(ROOT, 'src', 'main', 'ledger', 'index.ts')).href;
    const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'api', 'index.mjs')).href;
    writeFileSync(
      script,
      `import { register } from ${JSON.stringify(tsx)};
register();
const { installLastResort } = await import(${JSON.stringify(source)});
const { Ledger } = await import(${JSON.stringify(ledgerSource)});
const ledger = Ledger.open(${JSON.stringify(join(dir, 'data'))});
installLastResort({ target: process, ledger, warn: (l) => console.error(l), stop: (c) => process.exit(c) });
setTimeout(() => { throw new Error('thrown from a timer'); });
void Promise.reject(new Error('rejected, never handled'));
const wait = setInterval(() => {
  if (ledger.reader.count({ type: 'host.error' }) < 2) return;
  clearInterval(wait);
  console.log('still running');
  ledger.close();
}, 10);
`,
    );
    const result = await new Promise<{ code: number | null; stdout: string }>((done) =>
      execFile(process.execPath, [script], { cwd: ROOT, timeout: 60_000 }, (error, stdout) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout }),
      ),
    );
    expect(result).toEqual({ code: 0, stdout: 'still running\n' });
    const ledger = Ledger.open(join(dir, 'data'));
    try {
      expect(
        hostErrors(ledger)
          .map((e) => (e as { error: { message: string } }).error.message)
          .sort(),
      ).toEqual(['rejected, never handled', 'thrown from a timer']);
    } finally {
      ledger.close();
    }
  }, 90_000);
});
