import { describe, expect, it } from 'vitest';
import { expectPoolHealthy, run, runMeasured, warmPool } from './helpers.js';

// isolated-vm's memory cap does not count the pages a resizable ArrayBuffer or a growable
// SharedArrayBuffer commits (measured: 1 GiB under a 64 MB cap, status ok). The prelude
// fences both before the program runs; fixed-length buffers, which the cap counts, still work.

const pool = warmPool();
const GIB = 2 ** 30;

describe('memory the cap cannot count', { timeout: 90_000 }, () => {
  const escapes: [string, string][] = [
    [
      'a resizable ArrayBuffer grown to 1 GiB',
      `const b = new ArrayBuffer(0, { maxByteLength: ${GIB} }); b.resize(${GIB});`,
    ],
    ['a resizable ArrayBuffer made at 1 GiB', `const b = new ArrayBuffer(${GIB}, { maxByteLength: ${GIB} });`],
    [
      'a growable SharedArrayBuffer grown to 1 GiB',
      `const b = new SharedArrayBuffer(0, { maxByteLength: ${GIB} }); b.grow(${GIB});`,
    ],
    [
      'the constructor found through a typed array',
      `const Ctor = new Uint8Array(8).buffer.constructor; const b = new Ctor(0, { maxByteLength: ${GIB} }); b.resize(${GIB});`,
    ],
  ];

  it.each(escapes)('refuses %s under a 64 MB cap', async (_what, body) => {
    const outcome = await runMeasured(`${body}\nnew Uint8Array(b).fill(1); return b.byteLength;`, {
      caps: { memoryMb: 64 },
    });
    expect(outcome.status).toBe('error');
    expect(outcome.error?.message).toMatch(/resizable (Shared)?ArrayBuffer \(maxByteLength\) is not available/);
    expect(outcome.result).toBeUndefined();
    expect(outcome.peakMb).toBeLessThan(512);
  });

  it('reads maxByteLength once, so a getter cannot slip a size past the check', async () => {
    const outcome = await run(
      pool,
      `let reads = 0;
      const options = { get maxByteLength() { reads += 1; return reads === 1 ? undefined : ${GIB}; } };
      const b = new ArrayBuffer(8, options);
      return { resizable: b.resizable, max: b.maxByteLength, reads, resize: typeof b.resize };`,
    );
    expect(outcome.result).toEqual({ resizable: false, max: 8, reads: 1, resize: 'undefined' });
  });

  it('leaves no resize or grow to call on any buffer', async () => {
    const outcome = await run(
      pool,
      'return [typeof ArrayBuffer.prototype.resize, typeof SharedArrayBuffer.prototype.grow, typeof new Uint8Array(4).buffer.resize];',
    );
    expect(outcome.result).toEqual(['undefined', 'undefined', 'undefined']);
  });

  it('keeps fixed-length buffers working, instanceof and subclasses included', async () => {
    const outcome = await run(
      pool,
      `class Tagged extends ArrayBuffer {}
      const t = new Tagged(4);
      const plain = new ArrayBuffer(16, {});
      const view = new Uint8Array(8);
      return {
        sizes: [plain.byteLength, t.byteLength, plain.slice(4).byteLength, new SharedArrayBuffer(8).byteLength],
        instances: [view.buffer instanceof ArrayBuffer, t instanceof Tagged, t instanceof ArrayBuffer, ArrayBuffer.isView(view)],
        name: ArrayBuffer.name,
        callable: (() => { try { ArrayBuffer(1); return 'called'; } catch (e) { return e instanceof TypeError; } })(),
      };`,
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual({
      sizes: [16, 4, 12, 8],
      instances: [true, true, true, true],
      name: 'ArrayBuffer',
      callable: true,
    });
    await expectPoolHealthy(pool);
  });
});
