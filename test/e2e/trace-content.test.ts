import type { WebSocketRoute } from '@playwright/test';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import { TraceSchema, type Trace } from '../../src/shared/trace.js';
import { DEMO_BUILD_MS, demoCopy, sharedDemo } from '../helpers/demo.js';
import { ROOT } from '../main/cli/helpers.js';
import { useConsole } from './fixture.js';

// How the span detail draws what the demo's scripted model never gives: a reply with reasoning,
// a prompt with assistant and tool turns, one message retention removed among kept ones. The
// console is handed a trace in the shape src/shared/trace.ts gives (checked against TraceSchema)
// in place of run.trace's answer for one run of the demo; everything else is the real server's.
beforeAll(() => sharedDemo(), DEMO_BUILD_MS);
const ui = useConsole(async ({ tempDir }) =>
  openWarden({
    rosterDir: join(ROOT, 'resources/demo'),
    dataDir: await demoCopy(tempDir('warden-e2e-trace-content-')),
    pollMs: 20,
    workers: 2,
  }),
);

const PRUNED = {
  sha256: 'b'.repeat(64),
  at: '2027-01-15T10:00:00.000Z',
  by: 'auditor@acme',
  reason: 'older than a year',
};

function handWritten(runId: string): Trace {
  const t0 = Date.parse('2026-03-02T09:00:00.000Z');
  const iso = (ms: number) => new Date(t0 + ms).toISOString();
  return TraceSchema.parse({
    version: 1,
    runId,
    root: {
      id: runId,
      kind: 'run',
      name: 'reconciliation',
      start: iso(0),
      end: iso(900),
      durationMs: 900,
      status: 'ok',
      content: { input: { invoiceId: 'INV-7' }, hop: 0, output: 'paid' },
      annotations: [],
      children: [
        {
          id: '12',
          kind: 'model',
          name: 'model anthropic:claude-sonnet-4-5',
          start: iso(100),
          end: iso(600),
          durationMs: 500,
          status: 'ok',
          content: {
            provider: 'anthropic',
            model: 'claude-sonnet-4-5',
            inputTokens: 812,
            outputTokens: 64,
            costUsd: 0.003396,
            latencyMs: 500,
            request: {
              messages: [
                { removed: PRUNED },
                { role: 'user', content: 'Pay invoice INV-7.' },
                {
                  role: 'assistant',
                  content: '',
                  toolCalls: [{ id: 'tc-1', name: 'books.find_invoice', arguments: { invoiceId: 'INV-7' } }],
                },
                { role: 'tool', toolCallId: 'tc-1', name: 'books.find_invoice', content: '{"amountUsd":420}' },
              ],
              tools: [
                { name: 'books.find_invoice', description: 'Finds an invoice', inputSchema: { type: 'object' } },
                { name: 'books.post_payment', description: 'Pays an invoice', inputSchema: { type: 'object' } },
              ],
            },
            reply: {
              text: 'Paying INV-7 now.',
              toolCalls: [
                { id: 'tc-2', name: 'books.post_payment', arguments: { invoiceId: 'INV-7', amountUsd: 420 } },
              ],
              reasoning: 'The invoice is known and under the threshold.',
            },
          },
          annotations: [],
          children: [],
        },
        {
          id: 'call-7',
          kind: 'tool',
          name: 'tool books.post_payment',
          start: iso(610),
          end: iso(800),
          durationMs: 190,
          status: 'ok',
          content: {
            server: 'books',
            tool: 'post_payment',
            args: { invoiceId: 'INV-7', amountUsd: 420 },
            ok: true,
            latencyMs: 150,
            result: { removed: PRUNED },
          },
          annotations: [],
          children: [],
        },
      ],
    },
  });
}

describe('a model call’s prompt and reply in the span detail', () => {
  it('shows the messages in order with their roles, the tools offered folded, the reasoning, reply and tool calls, and what retention removed', async () => {
    const runId = ui.warden.approvals.pending()[0]!.runId;
    const trace = handWritten(runId);
    await ui.page.routeWebSocket(/.*/, (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const call = typeof message === 'string' ? JSON.parse(message) : null;
        if (call?.method === 'run.trace' && call.params.runId === runId)
          ws.send(JSON.stringify({ id: call.id, ok: true, result: trace }));
        else server.send(message);
      });
    });
    await ui.page.reload();
    await ui.page.waitForSelector('text=connected');
    await ui.page.click('nav >> text=Live');
    await ui.page.locator(`[data-run="${runId}"]`).click();
    await ui.page.locator(`.wf-row[data-span="${runId}/12"]`).click();
    const detail = ui.page.locator('.span-detail');
    const messages = detail.locator('.messages > li');
    await expect(messages.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.role))).resolves.toEqual([
      'removed',
      'user',
      'assistant',
      'tool',
    ]);
    await expect(messages.nth(0).textContent()).resolves.toBe(
      'removed by retention on 2027-01-15, by auditor@acme: older than a year',
    );
    await expect(messages.nth(1).locator('pre').textContent()).resolves.toBe('Pay invoice INV-7.');
    await expect(messages.nth(2).locator('[data-tool-call]').getAttribute('data-tool-call')).resolves.toBe(
      'books.find_invoice',
    );
    await expect(messages.nth(3).textContent()).resolves.toContain('answers tc-1');
    // The tools offered are folded until opened.
    const tools = detail.locator('details.tools-offered');
    await expect(tools.locator('summary').textContent()).resolves.toBe('2 tools offered');
    await expect(tools.evaluate((d: HTMLDetailsElement) => d.open)).resolves.toBe(false);
    await expect(detail.locator('[data-reasoning] pre').textContent()).resolves.toBe(
      'The invoice is known and under the threshold.',
    );
    await expect(detail.locator('[data-reply-text]').textContent()).resolves.toBe('Paying INV-7 now.');
    await expect(detail.locator('[data-reply] [data-tool-call]').getAttribute('data-tool-call')).resolves.toBe(
      'books.post_payment',
    );
    await expect(detail.locator('[data-tokens]').textContent()).resolves.toBe('812 in, 64 out');
    // A tool result retention removed says so where the result was.
    await ui.page.locator(`.wf-row[data-span="${runId}/call-7"]`).click();
    await expect(detail.locator('[data-result]').textContent()).resolves.toBe(
      'removed by retention on 2027-01-15, by auditor@acme: older than a year',
    );
  });
});
