import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiResult, Method, Params } from '../../src/shared/api.js';
import { openWarden } from '../../src/main/host/warden.js';
import { usd } from '../../src/shared/money.js';
import { duration, percent } from '../../src/renderer/src/format.js';
import { ROOT } from '../main/cli/helpers.js';
import { seedHistory, type History } from './history.js';
import { shoot as saveShot } from './browser.js';
import { useConsole } from './fixture.js';

// The Evals and KPIs views in Debian's Chromium, against warden serve on a small roster of its
// own (test/fixtures/insights-roster) with weeks of history written before Warden opens it.
const ROSTER = join(ROOT, 'test', 'fixtures', 'insights-roster');
const DAY_MS = 86_400_000;

let history: History;
/** Tasks the test runs itself today, on top of the history. */
const TODAY_TASKS = 2;

const ui = useConsole(
  async ({ tempDir }) => {
    const data = tempDir('warden-insights-');
    history = await seedHistory(data, ROSTER, new Date());
    return openWarden({ rosterDir: ROSTER, dataDir: data, pollMs: 20 });
  },
  {
    // Today's tasks are finished before the page loads, as the history before them is.
    beforeOpen: async ({ warden }) => {
      for (const [agentId, subject] of [
        ['triage', 'Refund for order 9'],
        ['dispatch', 'A new laptop for Ana'],
      ] as const) {
        const { runId } = await call('task.start', { agentId, input: { subject } });
        await until(() => warden.ledger.reader.count({ runId, type: 'run.finished' }) > 0, `${agentId}'s task`);
      }
    },
  },
);

