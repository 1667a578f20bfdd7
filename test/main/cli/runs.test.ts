import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/main/ledger/index.js';
import { TraceSchema, type TraceSpan } from '../../../src/shared/trace.js';
import { DEMO_BUILD_MS, demoCopy } from '../../helpers/demo.js';
import { cli, expectOneCleanLine, useTempDirs } from './helpers.js';

const temp = useTempDirs();
let data: string;
/** The demo's run whose $4,200 payment waits for a person. */
let waitingRun: string;
/** Every run the demo started, work and eval. */
let demoRuns: number;
/** The agents of the demo's work (eval runs aside), as the ledger records their starts. */
let workAgents: Set<string>;

beforeAll(async () => {
  data = await demoCopy(temp.make('warden-runs-cli-'));
  const ledger = Ledger.open(data, { mode: 'existing' });
  try {
    const asked = [...ledger.reader.each({ type: 'approval.requested' })].find((e) => e.payload.amountUsd === 4200);
    waitingRun = asked!.runId!;
    const starts = [...ledger.reader.each({ type: 'run.started' })];
    demoRuns = starts.length;
    workAgents = new Set(starts.filter((e) => e.payload.eval === undefined).map((e) => e.agentId!));
  } finally {
    ledger.close();
  }
}, DEMO_BUILD_MS);
afterAll(() => temp.cleanup());

interface ListedRun {
  runId: string;
  agentId: string;
  state: string;
  startedTs: string;
  eval: boolean;
}

const list = async (...flags: string[]) => {
  const r = await cli('runs', 'list', '--data-dir', data, '--json', ...flags);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { runs: ListedRun[] }).runs;
};

describe('warden runs list on the demo', () => {
  it("lists the demo's runs of work newest first, bounded by --limit, and its eval runs with --eval", async () => {
    const work = await list('--limit', '10000');
    const evals = await list('--limit', '10000', '--eval');
    expect(work.length + evals.length).toBe(demoRuns);
    expect(work.every((r) => !r.eval) && evals.every((r) => r.eval)).toBe(true);
    const starts = work.map((r) => r.startedTs);
    expect(starts).toEqual([...starts].sort().reverse());
    expect(new Set(work.map((r) => r.agentId))).toEqual(workAgents);
    expect(workAgents).toContain('coordinator');
    expect(work.find((r) => r.runId === waitingRun)).toMatchObject({ agentId: 'reconciliation', state: 'waiting' });
    expect(await list('--limit', '3')).toEqual(work.slice(0, 3));
    expect(await list('--eval')).toHaveLength(Math.min(50, evals.length));
  });

  it('filters by agent and state, waiting meaning a person is asked', async () => {
    const failed = await list('--agent', 'coordinator', '--status', 'error', '--limit', '10000');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expect(r).toMatchObject({ agentId: 'coordinator', state: 'error' });
    const waiting = await list('--status', 'waiting');
    expect(waiting.map((r) => r.runId)).toEqual([waitingRun]);
  });

  it('prints one line per run, and refuses a status it does not know in one line', async () => {
    const r = await cli('runs', 'list', '--data-dir', data, '--agent', 'reconciliation', '--status', 'waiting');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(r.stdout).toMatch(new RegExp(`^${waitingRun}  reconciliation\\s+waiting\\s+\\S+Z\\s+…  \\$\\d`));
    const bad = await cli('runs', 'list', '--data-dir', data, '--status', 'sleeping');
    expect(bad.code).toBe(2);
    expect(expectOneCleanLine(bad.err)).toMatch(/--status: expected one of .*got "sleeping"/);
  });
});

describe('warden runs show on the demo', () => {
  it('prints the $4,200 payment waiting for a person as its own part of the tool call', async () => {
    const r = await cli('runs', 'show', waitingRun, '--data-dir', data);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out[0]).toMatch(new RegExp(`^\\s+\\+0\\.000s\\s+…  run reconciliation ${waitingRun}  waiting$`));
    const tool = r.out.findIndex((l) => /^\s+\+\d+\.\d{3}s\s+…\s{4}tool books\.post_payment {2}waiting$/.test(l));
    expect(tool).toBeGreaterThan(0);
    expect(r.out[tool + 1]).toMatch(/\d\.\d{3}s {6}policy doa\.approval: ask {2}ok$/);
    expect(r.out[tool + 2]).toMatch(/…\s{6}waiting for a person {2}waiting {2}\$4200\.00 \(doa\.approval\)$/);
    expect(r.stdout).not.toMatch(/parked|pid/);
  });

  it('writes the trace as a JSON tree of spans with their content', async () => {
    const r = await cli('runs', 'show', waitingRun, '--data-dir', data, '--json');
    expect(r.code, r.stderr).toBe(0);
    const trace = TraceSchema.parse(JSON.parse(r.stdout));
    expect(trace.root).toMatchObject({ id: waitingRun, kind: 'run', status: 'waiting', end: null });
    const tool = trace.root.children.find((s: TraceSpan) => s.kind === 'tool')!;
    expect(tool.content).toMatchObject({ server: 'books', tool: 'post_payment', args: { amountUsd: 4200 } });
    expect(tool.children.map((s) => s.kind)).toEqual(['policy', 'approval']);
    expect(tool.children[1]).toMatchObject({ status: 'waiting', durationMs: null, content: { amountUsd: 4200 } });
    expect(trace.root.annotations.some((a) => a.type === 'run.parked' && a.internal)).toBe(true);
    // What the model was asked, message by message, and what it answered: the call that led here.
    const model = trace.root.children.find((s: TraceSpan) => s.kind === 'model')!;
    const request = model.content.request as { messages: { role: string; content: string }[]; tools: unknown[] };
    expect(request.messages[0]).toMatchObject({ role: 'system' });
    expect(request.messages.some((m) => m.role === 'user')).toBe(true);
    expect(request.tools).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'books.post_payment' })]));
    expect(model.content.reply).toMatchObject({
      toolCalls: [
        expect.objectContaining({
          name: 'books.post_payment',
          arguments: expect.objectContaining({ amountUsd: 4200 }),
        }),
      ],
    });
  });

  it('says in one line, exit 2, that a run is not in the ledger', async () => {
    const r = await cli('runs', 'show', 'run-nothere', '--data-dir', data);
    expect(r.code).toBe(2);
    expect(expectOneCleanLine(r.err)).toMatch(/no run run-nothere in this ledger/);
  });
});
