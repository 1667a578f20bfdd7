import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type WebSocket from 'ws';
import { afterAll, beforeAll, expect } from 'vitest';
import { Ledger } from '../../../src/main/ledger/index.js';
import { BIN, ROOT, useTempDirs } from '../cli/helpers.js';
import { callApi, exportTicket, httpRequest, pageSocket, tradeToken, type Session } from './session.js';

// The real `warden serve` (bin/warden.js) in a child process, so that a request which ends the
// process is seen as exactly that: an exit, not a test that hangs or an error in the test's
// own process. It serves a copy of a small roster with no MCP servers.

/** A running `warden serve` child. */
export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** The one-time link it printed. */
  url: string;
  dataDir: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Stops it with SIGTERM (serve's own way out) and resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `warden serve` on a copy of test/fixtures/insights-roster, data in `dir/data`. */
export function startServe(dir: string): Promise<ServeProcess> {
  const roster = join(dir, 'roster');
  cpSync(join(ROOT, 'test', 'fixtures', 'insights-roster'), roster, { recursive: true });
  const dataDir = join(dir, 'data');
  const child = spawn(process.execPath, [BIN, 'serve', '--roster', roster, '--data-dir', dataDir], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let exited = false;
  const exit = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      exited = true;
      done(code);
    }),
  );
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const link = /(http:\/\/127\.0\.0\.1:(\d+)\/\?token=\S+)/.exec(out);
      if (!link) return;
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({
        child,
        port: Number(link[2]),
        url: link[1]!,
        dataDir,
        stderr: () => err,
        alive: () => !exited,
        async stop() {
          if (!exited) child.kill('SIGTERM');
          return exit;
        },
      });
    });
    void exit.then((code) => reject(new Error(`warden serve exited (${code}) before printing its link: ${err}`)));
  });
}

/** What a test file of the served surface works with, filled in before its tests run. */
export interface Served {
  serve: ServeProcess;
  session: Session;
  /** The API's socket as the page holds it. */
  page: WebSocket;
}

/**
 * Starts `warden serve` before a file's tests, trades its token and opens the page's socket;
 * stops it and removes its folder after them.
 */
export function useServed(prefix: string): Served {
  const temp = useTempDirs();
  const served = {} as Served;
  beforeAll(async () => {
    served.serve = await startServe(temp.make(prefix));
    served.session = await tradeToken(served.serve.port, served.serve.url);
    served.page = await pageSocket(served.serve.port, served.session);
  }, 60_000);
  afterAll(async () => {
    served.page?.close();
    await served.serve?.stop();
    temp.cleanup();
  });
  return served;
}

/** The process runs and its page still gets answers: the API on a new socket and the old, and a download. */
export async function stillServing({ serve, session, page }: Served, after: string): Promise<void> {
  expect(serve.alive(), `warden serve exited after ${after}:\n${serve.stderr()}`).toBe(true);
  expect(await callApi(page, 'roster.list')).toMatchObject({ ok: true });
  const fresh = await pageSocket(serve.port, session);
  expect(await callApi(fresh, 'approvals.list')).toMatchObject({ ok: true, result: [] });
  fresh.close();
  const ticket = await exportTicket(page);
  const jsonl = await httpRequest(serve.port, `/export?format=jsonl&ticket=${ticket}`, { cookie: session.cookie });
  expect(jsonl.status).toBe(200);
}

/** Stops the process (a clean exit) and counts the errors its last resort had to record. */
export async function lastResortsAfterStop({ serve }: Served): Promise<number> {
  expect(await serve.stop()).toBe(0);
  const ledger = Ledger.open(serve.dataDir);
  try {
    return ledger.reader.count({ type: 'host.error' });
  } finally {
    ledger.close();
  }
}
