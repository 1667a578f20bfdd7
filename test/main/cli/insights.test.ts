import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rosterWithSuites } from '../evals/roster.js';
import { buildKpiLedger } from '../kpis/fixture.js';
import { cli, useTempDirs } from './helpers.js';

const temp = useTempDirs();
afterEach(() => temp.cleanup());

const pays = {
  id: 'pays-small',
  input: { kind: 'pay-invoice', invoiceId: 'INV-1001', payee: 'northwind-paper', amountUsd: 450 },
  expected: { calls: [{ tool: 'books.post_payment', args: { invoiceId: 'INV-1001' } }] },
  grader: 'trajectory',
};

describe('warden eval', () => {
  it('exits 0 when every suite holds its minimum, and says so', async () => {
    const dir = temp.make();
    const roster = rosterWithSuites(dir, { reconciliation: [pays] });
    const result = await cli('eval', '--roster', roster, '--data-dir', join(dir, 'data'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/reconciliation\s+1\/1\s+100\.0%\s+ok \(minimum 95\.0%\)/);
  });

  it('exits 1 when an agent falls below, naming the failing case and the suspension', async () => {
    const dir = temp.make();
    const wrong = {
      ...pays,
      id: 'wrong-invoice',
      expected: { calls: [{ tool: 'books.post_payment', args: { invoiceId: 'INV-9' } }] },
    };
    const roster = rosterWithSuites(dir, { reconciliation: [pays, wrong] });
    const result = await cli('eval', '--roster', roster, '--data-dir', join(dir, 'data'), '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      below: string[];
      suites: { agentId: string; accuracy: number; suspended: boolean; cases: { caseId: string; diff: string[] }[] }[];
    };
    expect(report.below).toEqual(['reconciliation']);
    expect(report.suites[0]).toMatchObject({ agentId: 'reconciliation', accuracy: 0.5, suspended: true });
    expect(report.suites[0]!.cases.find((c) => c.caseId === 'wrong-invoice')!.diff[0]).toBe(
      'no call books.post_payment {"invoiceId":"INV-9"}',
    );
    // A person reading the terminal sees the same.
    const again = await cli('eval', '--roster', roster, '--data-dir', join(dir, 'data'));
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('BELOW 95.0%: suspended');
    expect(again.stdout).toContain('wrong-invoice: no call books.post_payment');
    expect(again.stdout).toContain('Suspended: reconciliation.');
    // And a person resumes it from the command line, on the record.
    const resumed = await cli(
      'agents',
      'resume',
      'reconciliation',
      '--reason',
      'checked',
      '--by',
      'cao',
      '--data-dir',
      join(dir, 'data'),
    );
    expect(resumed).toMatchObject({
      code: 0,
      stdout: 'reconciliation was suspended; resumed by cao. It starts runs again.',
    });
    const twice = await cli('agents', 'resume', 'reconciliation', '--data-dir', join(dir, 'data'));
    expect(twice).toMatchObject({
      code: 2,
      stderr: 'warden agents resume: reconciliation is neither paused nor suspended',
    });
  });

  it('refuses an unknown agent, or a roster with no suites, in one line', async () => {
    const dir = temp.make();
    const roster = rosterWithSuites(dir, { reconciliation: [pays] });
    const unknown = await cli('eval', '--roster', roster, '--agent', 'nobody', '--data-dir', join(dir, 'data'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^warden eval: --agent: no agent "nobody" in .* \(agents: archive-indexer, /);
    const none = await cli('eval', '--roster', roster, '--agent', 'quoting', '--data-dir', join(dir, 'data'));
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('warden eval: quoting has no eval suite (expected evals/quoting.jsonl)');
  });
});

describe('warden kpis', () => {
  it('prints the KPIs of a period, and the same as JSON', async () => {
    const data = join(temp.make(), 'data');
    (await buildKpiLedger(data)).close();
    const period = ['--from', '2026-11-01', '--to', '2026-11-03', '--data-dir', data];
    const json = await cli('kpis', ...period, '--by', 'unit', '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as {
      total: { tasks: number; interventionRate: number };
      groups: { key: string }[];
    };
    expect(report.total).toMatchObject({ tasks: 5, resolved: 3, intervened: 4, interventionRate: 0.8 });
    expect(report.groups.map((g) => g.key)).toEqual(['finance', 'sales']);
    const text = await cli('kpis', ...period);
    expect(text.code).toBe(0);
    expect(text.out[0]).toBe('KPIs from 2026-11-01T00:00:00.000Z to 2026-11-03T00:00:00.000Z (2 days), by agent');
    expect(text.stdout).toMatch(/reconciliation\s+3\s+2\s+66\.7%\s+5\.3 min\s+\$0\.24/);
    expect(text.stdout).toMatch(/all\s+5\s+3\s+80\.0%\s+3\.6 min/);
    expect(text.stdout).toContain('pass --roster R for budgets');
  });

  it('refuses bad flags and a folder without a ledger, creating nothing', async () => {
    const dir = temp.make();
    expect(await cli('kpis', '--by', 'team', '--data-dir', dir)).toMatchObject({
      code: 2,
      stderr: 'warden kpis: --by: expected agent, tier or unit, got "team"',
    });
    expect((await cli('kpis', '--from', '2026-11-05', '--to', '2026-11-01', '--data-dir', dir)).stderr).toMatch(
      /^warden kpis: --from \(2026-11-05T00:00:00\.000Z\) must come before --to/,
    );
    expect((await cli('kpis', '--from', 'yesterday', '--data-dir', dir)).stderr).toMatch(
      /--from: expected an ISO-8601 time/,
    );
    const missing = await cli('kpis', '--data-dir', join(dir, 'nothing-here'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    expect(existsSync(join(dir, 'nothing-here'))).toBe(false);
  });
});
