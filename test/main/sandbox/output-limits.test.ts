import { describe, expect, it } from 'vitest';
import { noRosterBridge, runMemory, type HostBridge } from '../../../src/main/sandbox/bridge.js';
import { SANDBOX_OUTPUT_LIMITS } from '../../../src/shared/sandbox.js';
import { run, runMeasured, warmPool } from './helpers.js';

// A string built cheaply inside the isolate ('x'.repeat(5e8) is a few hundred bytes of rope)
// takes 500 MB once flattened or copied. Each case runs on a fresh worker and checks how much
// the worker ever held: far below what the string would take outside the isolate.
const FAR_BELOW_MB = 300;
const HUGE = "'x'.repeat(5e8)";
const { result: RESULT_LIMIT, logLine: LOG_LIMIT, errorMessage: ERROR_LIMIT } = SANDBOX_OUTPUT_LIMITS;

// CPU and wall caps roomy enough that a loaded machine never ends these runs by time.
const ROOMY = { cpuMs: 60_000, wallMs: 120_000 };

const pool = warmPool();

describe("a program's result", { timeout: 90_000 }, () => {
  it('refuses a huge string by its length, before it is copied out', async () => {
    const outcome = await runMeasured(`return ${HUGE};`, { caps: ROOMY });
    expect(outcome.status).toBe('error');
    expect(outcome.error?.code).toBe('E_SANDBOX_TOO_LARGE');
    expect(outcome.error?.message).toContain(`the result is more than ${RESULT_LIMIT} characters`);
    expect(outcome.peakMb).toBeLessThan(FAR_BELOW_MB);
  });

  it('counts one string again for every place the result holds it', async () => {
    const outcome = await runMeasured("const s = 'y'.repeat(4e6); return { copies: Array(40).fill(s) };", {
      caps: ROOMY,
    });
    expect(outcome.error?.code).toBe('E_SANDBOX_TOO_LARGE');
    expect(outcome.error?.message).toContain('result.copies[2]');
    expect(outcome.peakMb).toBeLessThan(FAR_BELOW_MB);
  });

  it('refuses a sparse array whose JSON would be billions of nulls', async () => {
    const outcome = await run(pool, 'const a = []; a.length = 2 ** 31; return a;', { caps: ROOMY });
    expect(outcome.error?.code).toBe('E_SANDBOX_TOO_LARGE');
  });

  it('lets a result just under its limit through whole', async () => {
    const outcome = await run(pool, `return 'z'.repeat(${RESULT_LIMIT - 2});`, { caps: { ...ROOMY, memoryMb: 128 } });
    expect(outcome.status).toBe('ok');
    expect((outcome.result as string).length).toBe(RESULT_LIMIT - 2);
  });
});

describe('a thrown error', { timeout: 90_000 }, () => {
  it('names a huge message by its length instead of copying it', async () => {
    const outcome = await runMeasured(`throw new Error(${HUGE});`, { caps: ROOMY });
    expect(outcome.status).toBe('error');
    expect(outcome.error?.code).toBe('E_SANDBOX_THROWN');
    expect(outcome.error?.message).toContain('500000000 characters');
    expect(outcome.error!.message.length).toBeLessThan(ERROR_LIMIT);
    expect(outcome.peakMb).toBeLessThan(FAR_BELOW_MB);
  });

  it('does the same for a thrown string and a huge error name', async () => {
    const thrown = await runMeasured(`throw ${HUGE};`, { caps: ROOMY });
    expect(thrown.error?.message).toContain('500000000 characters');
    expect(thrown.peakMb).toBeLessThan(FAR_BELOW_MB);
    const named = await run(pool, `const e = new Error('short'); e.name = ${HUGE}; throw e;`, { caps: ROOMY });
    expect(named.error?.message).toBe('short');
  });

  it('keeps the start of a message a little over the limit, with a note', async () => {
    const outcome = await run(pool, `throw new Error('m'.repeat(${ERROR_LIMIT + 10}));`);
    expect(outcome.error?.message).toMatch(/^m{8000,}… \(message cut: 8202 characters, the limit is 8192\)$/);
    expect(outcome.error!.message.length).toBeLessThanOrEqual(ERROR_LIMIT);
  });

  it('cuts a top-level throw before it leaves the worker', async () => {
    const outcome = await run(
      pool,
      {
        source: "throw new Error('t'.repeat(2e7));\nexport default async () => 1;\n",
        filename: 'top.js',
      },
      { caps: ROOMY },
    );
    expect(outcome.error?.code).toBe('E_SANDBOX_THROWN');
    expect(outcome.error!.message.length).toBeLessThanOrEqual(ERROR_LIMIT);
    expect(outcome.error?.message).toContain('message cut: 20000000 characters');
  });
});

