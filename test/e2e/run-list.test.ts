import type { WebSocketRoute } from '@playwright/test';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import { DEMO_BUILD_MS, demoCopy, sharedDemo } from '../helpers/demo.js';
import { ROOT } from '../main/cli/helpers.js';
import { shoot } from './browser.js';
import { useConsole } from './fixture.js';

// The Live view's run list in Chromium, on a copy of the demo's data (one run waits for approval).
beforeAll(() => sharedDemo(), DEMO_BUILD_MS);
const ui = useConsole(async ({ tempDir }) =>
  openWarden({
    rosterDir: join(ROOT, 'resources/demo'),
    dataDir: await demoCopy(tempDir('warden-e2e-runs-')),
    pollMs: 20,
    workers: 2,
  }),
);

const rows = () => ui.page.locator('.runs li[data-run]');
const ids = () => rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-run')!));
const selectedId = () => ui.page.locator('.runs li.selected').getAttribute('data-run');

describe('the Live view run list', () => {
  it('shows each run with its agent, task, status, duration, cost and tokens; a parked run waits for approval', async () => {
    await ui.page.click('nav >> text=Live');
    await rows().first().waitFor();
    await shoot(ui.page, 'live-runs');
    const [pending] = ui.warden.approvals.pending();
    expect(pending).toBeDefined();
    const parked = ui.page.locator(`[data-run="${pending!.runId}"]`);
    await expect(parked.locator('[data-status]').textContent()).resolves.toBe('waiting for approval');
    // A finished run: its figures as the ledger's projection holds them.
    const page = (await ui.api.call('runs.page', { eval: false, status: 'ok', limit: 1 }, 'console')) as {
      runs: { runId: string; agentId: string; task: string; tokens: number }[];
    };
    const done = page.runs[0]!;
    const row = ui.page.locator(`[data-run="${done.runId}"]`);
    await expect(row.locator('[data-agent-id]').textContent()).resolves.toBe(done.agentId);
    await expect(row.locator('.run-task').textContent()).resolves.toBe(done.task);
    await expect(row.locator('[data-duration]').textContent()).resolves.not.toBe('—');
    await expect(row.locator('[data-tokens]').textContent()).resolves.toBe(
      `${done.tokens.toLocaleString('en-US')} tokens`,
    );
  });

  it('filters by status and agent, and says when no run matches', async () => {
    const [pending] = ui.warden.approvals.pending();
    await ui.page.selectOption('select[aria-label=status]', 'waiting');
    // The filtered page has arrived: the waiting run is listed, and nothing that is not waiting.
    await ui.page.waitForFunction((runId) => {
      const statuses = [...document.querySelectorAll('.runs li[data-run] [data-status]')];
      return (
        document.querySelector(`.runs li[data-run="${runId}"]`) !== null &&
        statuses.every((s) => s.textContent === 'waiting for approval')
      );
    }, pending!.runId);
    // An agent with no run waiting: an honest "no match", not "no runs yet".
    const other = ui.warden.roster.agents.find((a) => a.id !== pending!.agentId)!.id;
    await ui.page.selectOption('select[aria-label=agent]', other);
    await ui.page.waitForSelector('.runs >> text=No runs match these filters.');
    expect(await ui.page.locator('.runs >> text=No runs yet').count()).toBe(0);
    await ui.page.selectOption('select[aria-label=status]', '');
    await rows().first().waitFor();
    // Every row listed under the agent filter is that agent's.
    await ui.page.waitForFunction(
      (agent) =>
        [...document.querySelectorAll('.runs li[data-run] [data-agent-id]')].every((a) => a.textContent === agent),
      other,
    );
    await ui.page.selectOption('select[aria-label=agent]', '');
    await ui.page.waitForFunction(() => document.querySelectorAll('.runs li[data-run]').length > 1);
  });

  it('moves the selection with Up and Down, and keeps it on its run while new runs arrive', async () => {
    const listed = await ids();
    await rows().nth(1).click();
    expect(await selectedId()).toBe(listed[1]);
    await ui.page.keyboard.press('ArrowDown');
    await ui.page.waitForFunction(
      (id) => document.querySelector('.runs li.selected')?.getAttribute('data-run') === id,
      listed[2],
    );
    await ui.page.keyboard.press('ArrowUp');
    await ui.page.keyboard.press('ArrowUp');
    await ui.page.waitForFunction(
      (id) => document.querySelector('.runs li.selected')?.getAttribute('data-run') === id,
      listed[0],
    );
    await ui.page.keyboard.press('ArrowDown');
    await ui.page.waitForFunction(
      (id) => document.querySelector('.runs li.selected')?.getAttribute('data-run') === id,
      listed[1],
    );
    // A run starts: it comes in on top, and the selection stays on the run it was on.
    await ui.warden.ledger.append({
      type: 'run.started',
      runId: 'run-arrives',
      agentId: 'intake',
      payload: { input: 'a new invoice arrived', hop: 0, tier: 'ingestion' },
    });
    await ui.page.waitForSelector('[data-run="run-arrives"]');
    expect((await ids())[0]).toBe('run-arrives');
    expect(await selectedId()).toBe(listed[1]);
    await expect(ui.page.locator('[data-run="run-arrives"] .run-task').textContent()).resolves.toBe(
      'a new invoice arrived',
    );
  });

  it('says it is loading while the first page is on its way, never "No runs yet"', async () => {
    // Holds the console's runs.page requests until released, on a fresh connection.
    const held: (() => void)[] = [];
    let hold = true;
    await ui.page.routeWebSocket(/.*/, (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const isPage = typeof message === 'string' && JSON.parse(message).method === 'runs.page';
        if (hold && isPage) held.push(() => server.send(message));
        else server.send(message);
      });
    });
    await ui.page.reload();
    await ui.page.waitForSelector('text=connected');
    await ui.page.click('nav >> text=Live');
    await ui.page.waitForSelector('.runs >> text=Loading runs…');
    expect(await ui.page.locator('.runs >> text=No runs yet').count()).toBe(0);
    hold = false;
    for (const release of held.splice(0)) release();
    await rows().first().waitFor();
    expect(await ui.page.locator('.runs >> text=Loading runs…').count()).toBe(0);
  });

  it('draws only the rows in sight, and reads the next page as the list scrolls down', async () => {
    // 250 more work runs than the demo has: three pages of 100 at least.
    await ui.warden.ledger.appendMany(
      Array.from({ length: 250 }, (_, i) => ({
        type: 'run.started' as const,
        runId: `run-scrolled-${i}`,
        agentId: 'intake',
        payload: { input: `invoice ${i}`, hop: 0, tier: 'ingestion' },
      })),
    );
    await ui.page.reload();
    await ui.page.waitForSelector('text=connected');
    await ui.page.click('nav >> text=Live');
    const total = ((await ui.api.call('runs.page', { eval: false, limit: 500 }, 'console')) as { runs: unknown[] }).runs
      .length;
    expect(total).toBeGreaterThan(250);
    const list = ui.page.locator('.runs ul');
    await expect.poll(() => list.getAttribute('data-loaded')).toBe('100');
    expect(await rows().count()).toBeLessThan(60);
    // Scrolled to its end until every run is read: the list asks for page after page.
    await ui.page.waitForFunction((n) => {
      const ul = document.querySelector('.runs ul')!;
      ul.scrollTop = ul.scrollHeight;
      return Number(ul.getAttribute('data-loaded')) === n;
    }, total);
    await ui.page.waitForSelector('[data-run="run-scrolled-0"]');
    expect(await rows().count()).toBeLessThan(60);
  });
});
