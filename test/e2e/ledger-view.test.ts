import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import type { LedgerEvent } from '../../src/shared/events.js';
import { DEMO_BUILD_MS, demoCopy, sharedDemo } from '../helpers/demo.js';
import { ROOT } from '../main/cli/helpers.js';
import { useConsole } from './fixture.js';

// The Ledger view in Debian's Chromium on a copy of the demo's ledger (work runs, then every
// agent's eval suite): its pickers, the eval toggle, jumps, "no match", an event's payload,
// local times, the pause before a query, and the addresses of views, runs and events.

beforeAll(() => sharedDemo(), DEMO_BUILD_MS);
const ui = useConsole(async ({ tempDir }) =>
  openWarden({
    rosterDir: join(ROOT, 'resources/demo'),
    dataDir: await demoCopy(tempDir('warden-e2e-ledger-view-')),
    pollMs: 20,
    workers: 2,
  }),
);
beforeAll(() => ui.page.click('nav >> text=Ledger'));

const reader = () => ui.warden.ledger.reader;
/** The console's own address for a route, in the same browser (its cookie and key). */
const address = (route: string) => `http://127.0.0.1:${ui.server.port}/${route}`;
/** The seqs of the rows shown, top first. */
const shownSeqs = async (page: Page = ui.page) =>
  (await page.locator('.ledger-body [data-seq]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-seq'))))
    .map(Number)
    .sort((a, b) => b - a);
/** Waits until the first row is this seq. */
async function firstRowIs(seq: number, page: Page = ui.page): Promise<void> {
  await page.waitForFunction(
    (want) => document.querySelector('.ledger-body [data-seq]')?.getAttribute('data-seq') === String(want),
    seq,
  );
}
/** A new tab of the same browser (its cookie and its key), on an address. */
async function freshTab(route: string): Promise<Page> {
  const tab = await ui.page.context().newPage();
  await tab.goto(address(route));
  await tab.waitForSelector('text=connected');
  return tab;
}

describe('the Ledger view', () => {
  it('offers every agent and every event type of the ledger in its pickers, and filters by them', async () => {
    const facets = reader().facets();
    expect(facets.agents).toContain('reconciliation');
    const options = (name: string) =>
      ui.page
        .locator(`select[aria-label="${name}"] option`)
        .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
    await ui.page.waitForFunction(() => document.querySelectorAll('select[aria-label="agent"] option').length > 1);
    expect(await options('agent')).toEqual(['', ...facets.agents]);
    expect(await options('event type')).toEqual(['', ...facets.types]);
    await ui.page.selectOption('select[aria-label="event type"]', 'run.finished');
    await ui.page.selectOption('select[aria-label="agent"]', 'intake');
    const newest = reader().page({ type: 'run.finished', agentId: 'intake', order: 'desc', limit: 1 }).events[0]!;
    await firstRowIs(newest.seq);
    const types = await ui.page.locator('.ledger-body [data-seq] code:not(.muted)').allTextContents();
    expect(new Set(types)).toEqual(new Set(['run.finished']));
    expect(new URL(ui.page.url()).hash).toBe('#/ledger?agent=intake&type=run.finished');
  });

  it('hides eval events when asked, by the ledger’s own rule', async () => {
    await ui.page.selectOption('select[aria-label="event type"]', '');
    await ui.page.selectOption('select[aria-label="agent"]', '');
    // The demo ends with the agents' eval suites: the newest events are eval events.
    const newest = reader().page({ order: 'desc', limit: 1 }).events[0]!;
    const newestWork = reader().page({ order: 'desc', limit: 1, eval: false }).events[0]!;
    expect(newestWork.seq).toBeLessThan(newest.seq);
    await firstRowIs(newest.seq);
    await ui.page.check('[data-hide-eval]');
    await firstRowIs(newestWork.seq);
    const work = reader()
      .page({ order: 'desc', limit: 20, eval: false })
      .events.map((e) => e.seq);
    expect((await shownSeqs()).slice(0, 20)).toEqual(work);
    expect(new URL(ui.page.url()).hash).toBe('#/ledger?eval=hide');
    await ui.page.uncheck('[data-hide-eval]');
    await firstRowIs(newest.seq);
  });

  it('says "no match" once an answer has none, and reads the ledger only once typing pauses', async () => {
    const tab = await ui.page.context().newPage();
    const sent: { method: string; params: { runId?: string } }[] = [];
    tab.on('websocket', (ws) =>
      ws.on('framesent', (frame) => {
        const message = JSON.parse(String(frame.payload)) as { method: string; params: { runId?: string } };
        if (message.method === 'ledger.page') sent.push(message);
      }),
    );
    await tab.goto(address('#/ledger'));
    await tab.locator('.ledger-body [data-seq]').first().waitFor();
    const typed = 'no-such-run-anywhere';
    await tab.locator('input[aria-label="run id"]').pressSequentially(typed);
    await tab.locator('[data-ledger-state=empty]').waitFor();
    await expect(tab.locator('[data-ledger-state=empty]').textContent()).resolves.toBe(
      'No events match these filters.',
    );
    await expect(tab.locator('.ledger-body [data-seq]').count()).resolves.toBe(0);
    const byRun = sent.filter((m) => m.params.runId !== undefined);
    // One query for the whole id, not one a keystroke.
    expect(byRun.at(-1)!.params.runId).toBe(typed);
    expect(byRun.length).toBeLessThan(typed.length / 4);
    await tab.close();
  });

  it('jumps to a seq: the event is selected, its payload shown apart from its proof, and the address says it', async () => {
    const target = reader().get(25)!;
    await ui.page.fill('input[aria-label="jump to seq"]', '25');
    await ui.page.click('button:has-text("Go to seq")');
    await ui.page.locator('.ledger-body [data-seq="25"][aria-pressed=true]').waitFor();
    await expectPayload(ui.page, target);
    await ui.page.locator('[data-proof="25"]').waitFor();
    expect(new URL(ui.page.url()).hash).toBe('#/ledger?seq=25');
    expect((await shownSeqs())[0]).toBe(25);
  });

  it('jumps to a date: the first event at or after it', async () => {
    // An event that is later than the one before it, so its second names it.
    let seq = 40;
    while (
      reader()
        .get(seq - 1)!
        .ts.slice(0, 19) === reader().get(seq)!.ts.slice(0, 19)
    )
      seq++;
    const target = reader().get(seq)!;
    const local = await ui.page.evaluate((ts) => {
      const d = new Date(ts);
      const two = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
    }, target.ts);
    await ui.page.fill('input[aria-label="jump to date"]', local);
    await ui.page.click('button:has-text("Go to date")');
    await ui.page.locator(`.ledger-body [data-seq="${seq}"][aria-pressed=true]`).waitFor();
    await expectPayload(ui.page, target);
  });

  it('shows times in local time with the zone, and UTC on hover', async () => {
    const state = await ui.page.context().storageState();
    const paris = await ui.browser.newContext({ storageState: state, timezoneId: 'Europe/Paris' });
    try {
      const tab = await paris.newPage();
      await tab.goto(address('#/ledger?seq=25'));
      const time = tab.locator('.ledger-body [data-seq="25"] time');
      await time.waitFor();
      const ts = reader().get(25)!.ts;
      const clock = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Paris',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(ts));
      await expect(time.textContent()).resolves.toMatch(
        new RegExp(`^\\d\\d-\\d\\d ${clock}\\.${ts.slice(20, 23)} CES?T$`),
      );
      await expect(time.getAttribute('title')).resolves.toBe(`${ts.slice(0, 23).replace('T', ' ')} UTC`);
    } finally {
      await paris.close();
    }
  });
});

