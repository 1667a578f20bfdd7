import { chromium } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleApi } from '../../src/main/host/api/index.js';
import { openWarden } from '../../src/main/host/warden.js';
import type { NewEvent } from '../../src/shared/events.js';
import { startConsoleServer } from '../../src/main/server/server.js';
import { median, percentile, report } from './stats.js';
import { pageSocket, tradeToken } from '../main/server/session.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function ensureRenderer(): void {
  if (existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) return;
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

/** From `warden serve` being started to the roster painted in Chromium. */
async function startToFirstPaint(): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const data = mkdtempSync(join(tmpdir(), 'warden-bench-'));
    const started = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'warden.js'), 'serve', '--data-dir', data], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const url = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout!.on('data', (c: Buffer) => {
        text += c.toString();
        const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(text);
        if (found) resolve(found[0]);
      });
    });
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('[data-agent]');
    times.push(performance.now() - started);
    await page.close();
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    rmSync(data, { recursive: true, force: true });
  }
  await browser.close();
  report('warden serve start to first paint of the roster (median of 3)', median(times), 'ms', '-');
}

/** A console connected over the WebSocket to a server on a ledger of a million events. */
async function bigLedgerPages(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const warden = await openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: dir });
  for (let i = 0; i < 1_000_000; i += 10_000) {
    await warden.ledger.appendMany(
      Array.from({ length: 10_000 }, (_, k): NewEvent => ({
        type: 'run.log',
        runId: `run-${(i + k) % 997}`,
        agentId: ['intake', 'quoting', 'reconciliation'][(i + k) % 3]!,
        payload: { level: 'info', message: `step ${i + k} of the bench` },
      })),
    );
  }
  const api = consoleApi(warden);
  const server = await startConsoleServer({ api, staticDir: join(ROOT, 'out', 'renderer') });
  const ws = await pageSocket(server.port, await tradeToken(server.port, server.url));
  let next = 1;
  const waiting = new Map<number, () => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.id) waiting.get(message.id)?.();
  });
  const call = (method: string, params: unknown) =>
    new Promise<void>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const beforeSeq = 1 + Math.floor(((i * 7919) % 1000) * 1000);
    const t = performance.now();
    await call('ledger.page', { beforeSeq, limit: 200, order: 'desc', ...(i % 2 ? { agentId: 'quoting' } : {}) });
    times.push(performance.now() - t);
  }
  ws.close();
  await server.close();
  api.close();
  await warden.close();
  rmSync(dir, { recursive: true, force: true });
  report('console ledger page of 200 over the WebSocket, 1M events, p50', median(times), 'ms', '-');
  report('  same, p99', percentile(times, 99), 'ms', '<= 5');
}

/** The live view while the ledger grows by 2,000 events a second for 10 s. */
async function liveFrames(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const warden = await openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: dir });
  const api = consoleApi(warden);
  const server = await startConsoleServer({ api, staticDir: join(ROOT, 'out', 'renderer') });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(server.url);
  await page.waitForSelector('text=connected');
  await page.click('nav >> text=Live');
  let n = 0;
  const writer = setInterval(() => {
    const batch: NewEvent[] = [];
    for (let k = 0; k < 200; k++, n++) {
      const runId = `run-live-${Math.floor(n / 40)}`;
      batch.push(
        n % 40 === 0
          ? {
              type: 'run.started',
              runId,
              agentId: 'reconciliation',
              payload: { input: {}, hop: 0, tier: 'reconciliation' },
            }
          : { type: 'run.log', runId, agentId: 'reconciliation', payload: { level: 'info', message: `event ${n}` } },
      );
    }
    void warden.ledger.appendMany(batch);
  }, 100);
  // A string, not a function: tsx's helpers do not exist in the page.
  const frames = (await page.evaluate(`new Promise((resolve) => {
    const deltas = [];
    let last = performance.now();
    const end = last + 10000;
    const tick = (now) => {
      deltas.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else resolve(deltas);
    };
    requestAnimationFrame(tick);
  })`)) as number[];
  clearInterval(writer);
  await browser.close();
  await server.close();
  api.close();
  await warden.close();
  rmSync(dir, { recursive: true, force: true });
  report(
    `live view, 2,000 events/s for 10 s (${n.toLocaleString('en-US')} events), frame time p50`,
    median(frames),
    'ms',
    '-',
  );
  report('  same, p95', percentile(frames, 95), 'ms', '<= 50');
}

/** Runs the console benchmarks. */
export async function consoleBenchmarks(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`console benchmarks need ${CHROMIUM} (apt-get install chromium); skipped`);
    return;
  }
  ensureRenderer();
  await startToFirstPaint();
  await bigLedgerPages();
  await liveFrames();
}
