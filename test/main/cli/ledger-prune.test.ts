import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/main/ledger/index.js';
import { DEMO_BUILD_MS, demoCopy } from '../../helpers/demo.js';
import { cli, expectOneCleanLine, useTempDirs } from './helpers.js';

const temp = useTempDirs();
let data: string;
let out: string;

beforeAll(async () => {
  data = await demoCopy(temp.make('warden-prune-cli-'));
  out = temp.make('warden-prune-out-');
}, DEMO_BUILD_MS);
afterAll(() => temp.cleanup());

/** The first prompt message of the demo's first model call, as the ledger keeps it now. */
function firstPrompt(): unknown {
  const ledger = Ledger.open(data, { mode: 'existing' });
  try {
    const call = ledger.reader.page({ type: 'model.called', limit: 1, order: 'asc' }).events[0]!;
    const ref = (call.payload as { request: { messages: { sha256: string; bytes: number }[] } }).request.messages[0]!;
    return ledger.contents.resolve(ref);
  } finally {
    ledger.close();
  }
}

describe('warden ledger prune', () => {
  it('refuses in one line, exit 2, without --before, without a reason, or with a date to come', async () => {
    for (const [flags, message] of [
      [[], /--before is required/],
      [['--before', '2026-01-01'], /--reason must say why/],
      [['--before', '2999-01-01', '--reason', 'x'], /is in the future/],
      [['--before', 'last week', '--reason', 'x'], /--before: expected an ISO-8601 time/],
    ] as const) {
      const r = await cli('ledger', 'prune', '--data-dir', data, ...flags);
      expect(r.code).toBe(2);
      expect(expectOneCleanLine(r.err)).toMatch(message);
    }
  });

  it('removes the bodies, keeps the hashes, verifies, and shows who removed them and why in exports and reports', async () => {
    expect(firstPrompt()).toMatchObject({ role: 'system' });
    const now = new Date().toISOString();
    const dry = await cli('ledger', 'prune', '--data-dir', data, '--before', now, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const would = JSON.parse(dry.stdout) as { pieces: number; bytes: number };
    expect(would.pieces).toBeGreaterThan(0);
    expect(firstPrompt()).toMatchObject({ role: 'system' });

    const r = await cli(
      'ledger',
      'prune',
      '--data-dir',
      data,
      '--before',
      now,
      '--reason',
      'kept 0 days',
      '--by',
      'cfo@acme',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^Removed ${would.pieces} bodies of content .* Recorded as seq \\d+ by cfo@acme: kept 0 days\\.$`),
    );
    expect(firstPrompt()).toMatchObject({ removed: { by: 'cfo@acme', reason: 'kept 0 days' } });

    const verified = await cli('ledger', 'verify', '--data-dir', data);
    expect(verified.code, verified.stdout).toBe(0);

    const file = join(out, 'all.jsonl');
    expect((await cli('ledger', 'export', '--data-dir', data, '--format', 'jsonl', '--out', file)).code).toBe(0);
    const checked = await cli('ledger', 'verify', '--file', file);
    expect(checked.code, checked.stdout).toBe(0);
    expect(checked.stdout).toMatch(
      new RegExp(`Content: 0 bodies match their hashes, ${would.pieces} removed by retention\\.`),
    );

    const report = join(out, 'report.html');
    const made = await cli('ledger', 'export', '--data-dir', data, '--format', 'html', '--out', report);
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(report, 'utf8')).toMatch(/removed by retention on \d{4}-\d{2}-\d{2}, by cfo@acme: kept 0 days/);
  });
});
