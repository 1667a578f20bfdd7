import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { consoleApi } from '../../src/main/host/api/index.js';
import { openWarden } from '../../src/main/host/warden.js';
import { startConsoleServer } from '../../src/main/server/server.js';
import { ROOT } from '../main/cli/helpers.js';
import { CHROMIUM, RENDERER, ensureRenderer, openConsole } from '../e2e/browser.js';
import { BENCH_AGENTS, benchLedger } from './bench-ledger.js';
import { liveUnderLoad } from './console1m-live.js';
import { installProbe, scrollFrames, untilPainted } from './page-probe.js';
import { report, reportPercentiles } from './stats.js';

/** Click to rows painted, the target for every console query. */
const CLICK_TARGET = { p95: '<= 50', p99: '<= 50' };

/** Each view's nav button, and what shows that its content (not a loading line) is painted. */
const VIEWS: { label: string; painted: string }[] = [
  { label: 'Roster', painted: `document.querySelector('[data-agent]')` },
  { label: 'Live', painted: `document.querySelector('[data-run]')` },
  { label: 'Approvals', painted: `document.querySelector('main [data-approval], main section > p.empty')` },
  { label: 'Ledger', painted: `document.querySelector('[data-seq]')` },
  { label: 'Evals', painted: `document.querySelector('section.evals')` },
  { label: 'KPIs', painted: `document.querySelector('[data-kpi]')` },
  {
    label: 'Prompts',
    painted: `document.querySelector('[data-shown-version], section.prompts p.empty:not(:first-child)')`,
  },
  { label: 'Providers', painted: `document.querySelector('section.providers')` },
];

/** Source that clicks the nav button of a view. */
const clickNav = (label: string) =>
  `[...document.querySelectorAll('nav button')].find((b) => b.textContent.startsWith(${JSON.stringify(label)})).click();`;

/** Opens a view and waits until its content is painted. */
async function open(page: Page, label: string): Promise<void> {
  await untilPainted(page, clickNav(label), VIEWS.find((v) => v.label === label)!.painted);
}

/** Page load (a reload of the console) to the roster painted, then each view's nav click to its content painted. */
async function firstPaints(page: Page, rounds: number): Promise<void> {
  await open(page, 'Roster');
  const loads: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(rounds / 2)); i++) {
    await page.reload();
    loads.push((await page.evaluate('window.__bench.firstPaint')) as number);
  }
  reportPercentiles('page load to the roster painted', loads, 'ms');
  const times = new Map<string, number[]>(VIEWS.map((v) => [v.label, []]));
  // Round the views in order, so each is opened from the one before it.
  for (let round = 0; round < rounds; round++)
    for (const view of [...VIEWS.slice(1), VIEWS[0]!])
      times.get(view.label)!.push(await untilPainted(page, clickNav(view.label), view.painted));
  for (const [label, samples] of times) reportPercentiles(`nav click to ${label} painted`, samples, 'ms', CLICK_TARGET);
}

/** Source that is true when every row shown has `text` in its column `column` (Ledger view). */
const ledgerRowsAre = (column: number, text: string) => `(() => {
  const rows = [...document.querySelectorAll('[data-seq]')].slice(0, 20);
  return rows.length > 0 && rows.every((r) => r.children[${column}]?.textContent === ${JSON.stringify(text)});
})()`;

/** Source that sets the Ledger view's filter input `name` to `value`. */
const ledgerFilter = (name: string, value: string) =>
  `window.__bench.setValue(document.querySelector('input[placeholder=${name}]'), ${JSON.stringify(value)});`;

/** The Ledger view's queries: filter by agent, by type, and the next page as the list scrolls. */
async function ledgerQueries(page: Page, rounds: number): Promise<void> {
  await open(page, 'Ledger');
  const byAgent: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const agent = BENCH_AGENTS[i % BENCH_AGENTS.length]!;
    byAgent.push(await untilPainted(page, ledgerFilter('agentId', agent), ledgerRowsAre(2, agent)));
  }
  await untilPainted(page, ledgerFilter('agentId', ''), `document.querySelector('[data-seq]')`);
  reportPercentiles('Ledger filter by agent, input to rows painted', byAgent, 'ms', CLICK_TARGET);
  const types = ['tool.result', 'model.called', 'run.log', 'run.started'];
  const byType: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const type = types[i % types.length]!;
    byType.push(await untilPainted(page, ledgerFilter('type', type), ledgerRowsAre(3, type)));
  }
  reportPercentiles('Ledger filter by type, input to rows painted', byType, 'ms', CLICK_TARGET);
  // Unfiltered again: the rows are no longer all of the last type asked for.
  const last = types[(rounds - 1) % types.length]!;
  await untilPainted(page, ledgerFilter('type', ''), `!${ledgerRowsAre(3, last)}`);
  const nextPage: number[] = [];
  for (let i = 0; i < rounds; i++)
    nextPage.push(
      await untilPainted(
        page,
        `window.__h = document.querySelector('.ledger-body').scrollHeight; document.querySelector('.ledger-body').scrollTop = 1e9;`,
        `document.querySelector('.ledger-body').scrollHeight > window.__h`,
      ),
    );
  reportPercentiles('Ledger next page, scroll to the end to rows painted', nextPage, 'ms', CLICK_TARGET);
}