describe('log lines', { timeout: 90_000 }, () => {
  it('names a huge line by its length and goes on', async () => {
    const lines: string[] = [];
    const outcome = await runMeasured(`warden.log(${HUGE}); return 'logged';`, {
      bridge: noRosterBridge((_level, message) => lines.push(message)),
      caps: ROOMY,
    });
    expect(outcome.result).toBe('logged');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('500000000 characters');
    expect(lines[0]!.length).toBeLessThan(LOG_LIMIT);
    expect(outcome.peakMb).toBeLessThan(FAR_BELOW_MB);
  });

  it('writes a value too large for a line as a note, and cuts a long line', async () => {
    const lines: string[] = [];
    const outcome = await run(
      pool,
      `const s = 'v'.repeat(1e6); warden.log('big', { copies: [s, s, s] }); warden.log('w'.repeat(${LOG_LIMIT + 5})); return 1;`,
      { bridge: noRosterBridge((_level, message) => lines.push(message)), caps: ROOMY },
    );
    expect(outcome.status).toBe('ok');
    expect(lines[0]).toBe(`big [a value of more than ${LOG_LIMIT} characters]`);
    expect(lines[1]).toMatch(/^w{8000,}… \(log part cut: 8197 characters, the limit is 8192\)$/);
  });
});

describe("host calls' arguments", { timeout: 90_000 }, () => {
  it('refuses huge arguments inside the isolate: the host is never called', async () => {
    const calls: unknown[] = [];
    const bridge: HostBridge = {
      call: async (fn, args) => {
        calls.push([fn, args]);
        return null;
      },
    };
    const outcome = await runMeasured(
      `try { await warden.tool('erp.post', { note: ${HUGE} }); return 'sent'; } catch (e) { return { code: e.code, message: e.message }; }`,
      { bridge, caps: ROOMY },
    );
    expect(outcome.result).toMatchObject({ code: 'E_SANDBOX_TOO_LARGE' });
    expect((outcome.result as { message: string }).message).toContain('tool arguments');
    expect(calls).toEqual([]);
    expect(outcome.peakMb).toBeLessThan(FAR_BELOW_MB);
  });
});

describe('warden.memory', { timeout: 90_000 }, () => {
  it('refuses a set that would hold more than its limit, keeping what it held', async () => {
    const outcome = await run(
      pool,
      `const chunk = 'm'.repeat(4e6);
      const codes = [];
      for (let i = 0; i < 6; i++) {
        try { await warden.memory.set('k' + i, chunk); codes.push('ok'); } catch (e) { codes.push(e.code); }
      }
      const kept = (await warden.memory.get('k3')).length;
      await warden.memory.delete('k0');
      await warden.memory.set('again', chunk);
      return { codes, kept, again: (await warden.memory.get('again')).length };`,
      { caps: { ...ROOMY, memoryMb: 256 } },
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual({
      codes: ['ok', 'ok', 'ok', 'ok', 'E_SANDBOX_TOO_LARGE', 'E_SANDBOX_TOO_LARGE'],
      kept: 4e6,
      again: 4e6,
    });
  });

  it('counts a replaced value once', () => {
    const memory = runMemory(100);
    for (let i = 0; i < 50; i++) memory('memory.set', ['k', 'x'.repeat(90)]);
    expect(() => memory('memory.set', ['other', 'y'.repeat(20)])).toThrow(/at most 100 characters/);
    memory('memory.set', ['k', 'short']);
    expect(memory('memory.set', ['other', 'y'.repeat(20)])).toBeNull();
  });
});
