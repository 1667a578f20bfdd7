import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import type { Trace, TraceSpan } from '../../src/shared/trace.js';
import { DEMO_BUILD_MS, demoCopy, sharedDemo } from '../helpers/demo.js';
import { ROOT } from '../main/cli/helpers.js';
import { shoot } from './browser.js';
import { useConsole } from './fixture.js';

// The Live view's run detail as a waterfall, in Chromium, on a copy of the demo's data.
beforeAll(() => sharedDemo(), DEMO_BUILD_MS);
const ui = useConsole(async ({ tempDir }) =>
  openWarden({
    rosterDir: join(ROOT, 'resources/demo'),
    dataDir: await demoCopy(tempDir('warden-e2e-trace-')),
    pollMs: 20,
    workers: 2,
  }),
);

const rows = () => ui.page.locator('.run-trace .wf-row');
const detail = () => ui.page.locator('.run-trace .span-detail');

async function trace(runId: string, internal = false): Promise<Trace> {
  return (await ui.api.call('run.trace', { runId, internal }, 'test')) as Trace;
}

/** The spans of a trace depth first, each with its depth: the order the waterfall draws them in. */
function flat(span: TraceSpan, depth = 0): { span: TraceSpan; depth: number }[] {
  return [{ span, depth }, ...span.children.flatMap((c) => flat(c, depth + 1))];
}

/** A finished work run of the demo whose tool call its MCP server executed. */
async function executedRun(): Promise<Trace> {
  const page = (await ui.api.call('runs.page', { eval: false, status: 'ok', limit: 50 }, 'test')) as {
    runs: { runId: string }[];
  };
  for (const { runId } of page.runs) {
    const t = await trace(runId);
    if (flat(t.root).some(({ span }) => span.kind === 'execution')) return t;
  }
  throw new Error('the demo has no run with an executed tool call');
}

async function openRun(runId: string): Promise<void> {
  await ui.page.click('nav >> text=Live');
  await ui.page.locator(`[data-run="${runId}"]`).click();
  await ui.page.locator(`.run-trace .wf-row[data-span="${runId}"]`).waitFor();
}

/** Where a bar sits in its track, as fractions of the track's width. */
async function barPlace(key: string): Promise<{ left: number; right: number }> {
  return ui.page.locator(`.wf-row[data-span="${key}"] .wf-bar`).evaluate((bar) => {
    const track = bar.parentElement!.getBoundingClientRect();
    const box = bar.getBoundingClientRect();
    return { left: (box.left - track.left) / track.width, right: (box.right - track.left) / track.width };
  });
}

