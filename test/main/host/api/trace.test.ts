import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleApi, type ConsoleApi } from '../../../../src/main/host/api/index.js';
import { openWarden, type Warden } from '../../../../src/main/host/warden.js';
import { TraceSchema, type TraceSpan } from '../../../../src/shared/trace.js';
import { DEMO_BUILD_MS, demoCopy } from '../../../helpers/demo.js';
import { useTempDirs } from '../../cli/helpers.js';

// run.trace over a copy of the demo's ledger: the runs `warden demo` recorded, one still waiting.
const temp = useTempDirs();
let warden: Warden;
let api: ConsoleApi;

beforeAll(async () => {
  const data = await demoCopy(temp.make('warden-api-trace-'));
  warden = await openWarden({ rosterDir: 'resources/demo', dataDir: data, pollMs: 20 });
  api = consoleApi(warden);
}, DEMO_BUILD_MS);

afterAll(async () => {
  api?.close();
  await warden?.close();
  temp.cleanup();
});

/** Every span of the tree, depth first. */
function spans(span: TraceSpan): TraceSpan[] {
  return [span, ...span.children.flatMap(spans)];
}

async function trace(runId: string, internal?: boolean) {
  return TraceSchema.parse(
    await api.call('run.trace', { runId, ...(internal === undefined ? {} : { internal }) }, 'c'),
  );
}

describe('run.trace', () => {
  it("gives the waiting payment's run as a tree: the model call, the tool call with its policy and its wait for a person", async () => {
    const [pending] = warden.approvals.pending();
    const t = await trace(pending!.runId);
    expect(t.runId).toBe(pending!.runId);
    expect(t.root).toMatchObject({ kind: 'run', name: 'reconciliation', status: 'waiting', end: null });
    const kinds = spans(t.root).map((s) => s.kind);
    expect(kinds).toEqual(['run', 'model', 'tool', 'policy', 'approval']);
    const tool = t.root.children[1]!;
    expect(tool).toMatchObject({ name: 'tool books.post_payment', status: 'waiting', content: { server: 'books' } });
    expect(tool.content.args).toMatchObject({ amountUsd: 4200 });
    expect(tool.children[1]).toMatchObject({
      kind: 'approval',
      status: 'waiting',
      content: { approvalId: pending!.approvalId, amountUsd: 4200, rule: 'doa.approval' },
    });
  });

  it("keeps the runtime's bookkeeping out unless asked for it", async () => {
    const [pending] = warden.approvals.pending();
    const notes = (t: { root: TraceSpan }) => spans(t.root).flatMap((s) => s.annotations);
    const plain = notes(await trace(pending!.runId));
    expect(plain.filter((n) => n.internal)).toEqual([]);
    const all = notes(await trace(pending!.runId, true));
    // The process that ran it (warden demo), and its parking on the approval.
    expect(all.filter((n) => n.internal).map((n) => n.type)).toEqual(
      expect.arrayContaining(['run.started', 'run.parked']),
    );
  });

  it('nests a handoff chain: each handoff holds its child run, to the run the hop limit stopped', async () => {
    const page = (await api.call('runs.page', { agentId: 'coordinator', eval: false, limit: 50 }, 'c')) as {
      runs: { runId: string; parentRunId: string | null }[];
    };
    const top = page.runs.find((r) => r.parentRunId === null)!;
    const t = await trace(top.runId);
    let depth = 0;
    for (let span = t.root; ; depth++) {
      const handoff = span.children.find((c) => c.kind === 'handoff');
      if (!handoff) break;
      expect(handoff.children.map((c) => c.kind)).toEqual(['run']);
      span = handoff.children[0]!;
    }
    expect(depth).toBe(5);
    expect(t.root).toMatchObject({ status: 'error', content: { error: { code: 'E_HOP_LIMIT' } } });
  });

  it('names an unknown run, and says how approvals are asked for', async () => {
    await expect(api.call('run.trace', { runId: 'run-nope' }, 'c')).rejects.toThrow(/no run run-nope in this ledger/);
    await expect(api.call('run.trace', {}, 'c')).rejects.toThrow(/run\.trace: runId/);
    // The demo's warden.yaml leaves the confirmation at its default.
    expect(await api.call('approvals.settings', {}, 'c')).toEqual({ confirmAboveUsd: 1000 });
  });
});