async function call<M extends Method>(method: M, params: Params<M>): Promise<ApiResult<M>> {
  return (await ui.api.call(method, params, 'test')) as ApiResult<M>;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Saves a screenshot; `height` makes the window taller for it, for a view longer than the others. */
async function shoot(name: string, height?: number): Promise<void> {
  if (process.env.WARDEN_SCREENSHOTS !== '1') return;
  if (height) await ui.page.setViewportSize({ width: 1400, height });
  await ui.page.waitForTimeout(300);
  await saveShot(ui.page, name);
  if (height) await ui.page.setViewportSize({ width: 1400, height: 860 });
}

async function view(name: 'Roster' | 'Live' | 'Evals' | 'KPIs') {
  await ui.page.click(`nav >> text=${name}`);
}

/** The text of the first element a selector finds, once it is there. */
async function text(selector: string): Promise<string> {
  const found = ui.page.locator(selector).first();
  await found.waitFor();
  return (await found.textContent()) ?? '';
}

/** Waits until the element holds exactly this text. */
async function waitForText(selector: string, expected: string): Promise<void> {
  await ui.page.waitForFunction(
    ([s, t]) => document.querySelector(s!)?.textContent === t,
    [selector, expected] as const,
    {
      timeout: 10_000,
    },
  );
}

function evalRuns(agentId: string) {
  return [...ui.warden.ledger.reader.each({ agentId, type: 'eval.run' })].map(
    (e) => e.payload as { passed: number; total: number; by: string },
  );
}

/** The last `days` days up to the end of today, UTC (to exclusive). */
function lastDays(days: number): { from: string; to: string } {
  const now = new Date();
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return { from: new Date(end - days * DAY_MS).toISOString(), to: new Date(end).toISOString() };
}

describe('the Evals view', () => {
  it('lists each suite with its last result; Run evals runs them all and the view updates when they finish', async () => {
    await view('Evals');
    // The history's last suite runs: both passed every case.
    await waitForText('[data-eval-agent=triage] [data-passed]', '10/10');
    await waitForText('[data-eval-agent=payments] [data-passed]', '2/2');
    expect(await ui.page.locator('[data-suspended]').count()).toBe(0);
    expect(await text('[data-eval-agent=dispatch]')).toContain('No golden dataset');

    await ui.page.getByRole('button', { name: 'Run evals', exact: true }).click();
    await until(() => evalRuns('payments').length === 3 && evalRuns('triage').length === 6, 'the suites');
    await waitForText('[data-eval-agent=payments] [data-passed]', '1/2');
    await waitForText('[data-eval-agent=triage] [data-passed]', '9/10');
    expect(evalRuns('triage').at(-1)).toMatchObject({ passed: 9, total: 10, by: 'console' });
    expect(evalRuns('payments').at(-1)).toMatchObject({ passed: 1, total: 2, by: 'console' });

    // Accuracy against the minimum, and the suite below it marked as such.
    expect(await text('[data-eval-agent=payments] [data-accuracy]')).toBe('50.0%');
    expect(await text('[data-eval-agent=payments]')).toContain('below minimum');
    expect(await ui.page.locator('[data-eval-agent=payments]').getAttribute('class')).toContain('below');
    expect(await text('[data-eval-agent=triage] [data-accuracy]')).toBe('90.0%');
    expect(await text('[data-eval-agent=triage]')).not.toContain('below minimum');
    // The suspension the suite caused, with its reason, arrived on the event stream.
    await ui.page.waitForSelector('[data-suspended=payments]');
    expect(await text('[data-suspended=payments]')).toContain('scored 50.0% (1/2), below its minimum of 95.0%');
    // Rolling accuracy: triage has enough cases in 14 days (48/50 from history, 9/10 now), payments not.
    expect(await text('[data-eval-agent=triage] [data-rolling]')).toBe(`${percent(57 / 60)}60 cases`);
    expect(await text('[data-eval-agent=payments] [data-rolling]')).toContain('not enough cases');
    expect(await text('[data-tier=ingestion]')).toContain(percent(57 / 60));
    expect(await text('[data-tier=reconciliation]')).toContain('not enough cases');
  });

  it("shows a failing case's expected against actual output and its differences, as text", async () => {
    // The suspended agent's failing case is shown first.
    await ui.page.waitForSelector('[data-cases=payments] [data-case=partial-payment]');
    expect(await ui.page.locator('[data-cases=payments] [data-case]').count()).toBe(1);
    const failing = '[data-case=partial-payment]';
    expect(await text(`${failing} [data-expected]`)).toContain('"status": "partial"');
    // The model answered with text holding JSON: shown indented, like the expected value.
    expect(await text(`${failing} [data-actual]`)).toBe('{\n  "invoiceId": "INV-1002",\n  "status": "matched"\n}');
    expect(await text(`${failing} .diff`)).toContain('$.remainingUsd: missing, expected 60');
    await shoot('evals', 1060);

    // An output holding markup is shown as the text it is.
    await ui.page.getByLabel('Agent', { exact: true }).selectOption('triage');
    await ui.page.waitForSelector('[data-cases=triage] [data-case=parcel]');
    expect(await text('[data-case=parcel] [data-actual]')).toBe(
      'general: <img src=x onerror=alert(1)> where is my parcel?',
    );
    expect(await text('[data-case=parcel] [data-expected]')).toBe('shipping');
    expect(await ui.page.locator('.evals img').count()).toBe(0);
  });

  it('shows the suspended agent in the roster, and resumes it from the Evals view', async () => {
    await view('Roster');
    await waitForText('[data-agent=payments] .status', 'suspended');
    await ui.page.waitForSelector('[data-agent=payments] button:has-text("Resume")');

    await view('Evals');
    await ui.page.getByRole('button', { name: 'Resume Payments' }).click();
    await ui.page.locator('[data-suspended=payments]').waitFor({ state: 'detached' });
    const resumed = [...ui.warden.ledger.reader.each({ agentId: 'payments', type: 'agent.resumed' })];
    expect(resumed.map((e) => e.payload)).toEqual([{ by: 'console' }]);
    expect((await call('evals.overview', {})).agents.find((a) => a.agentId === 'payments')?.hold).toBeNull();
    await view('Roster');
    await waitForText('[data-agent=payments] .status', 'idle');
  });

  it('follows suites started elsewhere: their results and the suspension they cause arrive as events', async () => {
    await view('Evals');
    const dots = '[data-chart=Triage] .recharts-line-dots circle';
    // Five suite runs from the history, and the one Run evals started.
    await ui.page.waitForFunction((s) => document.querySelectorAll(s).length === 6, dots, { timeout: 10_000 });
    const line = await ui.page.locator('[data-chart=Triage] path.recharts-line-curve').getAttribute('d');
    expect(line).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){5}$/);
    expect(await ui.page.locator('[data-suspended]').count()).toBe(0);

    // Started through the API, as the CLI or another console would: this page did not ask.
    const { started } = await call('evals.run', {});
    expect(started.sort()).toEqual(['payments', 'triage']);
    await ui.page.waitForSelector('[data-suspended=payments]', { timeout: 10_000 });
    await ui.page.waitForFunction((s) => document.querySelectorAll(s).length === 7, dots, { timeout: 10_000 });
    await call('agent.resume', { agentId: 'payments' });
    await ui.page.locator('[data-suspended=payments]').waitFor({ state: 'detached', timeout: 10_000 });
  });

  it("runs one agent's suite from its row, and only that one", async () => {
    const dots = '[data-chart=Triage] .recharts-line-dots circle';
    const paymentsBefore = evalRuns('payments').length;
    await ui.page.getByRole('button', { name: 'Run evals for Triage' }).click();
    await ui.page.waitForFunction((s) => document.querySelectorAll(s).length === 8, dots, { timeout: 10_000 });
    expect(evalRuns('triage')).toHaveLength(8);
    expect(evalRuns('payments')).toHaveLength(paymentsBefore);
    await waitForText('[data-eval-agent=triage] [data-passed]', '9/10');
  });

  it('leaves eval runs out of the live view unless asked for', async () => {
    const starts = [...ui.warden.ledger.reader.each({ type: 'run.started' })];
    const evalIds = new Set(starts.filter((e) => (e.payload as { eval?: unknown }).eval).map((e) => e.runId!));
    const shownIds = async () =>
      ui.page.locator('[data-run]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run')!));
    await view('Live');
    await ui.page.waitForSelector('[data-run]');
    const shown = await shownIds();
    expect(shown.filter((id) => evalIds.has(id))).toEqual([]);
    // Today's two tasks are there, though the suites started 44 eval runs after them.
    const tasksToday = starts.filter((e) => !(e.payload as { eval?: unknown }).eval).slice(-TODAY_TASKS);
    for (const e of tasksToday) expect(shown).toContain(e.runId);

    await ui.page.selectOption('select[aria-label=kind]', 'all');
    await ui.page.waitForFunction(
      (ids) => [...document.querySelectorAll('[data-run]')].some((r) => ids.includes(r.getAttribute('data-run')!)),
      [...evalIds],
      { timeout: 10_000 },
    );
    await ui.page.selectOption('select[aria-label=kind]', 'work');
  });
});

