import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApprovalBook } from '../../../src/main/gateway/approvals.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { ROOT, cli, spawnWarden, useTempDirs } from './helpers.js';
import { DEMO_BUILD_MS } from '../../helpers/demo.js';

const temp = useTempDirs();
afterAll(() => temp.cleanup());

async function pendingIn(dataDir: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    try {
      const ledger = Ledger.open(dataDir, { mode: 'existing' });
      const pending = new ApprovalBook(ledger).pending();
      ledger.close();
      if (pending[0]) return pending[0].approvalId;
    } catch {
      // Not created yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no approval appeared');
}

describe('warden demo, then a person decides from the CLI', () => {
  it(
    'leaves the $4,200 approval pending; approving it later carries the parked run to its end',
    async () => {
      const data = temp.make('warden-demo-');
      const demo = await spawnWarden(ROOT, ['demo', '--data-dir', data, '--json'], DEMO_BUILD_MS);
      expect(demo.code).toBe(0);
      const summary = JSON.parse(demo.stdout) as {
        runs: { status: string; task: string }[];
        approvalsPending: { approvalId: string; amountUsd: number }[];
        circuitsTripped: number;
        limitsHit: number;
        guardrailsTripped: number;
        drafts: number;
      };
      expect(summary.runs.map((r) => r.status).sort()).toEqual(
        ['error', 'limit', 'limit', 'ok', 'ok', 'ok', 'ok', 'waiting for approval'].sort(),
      );
      expect(summary).toMatchObject({ circuitsTripped: 1, limitsHit: 2, guardrailsTripped: 1, drafts: 1 });
      expect(summary.approvalsPending).toHaveLength(1);
      const { approvalId, amountUsd } = summary.approvalsPending[0]!;
      expect(amountUsd).toBe(4200);

      const listed = await cli('approvals', 'list', '--data-dir', data);
      expect(listed.out.join('\n')).toContain(approvalId);

      const approved = await cli('approvals', 'approve', approvalId, '--data-dir', data, '--by', 'controller');
      expect(approved.code).toBe(0);
      expect(approved.out.join('\n')).toMatch(/Continuing run .*\n.*ok: .*posted/);
      expect((await cli('ledger', 'verify', '--data-dir', data)).code).toBe(0);
      expect((await cli('approvals', 'approve', approvalId, '--data-dir', data)).err[0]).toMatch(
        /already approved by controller/,
      );
    },
    DEMO_BUILD_MS,
  );
});

describe('warden run', () => {
  it('waits for an approval decided by another process, then finishes', async () => {
    const data = temp.make('warden-run-');
    const input = JSON.stringify({
      kind: 'pay-invoice',
      invoiceId: 'INV-1002',
      payee: 'contoso-logistics',
      amountUsd: 4200,
    });
    const running = spawnWarden(ROOT, [
      'run',
      '--roster',
      join(ROOT, 'resources/demo'),
      '--agent',
      'reconciliation',
      '--input',
      input,
      '--data-dir',
      data,
      '--json',
    ]);
    const approvalId = await pendingIn(data);
    const rejected = await cli('approvals', 'reject', approvalId, '--data-dir', data);
    expect(rejected.code).toBe(2);
    expect(rejected.err[0]).toMatch(/--reason is required/);
    expect(
      (await cli('approvals', 'reject', approvalId, '--data-dir', data, '--reason', 'duplicate invoice')).code,
    ).toBe(0);
    const result = await running;
    // The agent reported the rejection and finished; a person said no, so the exit says so: 3.
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`waiting for approval ${approvalId}`);
    const run = JSON.parse(result.stdout) as { status: string; output: string; verdict: string };
    expect(run.status).toBe('ok');
    expect(run.verdict).toBe('rejected');
    expect(run.output).toContain('E_POLICY_REJECTED');
  });

  it('refuses an unknown agent and malformed task JSON with one line, exit 2', async () => {
    const data = temp.make('warden-run-bad-');
    const roster = join(ROOT, 'resources/demo');
    const unknown = await cli('run', '--roster', roster, '--agent', 'cfo-bot', '--input', '{}', '--data-dir', data);
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/no agent "cfo-bot"/);
    const bad = await cli('run', '--roster', roster, '--agent', 'intake', '--input', '{nope', '--data-dir', data);
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toMatch(/--input is not valid JSON/);
  });
});
