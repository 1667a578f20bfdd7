import { describe, expect, it } from 'vitest';
import { noRosterBridge, type HostBridge } from '../../../src/main/sandbox/bridge.js';
import { expectPoolHealthy, run, warmPool } from './helpers.js';

const pool = warmPool();

describe('what the isolate can reach', () => {
  it('sees no process, require, fetch, timers or WebAssembly', async () => {
    const names = ['process', 'require', 'fetch', 'setTimeout', 'setInterval', 'WebAssembly'];
    const outcome = await run(pool, 'return Object.fromEntries(task.map((n) => [n, typeof globalThis[n]]));', {
      input: names,
    });
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual(Object.fromEntries(names.map((n) => [n, 'undefined'])));
  });

  it('refuses a static import with E_SANDBOX_IMPORT', async () => {
    const source =
      'import { readFileSync } from "node:fs";\nexport default async () => readFileSync("/etc/passwd", "utf8");\n';
    const outcome = await run(pool, { source, filename: 'importer.js' });
    expect(outcome.status).toBe('error');
    expect(outcome.error?.code).toBe('E_SANDBOX_IMPORT');
    expect(outcome.error?.message).toContain('node:fs');
    expect(outcome.result).toBeUndefined();
  });

  it('rejects a dynamic import()', async () => {
    const outcome = await run(
      pool,
      'try { const fs = await import("node:fs"); return { loaded: typeof fs }; } catch (e) { return { rejected: e instanceof Error }; }',
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual({ rejected: true });
  });

  it('runs each program in a fresh isolate', async () => {
    const first = await run(pool, 'globalThis.leak = 1; Object.prototype.polluted = 1; return typeof leak;');
    expect(first.result).toBe('number');
    const second = await run(pool, 'return [typeof globalThis.leak, typeof ({}).polluted];');
    expect(second.status).toBe('ok');
    expect(second.result).toEqual(['undefined', 'undefined']);
  });
});

describe('what crosses the boundary', () => {
  const notPlain: [string, string][] = [
    ['a function', 'return () => 1;'],
    ['a symbol', 'return Symbol("s");'],
    ['a cycle', 'const a = { b: {} }; a.b.back = a; return a;'],
    ['a getter', 'return { get secret() { return 1; } };'],
    ['a Proxy', 'return new Proxy({ a: 1 }, {});'],
    ['a BigInt', 'return 10n;'],
    ['NaN', 'return NaN;'],
  ];

  it.each(notPlain)('refuses %s as a result with E_SANDBOX_RESULT and keeps working', async (_what, body) => {
    const outcome = await run(pool, body);
    expect(outcome.status).toBe('error');
    expect(outcome.error?.code).toBe('E_SANDBOX_RESULT');
    expect(outcome.result).toBeUndefined();
    await expectPoolHealthy(pool);
  });

  it('names the path of a bad value nested in the result', async () => {
    const outcome = await run(pool, 'return { a: { ok: [1, 2], f() {} } };');
    expect(outcome.error?.code).toBe('E_SANDBOX_RESULT');
    expect(outcome.error?.message).toContain('result.a.f');
  });

  it('refuses a bad result even when the program patched Object and Reflect', async () => {
    const outcome = await run(
      pool,
      'Object.getPrototypeOf = () => Object.prototype; Reflect.ownKeys = () => []; return { when: new Date(0) };',
    );
    expect(outcome.error?.code).toBe('E_SANDBOX_RESULT');
    // The prelude's own check (it names the path) caught it, not only the host's schema.
    expect(outcome.error?.message).toContain('result.when');
  });

  it('returns plain nested data unchanged', async () => {
    const data = { s: 'é ✓', n: -1.5, t: true, z: null, list: [1, [2, { deep: ['x'] }]], empty: {}, none: [] };
    const outcome = await run(pool, 'return task;', { input: data });
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual(data);
  });

  it('passes the input as a copy the program may change freely', async () => {
    const input = { list: [1, 2, 3], name: 'task' };
    const outcome = await run(pool, 'task.list.push(4); task.name = "changed"; task.added = true; return task;', {
      input,
    });
    expect(outcome.result).toEqual({ list: [1, 2, 3, 4], name: 'changed', added: true });
    expect(input).toEqual({ list: [1, 2, 3], name: 'task' });
  });

  it('hands the program copies of what host calls return', async () => {
    const stored = { items: [1, 2] };
    const bridge: HostBridge = { call: async () => stored };
    const outcome = await run(
      pool,
      'const a = await warden.memory.get("k"); a.items.push(99); a.extra = 1; const b = await warden.memory.get("k"); return { a, b };',
      { bridge },
    );
    expect(outcome.result).toEqual({ a: { items: [1, 2, 99], extra: 1 }, b: { items: [1, 2] } });
    expect(stored).toEqual({ items: [1, 2] });
  });
});

describe('the warden object', () => {
  it('rejects model, tool and handoff with E_NO_ROSTER when there is no roster', async () => {
    const outcome = await run(
      pool,
      `const codes = [];
      for (const call of [() => warden.model({ prompt: "hi" }), () => warden.tool("search", {}), () => warden.handoff("bob", {})]) {
        try { await call(); codes.push("resolved"); } catch (e) { codes.push(e.code); }
      }
      return codes;`,
      { bridge: noRosterBridge() },
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual(['E_NO_ROSTER', 'E_NO_ROSTER', 'E_NO_ROSTER']);
  });

  it('delivers log lines to the bridge in order with their levels', async () => {
    const lines: [string, string][] = [];
    const outcome = await run(
      pool,
      'warden.log("start", { n: 1 }); warden.log.debug("d"); warden.log.info("i"); warden.log.warn("w", 2); warden.log.error("e"); return "done";',
      { bridge: noRosterBridge((level, message) => lines.push([level, message])) },
    );
    expect(outcome.result).toBe('done');
    expect(lines).toEqual([
      ['info', 'start {"n":1}'],
      ['debug', 'd'],
      ['info', 'i'],
      ['warn', 'w 2'],
      ['error', 'e'],
    ]);
  });

  it('keeps memory values set within a run', async () => {
    const outcome = await run(
      pool,
      `await warden.memory.set("a", { v: [1] });
      await warden.memory.set("b", 2);
      const before = [await warden.memory.get("a"), await warden.memory.get("b")];
      await warden.memory.delete("b");
      return { before, after: await warden.memory.get("b") };`,
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual({ before: [{ v: [1] }, 2], after: null });
  });

  it('surfaces a host error inside the isolate with its code', async () => {
    const bridge: HostBridge = {
      call: async () => {
        throw Object.assign(new Error('no'), { code: 'E_POLICY_DENIED' });
      },
    };
    const outcome = await run(
      pool,
      'try { await warden.tool("rm", { path: "/" }); return "allowed"; } catch (e) { return { code: e.code, message: e.message }; }',
      { bridge },
    );
    expect(outcome.result).toEqual({ code: 'E_POLICY_DENIED', message: 'no' });
  });
});

describe('program errors', () => {
  it('reports a program without a default export as E_SANDBOX_PROGRAM', async () => {
    const outcome = await run(pool, { source: 'export const main = async () => 1;\n', filename: 'nodefault.js' });
    expect(outcome.status).toBe('error');
    expect(outcome.error?.code).toBe('E_SANDBOX_PROGRAM');
  });

  it('reports a syntax error as E_SANDBOX_PROGRAM naming the file', async () => {
    const outcome = await run(pool, { source: 'export default async (task => {\n', filename: 'broken-agent.js' });
    expect(outcome.status).toBe('error');
    expect(outcome.error?.code).toBe('E_SANDBOX_PROGRAM');
    expect(outcome.error?.message).toContain('broken-agent.js');
  });

  it('reports a thrown error as E_SANDBOX_THROWN with its message', async () => {
    const outcome = await run(pool, 'throw new Error("the agent gave up");');
    expect(outcome.status).toBe('error');
    expect(outcome.error).toEqual({ code: 'E_SANDBOX_THROWN', message: 'the agent gave up' });
  });
});
