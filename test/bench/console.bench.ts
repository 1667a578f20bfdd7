import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleApi } from '../../src/main/host/api/index.js';
import { openWarden } from '../../src/main/host/warden.js';
import { startConsoleServer } from '../../src/main/server/server.js';
import { median, percentile, report } from './stats.js';
import { pageSocket, tradeToken } from '../main/server/session.js';
import { CHROMIUM, RENDERER, ensureRenderer, openConsole } from '../e2e/browser.js';
import { benchLedger } from './bench-ledger.js';
import { liveUnderLoad } from './console1m-live.js';
import { installProbe } from './page-probe.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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

/** A console connected over the WebSocket to a server on the bench ledger of a million events. */
async function bigLedgerPages(): Promise<void> {
  const bench = await benchLedger();
  const warden = await openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: bench.dir });
  const api = consoleApi(warden);
  const server = await startConsoleServer({ api, staticDir: RENDERER });
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
    const beforeSeq = 1 + Math.floor((((i * 7919) % 1000) / 1000) * bench.events);
    const t = performance.now();
    await call('ledger.page', { beforeSeq, limit: 200, order: 'desc', ...(i % 2 ? { agentId: 'quoting' } : {}) });
    times.push(performance.now() - t);
  }
  ws.close();
  await server.close();
  api.close();
  await warden.close();
  bench.remove();
  report(
    `console ledger page of 200 over the WebSocket, ${bench.events.toLocaleString('en-US')} events, p50`,
    median(times),
    'ms',
    '-',
  );
  report('  same, p99', percentile(times, 99), 'ms', '<= 5');
}

/** The live view of an empty ledger while it grows by 2,000 events a second for 10 s. */
async function liveFrames(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const warden = await openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: dir });
  const api = consoleApi(warden);
  const server = await startConsoleServer({ api, staticDir: RENDERER });
  const { browser, page } = await openConsole(server.url);
  try {
    await installProbe(page);
    await page.click('nav >> text=Live');
    await liveUnderLoad(page, dir, 10_000);
  } finally {
    await browser.close();
    await server.close();
    api.close();
    await warden.close();
    rmSync(dir, { recursive: true, force: true });
  }
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
