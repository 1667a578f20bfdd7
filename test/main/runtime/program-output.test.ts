import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarden, type Warden } from '../../../src/main/host/warden.js';
import { LEDGER_VALUE_CHARS } from '../../../src/main/ledger/bounded.js';
import { Runtime } from '../../../src/main/runtime/runtime.js';
import { SandboxPool } from '../../../src/main/sandbox/pool.js';
import { tempDir } from '../../helpers/temp.js';

// Two program agents added to a copy of the demo roster: one that returns a large output, one
// that holds more memory than its worker's ceiling while its own cap would allow it.
const AGENTS: Record<string, { limits: string; program: string }> = {
  bulky: {
    limits: 'memoryMb: 64',
    program:
      "export default async (task) => ({ rows: Array.from({ length: task.n }, (_, i) => 'row ' + i + ' '.repeat(90)) });",
  },
  hog: {
    limits: 'memoryMb: 1024\n  cpuMs: 60000\n  wallMs: 120000',
    program:
      'export default async () => { const held = []; for (let i = 0; i < 400; i++) held.push(new Uint8Array(1 << 20).fill(i)); await new Promise(() => {}); };',
  },
};

let cleanup: () => void;
let warden: Warden;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  const roster = join(dir, 'roster');
  cpSync('resources/demo', roster, { recursive: true });
  for (const [id, agent] of Object.entries(AGENTS)) {
    writeFileSync(
      join(roster, 'agents', `${id}.yaml`),
      `id: ${id}\nname: ${id}\nrole: test program\ntier: ingestion\nbusinessUnit: operations\nowner: ops@acme-supplies.example\nlifecycle: pilot\nlimits:\n  ${agent.limits}\n`,
    );
    writeFileSync(join(roster, 'agents', `${id}.js`), agent.program);
  }
  warden = await openWarden({ rosterDir: roster, dataDir: join(dir, 'data'), pollMs: 20 });
});
afterAll(async () => {
  await warden.close();
  cleanup();
});

function finished(runId: string) {
  const events = [...warden.ledger.reader.each({ runId, type: 'run.finished' })];
  expect(events).toHaveLength(1);
  return events[0]!;
}

describe("a program's output in the ledger", () => {
  it('is cut with a marker when too large for one event; the caller gets it whole', async () => {
    const result = await warden.runtime.run('bulky', { n: 10_000 });
    expect(result.status).toBe('ok');
    expect((result.output as { rows: string[] }).rows).toHaveLength(10_000);
    const event = finished(result.runId);
    const payload = event.payload as { output: unknown; truncated?: boolean };
    expect(payload.truncated).toBe(true);
    expect(typeof payload.output).toBe('string');
    expect((payload.output as string).length).toBe(LEDGER_VALUE_CHARS + 1);
    // The output was a megabyte of JSON; the event holds its first 64 KiB (escaped once more).
    expect(JSON.stringify(result.output).length).toBeGreaterThan(1_000_000);
    expect(JSON.stringify(payload).length).toBeLessThan(2 * LEDGER_VALUE_CHARS);
    expect(event.v).toBe(3);
  });

  it('is kept whole while it fits', async () => {
    const result = await warden.runtime.run('bulky', { n: 3 });
    const payload = finished(result.runId).payload as { output: unknown; truncated?: boolean };
    expect(payload.output).toEqual(result.output);
    expect(payload.truncated).toBeUndefined();
  });
});

describe("a worker over its memory ceiling, in the runtime's record", () => {
  it('ends the run with status limit and a sandbox.limit event at memory', { timeout: 120_000 }, async () => {
    const sandbox = new SandboxPool({ size: 1, workerMemoryMb: 256 });
    try {
      const runtime = await Runtime.open({
        roster: warden.roster,
        ledger: warden.ledger,
        approvals: warden.approvals,
        sandbox,
        mcp: warden.mcp,
        model: warden.models,
      });
      const result = await runtime.run('hog', {});
      expect(result.status).toBe('limit');
      expect(result.error?.code).toBe('E_SANDBOX_MEMORY');
      const limits = [...warden.ledger.reader.each({ runId: result.runId, type: 'sandbox.limit' })];
      expect(limits.map((e) => (e.payload as { limit: string }).limit)).toEqual(['memory']);
      expect(finished(result.runId).payload).toMatchObject({ status: 'limit', error: { code: 'E_SANDBOX_MEMORY' } });
    } finally {
      await sandbox.close();
    }
  });
});
