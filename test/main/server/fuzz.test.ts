import { describe, expect, it } from 'vitest';
import { httpCase, seeded, socketCase, type FuzzContext } from './fuzz-cases.js';
import { lastResortsAfterStop, stillServing, useServed } from './serve-process.js';
import { rawWebSocket, sendRaw } from './wire.js';

// Malformed request lines, URLs, encodings, headers, frames and sizes, from fixed seeds, sent
// over raw sockets to the real `warden serve` in a child process. Afterwards it must still be
// running and answer its page; no request may have needed the last resort, and none a 500.

const SEEDS = [12, 1_201, 90_210];
const HTTP_CASES_PER_SEED = 60;
const SOCKET_CASES_PER_SEED = 30;
/** Cases in flight at once: enough to overlap, few enough for a shared two-core machine. */
const PARALLEL = 6;

const served = useServed('warden-serve-fuzz-');
const context = (): FuzzContext => ({ port: served.serve.port, ...served.session });

/** Runs jobs a few at a time, in order of start. */
async function inBatches<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += PARALLEL)
    results.push(...(await Promise.all(jobs.slice(i, i + PARALLEL).map((job) => job()))));
  return results;
}

describe('warden serve under fuzzed HTTP and WebSocket input', () => {
  for (const seed of SEEDS) {
    it(`answers every malformed HTTP request (seed ${seed}) without a 500, and goes on`, async () => {
      const rand = seeded(seed);
      const cases = Array.from({ length: HTTP_CASES_PER_SEED }, () => httpCase(rand, context()));
      const replies = await inBatches(cases.map((c) => () => sendRaw(served.serve.port, c.bytes, 400)));
      // 503 only says the renderer is not built in this checkout: it is no failure of the request.
      const failed = cases
        .map((c, i) => ({ name: c.name, status: replies[i]!.status }))
        .filter((r) => r.status !== null && r.status >= 500 && r.status !== 503);
      expect(failed).toEqual([]);
      await stillServing(served, `HTTP seed ${seed}`);
    }, 180_000);

    it(`closes every hostile WebSocket (seed ${seed}) and goes on`, async () => {
      const rand = seeded(seed);
      const cases = Array.from({ length: SOCKET_CASES_PER_SEED }, () => socketCase(rand, context()));
      await inBatches(
        cases.map((c) => async () => {
          let ws;
          try {
            ws = await rawWebSocket(served.serve.port, c.headers);
          } catch {
            return; // A handshake the server refused is an answer too.
          }
          for (const bytes of c.frames) ws.socket.write(bytes);
          // Frames that were fine leave the socket open: the client ends it, as a tab closing would.
          const ended = await Promise.race([ws.closed, new Promise((r) => setTimeout(r, 400, 'open'))]);
          if (ended === 'open') ws.socket.destroy();
        }),
      );
      await stillServing(served, `WebSocket seed ${seed}`);
    }, 180_000);
  }

  it('needed no last resort: every request was answered on its own path', async () => {
    expect(await lastResortsAfterStop(served)).toBe(0);
  });
});
