import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signCheckpoint } from '../../src/main/audit/checkpoints.js';
import { Ledger, verifyExportFile } from '../../src/main/ledger/index.js';
import { proofProblem } from '../../src/main/ledger/checkpoint.js';
import type { NewEvent } from '../../src/shared/events.js';
import { median, report } from './stats.js';

/**
 * The audit trail at scale: a ledger of 1,000,000 events (with its Merkle tree kept on every
 * append), a signed whole-ledger export of it, that export verified offline (chain, signature
 * and Merkle root), and inclusion proofs made and checked.
 */
export async function proofBenchmarks(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-proofs-'));
  const ledger = Ledger.open(join(dir, 'data'));
  const total = 1_000_000;
  const built = performance.now();
  for (let i = 0; i < total; i += 10_000) {
    await ledger.appendMany(
      Array.from({ length: 10_000 }, (_, k): NewEvent => ({
        type: 'run.log',
        runId: `run-${Math.floor((i + k) / 20)}`,
        agentId: `agent-${(i + k) % 8}`,
        payload: { level: 'info', message: `event ${i + k} of the bench` },
      })),
    );
  }
  report(
    'ledger build with its Merkle tree, 1,000,000 events',
    total / ((performance.now() - built) / 1000),
    'events/s',
    '-',
  );

  const file = join(dir, 'ledger.jsonl');
  const exported = performance.now();
  ledger.export(file, 'jsonl', {}, { sign: (head) => signCheckpoint(ledger, head) });
  report('signed JSONL export of 1,000,000 events', (performance.now() - exported) / 1000, 's', '-');
  report('  file size', statSync(file).size / 2 ** 20, 'MiB', '-');

  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const result = verifyExportFile(file);
    times.push(performance.now() - t);
    if (!result.ok || result.checkpoint !== 'verified') throw new Error('an untouched export did not verify');
  }
  report('verify the export offline (chain, signature, Merkle root), median of 3', median(times) / 1000, 's', '-');
  report('  same, events per second', total / (median(times) / 1000), 'events/s', '-');

  const checkpoint = ledger.latestCheckpoint()!;
  const prove: number[] = [];
  const check: number[] = [];
  for (let r = 0; r < 200; r++) {
    const seq = 1 + ((r * 4_999) % total);
    let t = performance.now();
    const proof = {
      kind: 'warden.ledger.inclusion-proof' as const,
      formatVersion: 1 as const,
      event: ledger.reader.get(seq)!,
      leafIndex: seq - 1,
      path: ledger.tree.inclusionProof(seq - 1, checkpoint.size).map((h) => h.toString('hex')),
      checkpoint,
    };
    prove.push(performance.now() - t);
    t = performance.now();
    if (proofProblem(proof) !== null) throw new Error(`the proof of ${seq} did not verify`);
    check.push(performance.now() - t);
  }
  report('inclusion proof in a tree of 1,000,000, make, p50', median(prove), 'ms', '-');
  report('inclusion proof, verify (signature included), p50', median(check), 'ms', '-');
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
}