/** Source that picks `value` in the run list's select `name`. */
const runFilter = (name: string, value: string) =>
  `window.__bench.setValue(document.querySelector('select[aria-label=${name}]'), ${JSON.stringify(value)});`;

/** Source that is true when every run shown has a `field` starting with `text`. */
const runRowsAre = (field: string, text: string) => `(() => {
  const cells = [...document.querySelectorAll('[data-run] [${field}]')].slice(0, 20);
  return cells.length > 0 && cells.every((c) => c.textContent.startsWith(${JSON.stringify(text)}));
})()`;

/** The run list's queries: filter by status, then by agent. */
async function runListQueries(page: Page, rounds: number): Promise<void> {
  await open(page, 'Live');
  const byStatus: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const status = i % 2 ? 'ok' : 'error';
    byStatus.push(await untilPainted(page, runFilter('status', status), runRowsAre('data-status', status)));
  }
  await untilPainted(page, runFilter('status', ''), `document.querySelector('[data-run]')`);
  reportPercentiles('run list filter by status, pick to rows painted', byStatus, 'ms', CLICK_TARGET);
  // The roster's agents that have runs in the bench ledger.
  const agents = (
    (await page.evaluate(
      `[...document.querySelectorAll('select[aria-label=agent] option')].map((o) => o.value)`,
    )) as string[]
  ).filter((a) => BENCH_AGENTS.includes(a));
  const byAgent: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const agent = agents[i % agents.length]!;
    byAgent.push(await untilPainted(page, runFilter('agent', agent), runRowsAre('data-agent-id', agent)));
  }
  await untilPainted(page, runFilter('agent', ''), `document.querySelector('[data-run]')`);
  reportPercentiles('run list filter by agent, pick to rows painted', byAgent, 'ms', CLICK_TARGET);
}

/** Frame times while 200 pages of the Ledger view, then of the run list, scroll by (fewer on a smaller ledger). */
async function scrolling(page: Page, events: number): Promise<void> {
  await open(page, 'Ledger');
  const ledgerRows = Math.min(200 * 200, events);
  const ledger = await scrollFrames(
    page,
    '.ledger-body',
    1400,
    `document.querySelectorAll('[data-seq]').length && document.querySelector('.ledger-body').scrollHeight >= ${ledgerRows} * 28`,
  );
  reportPercentiles(
    `Ledger view scrolled over ${Math.ceil(ledgerRows / 200)} pages${ledger.reached ? '' : ' (stalled before the end)'}, frame`,
    ledger.deltas,
    'ms',
    { p95: '<= 20' },
  );
  await open(page, 'Live');
  // Four in five runs are work runs, the list's default; 8 events a run.
  const runRows = Math.min(200 * 100, Math.floor((events / 8) * 0.8) - 100);
  const runs = await scrollFrames(
    page,
    '.runs ul',
    1400,
    `document.querySelector('.runs ul').getAttribute('data-loaded') >= ${runRows}`,
  );
  reportPercentiles(
    `run list scrolled over ${Math.ceil(runRows / 100)} pages${runs.reached ? '' : ' (stalled before the end)'}, frame`,
    runs.deltas,
    'ms',
    { p95: '<= 20' },
  );
}

/**
 * The console in Chromium on a ledger of a million events (WARDEN_BENCH_EVENTS for fewer):
 * first paints, click to rows painted for the main queries, frame times while scrolling and
 * while the live view takes 2,000 events a second, and the page's heap after GC.
 */
export async function console1mBenchmarks(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`console1m benchmarks need ${CHROMIUM} (apt-get install chromium); skipped`);
    return;
  }
  ensureRenderer();
  const started = performance.now();
  const bench = await benchLedger();
  report(
    bench.builtSeconds
      ? `bench ledger of ${bench.events.toLocaleString('en-US')} events built (cached for next time)`
      : `bench ledger of ${bench.events.toLocaleString('en-US')} events copied from the cache`,
    bench.builtSeconds || (performance.now() - started) / 1000,
    's',
    '-',
  );
  const warden = await openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: bench.dir });
  const api = consoleApi(warden);
  const server = await startConsoleServer({ api, staticDir: RENDERER });
  const { browser, page } = await openConsole(server.url);
  const smoke = bench.events < 1_000_000;
  try {
    await installProbe(page);
    const rounds = smoke ? 6 : 20;
    await firstPaints(page, rounds);
    await ledgerQueries(page, rounds);
    await runListQueries(page, rounds);
    await scrolling(page, bench.events);
    await open(page, 'Live');
    await liveUnderLoad(page, bench.dir, smoke ? 8_000 : 40_000);
  } finally {
    await browser.close();
    await server.close();
    api.close();
    await warden.close();
    bench.remove();
  }
}