describe('the KPIs view', () => {
  const tile = (name: string) => `[data-kpi="${name}"] .tile-value`;

  it('shows the headline numbers of the period, and the period picker changes them', async () => {
    await view('KPIs');
    await waitForText(tile('Tasks'), String(history.tasks[7] + TODAY_TASKS));
    const report = await call('kpis.report', { ...lastDays(7), by: 'agent' });
    expect(report.total.tasks).toBe(history.tasks[7] + TODAY_TASKS);
    expect(await text(tile('Time to resolution'))).toBe(duration(report.total.meanTimeToResolutionMs));
    expect(await text(tile('Intervention rate'))).toBe(percent(report.total.interventionRate));
    expect(await text(tile('Cost per resolved task'))).toBe(usd(report.total.costPerResolvedUsd));
    // The history's approvals are interventions; its failed payment is a task not resolved.
    expect(report.total.intervened).toBeGreaterThan(0);
    expect(report.total.resolved).toBe(report.total.tasks - 1);

    await ui.page.getByLabel('Period').selectOption('30');
    await waitForText(tile('Tasks'), String(history.tasks[30] + TODAY_TASKS));
    await ui.page.getByLabel('Period').selectOption('90');
    await waitForText(tile('Tasks'), String(history.tasks[90] + TODAY_TASKS));
    expect(history.tasks[90]).toBeGreaterThan(history.tasks[30]);
    expect(history.tasks[30]).toBeGreaterThan(history.tasks[7]);
    await ui.page.getByLabel('Period').selectOption('7');
    await waitForText(tile('Tasks'), String(history.tasks[7] + TODAY_TASKS));
  });

  it('charts time to resolution, intervention rate and cost per resolved task, a line per agent', async () => {
    for (const chart of ['Time to resolution', 'Intervention rate', 'Cost per resolved task']) {
      const lines = ui.page.locator(`[data-chart="${chart}"] path.recharts-line-curve`);
      // A flat line (an agent with no interventions) has no height, so wait for it to exist, not to show.
      await lines.first().waitFor({ state: 'attached' });
      expect(await lines.count()).toBe(3);
      // Each line joins the days with a value: every agent has at least five here.
      for (const d of await lines.evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? '')))
        expect(d.split('L').length).toBeGreaterThanOrEqual(5);
      const legend = await text(`[data-chart="${chart}"] .recharts-legend-wrapper`);
      for (const agent of ['triage', 'payments', 'dispatch']) expect(legend).toContain(agent);
    }
    await shoot('kpis');
  });

  it('regroups by business unit and by tier', async () => {
    const groups = () =>
      ui.page.locator('[data-group]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-group')));
    expect(await groups()).toEqual(['dispatch', 'payments', 'triage']);
    await ui.page.getByLabel('Group by').selectOption('unit');
    await ui.page.waitForSelector('[data-group=finance]');
    expect(await groups()).toEqual(['finance', 'support']);
    expect(await ui.page.locator('[data-chart="Time to resolution"] path.recharts-line-curve').count()).toBe(2);
    const units = await call('kpis.report', { ...lastDays(7), by: 'unit' });
    const support = units.groups.find((g) => g.key === 'support')!;
    expect(await text('[data-group=support]')).toContain(duration(support.meanTimeToResolutionMs));

    await ui.page.getByLabel('Group by').selectOption('tier');
    await ui.page.waitForSelector('[data-group=coordinator]');
    expect(await groups()).toEqual(['coordinator', 'ingestion', 'reconciliation']);
    await ui.page.getByLabel('Group by').selectOption('agent');
    await ui.page.waitForSelector('[data-group=triage]');
  });

  it('shows spend against budget per agent and business unit, over budget marked', async () => {
    const report = await call('kpis.report', { ...lastDays(7), by: 'agent' });
    const payments = report.spend.agents.find((l) => l.key === 'payments')!;
    const triage = report.spend.agents.find((l) => l.key === 'triage')!;
    expect(payments.budgetUsd).toBeCloseTo(0.25 * 7);
    expect(payments.costUsd).toBeGreaterThan(payments.budgetUsd!);
    expect(triage.costUsd).toBeLessThan(triage.budgetUsd!);

    const row = (table: string, key: string) => `[data-spend="${table}"] [data-spend-key="${key}"]`;
    expect(await text(row('Agent', 'payments'))).toContain(usd(payments.budgetUsd));
    expect(await text(row('Agent', 'payments'))).toContain('over budget');
    expect(await ui.page.locator(row('Agent', 'payments')).getAttribute('class')).toContain('over');
    expect(await text(row('Agent', 'triage'))).not.toContain('over budget');
    expect(await text(row('Agent', 'dispatch'))).toContain('no budget');
    const finance = report.spend.units.find((l) => l.key === 'finance')!;
    expect(await text(row('Business unit', 'finance'))).toContain(usd(finance.costUsd));
  });
});
