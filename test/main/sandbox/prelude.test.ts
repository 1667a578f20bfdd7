import { describe, expect, it } from 'vitest';
import type { HostBridge } from '../../../src/main/sandbox/bridge.js';
import { noRosterBridge } from '../../../src/main/sandbox/bridge.js';
import type { JsonValue } from '../../../src/shared/json.js';
import { run, warmPool } from './helpers.js';

// What the program does to the realm it shares with the prelude must not change what crosses
// the boundary, or how: the prelude captured its intrinsics first, and hands isolated-vm
// option objects without a prototype.

const pool = warmPool();

/** A bridge that records every host call and answers memory like the real one. */
function recordingBridge(): { bridge: HostBridge; calls: JsonValue[][]; lines: string[] } {
  const calls: JsonValue[][] = [];
  const lines: string[] = [];
  const inner = noRosterBridge((_level, message) => lines.push(message));
  const bridge: HostBridge = {
    log: inner.log!,
    call: async (fn, args) => {
      calls.push([fn, ...args]);
      return fn === 'tool' ? { echoed: args[1]! } : inner.call(fn, args);
    },
  };
  return { bridge, calls, lines };
}

// Every option name isolated-vm reads, as getters on Object.prototype that count their reads
// and answer what would change a transfer the most.
const POISON_OPTIONS = `
globalThis.hits = 0;
for (const name of ['copy', 'externalCopy', 'reference', 'promise', 'timeout', 'arguments', 'result', 'release', 'transferIn', 'transferOut']) {
  Object.defineProperty(Object.prototype, name, { get() { globalThis.hits += 1; return name === 'timeout' ? 1 : true; }, configurable: true });
}`;

describe('a program that poisons the realm', () => {
  it("cannot reach isolated-vm's transfer options through Object.prototype", async () => {
    const { bridge, calls, lines } = recordingBridge();
    const outcome = await run(
      pool,
      `${POISON_OPTIONS}
      warden.log('poisoned');
      await warden.memory.set('k', { v: [1, 2] });
      const kept = await warden.memory.get('k');
      const tool = await warden.tool('erp.lookup', { id: 'INV-1' });
      return { hits: globalThis.hits, kept, tool };`,
      { bridge },
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual({ hits: 0, kept: { v: [1, 2] }, tool: { echoed: { id: 'INV-1' } } });
    expect(lines).toEqual(['poisoned']);
    expect(calls.map((c) => c[0])).toEqual(['memory.set', 'memory.get', 'tool']);
  });

  it('cannot break the prelude by replacing Reflect, Function.prototype, iterators, Set, JSON or String methods', async () => {
    const { bridge, calls } = recordingBridge();
    const outcome = await run(
      pool,
      `const broken = () => { throw new Error('hijacked'); };
      Reflect.apply = broken; Reflect.ownKeys = () => []; Reflect.construct = broken;
      Function.prototype.apply = broken; Function.prototype.call = broken;
      Object.getPrototypeOf([][Symbol.iterator]()).next = broken;
      Array.prototype[Symbol.iterator] = broken;
      Set.prototype.has = () => false; Set.prototype.add = broken; Set.prototype.delete = broken;
      JSON.stringify = () => '"forged"'; JSON.parse = () => ({ ok: true, value: 'forged' });
      String.prototype.slice = broken; Object.defineProperty = broken; Object.getOwnPropertyDescriptor = broken;
      Array.prototype.toJSON = () => 'forged'; Object.prototype.toJSON = () => 'forged';
      const echoed = await warden.tool('erp.lookup', { ids: [1, 2], note: 'n' });
      return { echoed, list: [1, { a: 'b' }] };`,
      { bridge },
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toEqual({ echoed: { echoed: { ids: [1, 2], note: 'n' } }, list: [1, { a: 'b' }] });
    expect(calls).toEqual([['tool', 'erp.lookup', { ids: [1, 2], note: 'n' }]]);
  });

  it('still refuses a result that is not plain data after patching what the check uses', async () => {
    const outcome = await run(
      pool,
      `Reflect.apply = () => false; Set.prototype.has = () => false; Object.getPrototypeOf = () => Object.prototype;
      const cycle = { a: 1 }; cycle.self = cycle;
      return cycle;`,
    );
    expect(outcome.error?.code).toBe('E_SANDBOX_RESULT');
    expect(outcome.error?.message).toContain('result.self is a cycle');
  });

  it('cannot make an array element answer from a getter on Array.prototype', async () => {
    const outcome = await run(
      pool,
      `Object.defineProperty(Array.prototype, '0', { get() { return 'x'.repeat(5e8); }, configurable: true });
      return [, 'second'];`,
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual([null, 'second']);
  });

  it('refuses a proxy made through Proxy.revocable, and a Proxy constructor put back', async () => {
    const revocable = await run(pool, 'return Proxy.revocable({ a: 1 }, {}).proxy;');
    expect(revocable.error?.code).toBe('E_SANDBOX_RESULT');
    expect(revocable.error?.message).toContain('is a Proxy');
    const nested = await run(pool, 'globalThis.Proxy = Proxy; return { inner: [new globalThis.Proxy({}, {})] };');
    expect(nested.error?.message).toContain('result.inner[0] is a Proxy');
  });
});