describe('addresses of views, runs and events', () => {
  it('opens an event’s address in a new tab of the same browser, and again after a reload', async () => {
    const target = reader().get(30)!;
    const tab = await freshTab('#/ledger?seq=30');
    await tab.locator('.ledger-body [data-seq="30"][aria-pressed=true]').waitFor();
    await expectPayload(tab, target);
    await tab.reload();
    await tab.waitForSelector('text=connected');
    await expectPayload(tab, target);
    await tab.close();
  });

  it('opens a run’s address on that run, and Back returns to it from another view', async () => {
    const run = reader().page({ type: 'run.started', order: 'asc', limit: 1 }).events[0]!.runId!;
    const tab = await freshTab(`#/live?run=${run}`);
    await tab.locator('nav button.active', { hasText: 'Live' }).waitFor();
    await tab.locator('main', { hasText: run }).waitFor();
    // From the run to one of its events, by the payload's link back: each a step in the history.
    await tab.click('nav >> text=Ledger');
    expect(new URL(tab.url()).hash).toBe('#/ledger');
    await tab.goBack();
    await tab.locator('nav button.active', { hasText: 'Live' }).waitFor();
    expect(new URL(tab.url()).hash).toBe(`#/live?run=${run}`);
    await tab.locator('main', { hasText: run }).waitFor();
    await tab.goForward();
    await tab.locator('nav button.active', { hasText: 'Ledger' }).waitFor();
    await tab.close();
  });

  it('opens the run of an event from its payload', async () => {
    const event = reader().page({ type: 'run.finished', order: 'asc', limit: 1 }).events[0]!;
    const tab = await freshTab(`#/ledger?seq=${event.seq}`);
    await tab.click(`[data-payload] [data-open-run="${event.runId}"]`);
    await tab.locator('nav button.active', { hasText: 'Live' }).waitFor();
    expect(new URL(tab.url()).hash).toBe(`#/live?run=${event.runId}`);
    await tab.goBack();
    await tab.locator(`[data-payload="${event.seq}"]`).waitFor();
    await tab.close();
  });
});

/** The payload panel shows this event: its type, and its payload as indented JSON text. */
async function expectPayload(page: Page, event: LedgerEvent): Promise<void> {
  const panel = page.locator(`[data-payload="${event.seq}"]`);
  await panel.locator('[data-field=payload]').waitFor();
  await expect(panel.locator('[data-field=payload]').textContent()).resolves.toBe(
    JSON.stringify(event.payload, null, 2),
  );
  await expect(panel.textContent()).resolves.toContain(event.type);
}