describe("a run's trace in the Live view", () => {
  it('draws every span as a row, nested, with its bar on the run’s time axis and its duration', async () => {
    const t = await executedRun();
    await openRun(t.runId);
    const spans = flat(t.root);
    // Depth first, indented by depth, with the ledger's kinds, statuses and durations.
    const drawn = await rows().evaluateAll((els) =>
      els.map((e) => {
        const d = (e as HTMLElement).dataset;
        const duration = (e.querySelector('.wf-dur') as HTMLElement).dataset.duration;
        return { key: d.span!.split('/').at(-1), kind: d.kind, depth: Number(d.depth), duration };
      }),
    );
    expect(drawn).toEqual(
      spans.map(({ span, depth }) => ({ key: span.id, kind: span.kind, depth, duration: String(span.durationMs) })),
    );
    expect(spans.map(({ span }) => span.kind)).toEqual(['run', 'model', 'tool', 'policy', 'execution', 'model']);
    // Durations in readable units: the run in seconds, its first model call in milliseconds.
    await expect(rows().nth(0).locator('.wf-dur').textContent()).resolves.toMatch(/^\d+\.\d s$/);
    await expect(rows().nth(1).locator('.wf-dur').textContent()).resolves.toMatch(/^\d+(\.\d)? ms$/);
    // The run spans the whole axis; its parts sit in the order they happened, the execution after the decision.
    const root = await barPlace(t.runId);
    expect(root.left).toBeCloseTo(0, 2);
    expect(root.right).toBeCloseTo(1, 2);
    const tool = spans[2]!.span;
    const [model, call, exec] = await Promise.all([
      barPlace(`${t.runId}/${spans[1]!.span.id}`),
      barPlace(`${t.runId}/${tool.id}`),
      barPlace(`${t.runId}/${tool.id}/${tool.children[1]!.id}`),
    ]);
    expect(model.left).toBeLessThanOrEqual(call.left);
    expect(exec.left).toBeGreaterThanOrEqual(call.left);
    expect(exec.right).toBeLessThanOrEqual(call.right + 0.001);
    // A time scale with ticks from 0, increasing.
    const ticks = await ui.page.locator('.run-trace .wf-tick').allTextContents();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks[0]).toBe('0');
    expect(ticks.slice(1).every((tick) => /^\d+(\.\d)? (ms|s)$/.test(tick))).toBe(true);
  });

  it('shows a tool call’s arguments, policy and result once it is selected with Up, Down and Enter', async () => {
    const t = await executedRun();
    await openRun(t.runId);
    const tool = t.root.children[1]!;
    // The run itself is shown first: its input.
    await expect(detail().getAttribute('data-span-detail')).resolves.toBe(t.runId);
    await rows().first().click();
    await ui.page.keyboard.press('ArrowDown');
    await ui.page.keyboard.press('ArrowDown');
    await ui.page.keyboard.press('Enter');
    await ui.page.locator(`.span-detail[data-span-detail="${t.runId}/${tool.id}"]`).waitFor();
    const args = JSON.parse((await detail().locator('[data-args] pre').textContent())!);
    expect(args).toEqual(tool.content.args);
    const result = JSON.parse((await detail().locator('[data-result] pre').textContent())!);
    expect(result).toEqual(tool.content.result);
    const policy = tool.children[0]!.content;
    await expect(detail().locator('[data-policy]').textContent()).resolves.toBe(
      `allow by ${String(policy.rule)}: ${String(policy.reason)}`,
    );
    await expect(ui.page.locator('.wf-row.selected').getAttribute('data-kind')).resolves.toBe('tool');
    await shoot(ui.page, 'live-trace-tool');
    // z zooms the axis to the span under the cursor, with a twentieth of its length either side.
    const key = `${t.runId}/${tool.id}`;
    await ui.page.keyboard.press('z');
    await ui.page.locator('.run-trace .wf-head button', { hasText: 'show the whole run' }).waitFor();
    const zoomed = await barPlace(key);
    expect(zoomed.left).toBeCloseTo(0.05 / 1.1, 2);
    expect(zoomed.right).toBeCloseTo(1.05 / 1.1, 2);
    await ui.page.locator('.run-trace .wf-head button', { hasText: 'show the whole run' }).click();
    await ui.page.locator('.run-trace .wf-head button').waitFor({ state: 'detached' });
    const whole = await barPlace(key);
    // Back on the whole run's axis: as wide as the call's share of the run (at least the 2 px a bar keeps).
    const share = tool.durationMs! / t.root.durationMs!;
    expect(whole.right - whole.left).toBeGreaterThanOrEqual(share - 0.01);
    expect(whole.right - whole.left).toBeLessThanOrEqual(Math.max(share, 0.005) + 0.01);
  });

  it('shows a model call’s prompt and reply as the ledger keeps them', async () => {
    const t = await executedRun();
    await openRun(t.runId);
    const model = t.root.children[0]!;
    const request = model.content.request as { messages: { role: string; content: string }[]; tools: unknown[] };
    const reply = model.content.reply as { toolCalls: { name: string }[] };
    await rows().nth(1).click();
    const messages = detail().locator('.messages > li');
    await expect(messages.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.role))).resolves.toEqual(
      request.messages.map((m) => m.role),
    );
    // The task as the agent was given it, and the system prompt before it.
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'user']);
    await expect(messages.nth(1).locator('pre').textContent()).resolves.toBe(request.messages[1]!.content);
    await expect(detail().locator('details.tools-offered summary').textContent()).resolves.toBe(
      `${request.tools.length} tools offered`,
    );
    await expect(
      detail()
        .locator('[data-reply] [data-tool-call]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-tool-call'))),
    ).resolves.toEqual(reply.toolCalls.map((c) => c.name));
    await shoot(ui.page, 'live-trace-model');
  });

  it('shows the wait for a person growing to now, and who is asked for what', async () => {
    const [pending] = ui.warden.approvals.pending();
    await openRun(pending!.runId);
    const kinds = await rows().evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kind));
    expect(kinds).toEqual(['run', 'model', 'tool', 'policy', 'approval']);
    const wait = ui.page.locator('.run-trace .wf-row[data-kind="approval"]');
    await expect(wait.getAttribute('data-status')).resolves.toBe('waiting');
    await expect(wait.locator('.wf-dur').textContent()).resolves.toMatch(/…$/);
    const key = (await wait.getAttribute('data-span'))!;
    expect((await barPlace(key)).right).toBeCloseTo(1, 2);
    await wait.click();
    await expect(detail().locator('[data-decision]').textContent()).resolves.toMatch(/^waiting for a person since /);
    await expect(detail().textContent()).resolves.toContain('$4,200.00');
    // Once a person decides, the trace says who approved it and when, on the wait and on the call.
    await ui.api.call('approvals.decide', { approvalId: pending!.approvalId, decision: 'approved' }, 'cfo@acme');
    await ui.page.locator(`.run-trace .wf-row[data-span="${key}"][data-status="ok"]`).waitFor();
    const approved = /^approved by cfo@acme at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC$/;
    await expect(detail().locator('[data-decision]').textContent()).resolves.toMatch(approved);
    await ui.page.locator('.run-trace .wf-row[data-kind="tool"]').click();
    await expect(detail().locator('[data-decision]').textContent()).resolves.toMatch(approved);
  });

  it('hides the bookkeeping until asked for it', async () => {
    const t = await executedRun();
    await openRun(t.runId);
    await rows().first().click();
    await expect(detail().locator('[data-internal]').count()).resolves.toBe(0);
    await expect(ui.page.locator('.run-trace .wf-note.internal').count()).resolves.toBe(0);
    await ui.page.getByLabel('show bookkeeping').check();
    const note = detail().locator('[data-internal]').first();
    await note.waitFor();
    await expect(note.textContent()).resolves.toMatch(/^\+0\.0 ms run by \S+ pid \d+ \(bookkeeping\)$/);
    await expect(ui.page.locator('.run-trace .wf-note.internal').count()).resolves.toBeGreaterThan(0);
    await ui.page.getByLabel('show bookkeeping').uncheck();
    await detail().locator('[data-internal]').waitFor({ state: 'detached' });
  });

  it('nests each handoff’s child run under it, and opens the child run on its own', async () => {
    const page = (await ui.api.call('runs.page', { agentId: 'coordinator', eval: false, limit: 50 }, 'test')) as {
      runs: { runId: string; parentRunId: string | null }[];
    };
    const top = page.runs.find((r) => r.parentRunId === null)!;
    await openRun(top.runId);
    const drawn = await rows().evaluateAll((els) =>
      els.map((e) => `${(e as HTMLElement).dataset.depth} ${(e as HTMLElement).dataset.kind}`),
    );
    // run, model, handoff > run, model, handoff > run … five hops deep.
    const handoffs = drawn.filter((d) => d.endsWith('handoff'));
    expect(handoffs).toEqual(['1 handoff', '3 handoff', '5 handoff', '7 handoff', '9 handoff']);
    for (const depth of [2, 4, 6, 8, 10]) expect(drawn).toContain(`${depth} run`);
    // The run the hop limit stopped ends in error, and says why.
    await expect(detail().locator('[data-error]').textContent()).resolves.toMatch(/^E_HOP_LIMIT: /);
    const child = (await trace(top.runId)).root.children.find((c) => c.kind === 'handoff')!;
    await ui.page.locator('.run-trace .wf-row[data-kind="handoff"]').first().click();
    await detail().locator('button', { hasText: 'open run' }).click();
    const childRunId = String(child.content.childRunId);
    await ui.page.locator(`.runs li.selected[data-run="${childRunId}"]`).waitFor();
    await ui.page.locator(`.run-trace .wf-row[data-span="${childRunId}"]`).waitFor();
  });

  it('follows the selected run as its events arrive: new spans come in, open ones grow to now, the run ends', async () => {
    const runId = 'run-by-hand';
    const append = (event: { type: string; payload: unknown }) =>
      ui.warden.ledger.append({ ...event, runId, agentId: 'intake' } as Parameters<typeof ui.warden.ledger.append>[0]);
    await append({ type: 'run.started', payload: { input: 'a new invoice arrived', hop: 0, tier: 'ingestion' } });
    await openRun(runId);
    const root = ui.page.locator(`.run-trace .wf-row[data-span="${runId}"]`);
    const grown = await root.locator('.wf-dur').textContent();
    expect(grown).toMatch(/…$/);
    await ui.page.waitForFunction(
      ([key, before]) => document.querySelector(`.wf-row[data-span="${key}"] .wf-dur`)?.textContent !== before,
      [runId, grown] as const,
    );
    await append({
      type: 'tool.requested',
      payload: { callId: 'call-by-hand', server: 'inbox', tool: 'read_message', args: { messageId: 'msg-001' } },
    });
    const tool = ui.page.locator(`.run-trace .wf-row[data-span="${runId}/call-by-hand"]`);
    await tool.waitFor();
    await expect(tool.getAttribute('data-status')).resolves.toBe('running');
    await append({
      type: 'tool.result',
      payload: {
        callId: 'call-by-hand',
        ok: false,
        error: { code: 'E_MCP_TOOL', message: 'no such message' },
        latencyMs: 4,
      },
    });
    await ui.page.locator(`.run-trace .wf-row[data-span="${runId}/call-by-hand"][data-status="error"]`).waitFor();
    await tool.click();
    await expect(detail().locator('[data-error]').textContent()).resolves.toBe('E_MCP_TOOL: no such message');
    await append({ type: 'run.finished', payload: { status: 'ok', output: 'nothing to do' } });
    await ui.page.locator(`.run-trace .wf-row[data-span="${runId}"][data-status="ok"]`).waitFor();
    await expect(root.locator('.wf-dur').textContent()).resolves.not.toMatch(/…$/);
  });

  it('says where retention removed a body: when, by whom and why', async () => {
    const t = await executedRun();
    await ui.warden.ledger.prune({ before: new Date(Date.now() + 60_000), by: 'auditor@acme', reason: 'kept a year' });
    const pruned = await trace(t.runId);
    const model = pruned.root.children[0]!.content;
    const request = model.request as { messages: { removed: { at: string } }[] };
    const line = `removed by retention on ${request.messages[0]!.removed.at.slice(0, 10)}, by auditor@acme: kept a year`;
    await openRun(t.runId);
    await rows().nth(1).click();
    const messages = detail().locator('.messages > li');
    await expect(messages.allTextContents()).resolves.toEqual(request.messages.map(() => line));
    await expect(detail().locator('[data-reply]').textContent()).resolves.toBe(`Reply${line}`);
  });
});
