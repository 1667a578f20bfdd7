/**
 * `npm run bench [-- ledger|sandbox|runtime|console|kpis|proofs|audit|models|runs|queries|content|console1m]`: measures and prints. Never asserts a timing; the
 * targets are printed beside the figures for a person to compare.
 */
import { cpus, totalmem } from 'node:os';
import { ledgerBenchmarks } from './ledger.bench.js';
import { sandboxBenchmarks } from './sandbox.bench.js';
import { runtimeBenchmarks } from './runtime.bench.js';
import { consoleBenchmarks } from './console.bench.js';
import { kpiBenchmarks } from './kpis.bench.js';
import { auditBenchmarks } from './audit.bench.js';
import { proofBenchmarks } from './proofs.bench.js';
import { modelBenchmarks } from './models.bench.js';
import { runListBenchmarks } from './runs.bench.js';
import { contentBenchmarks } from './content.bench.js';
import { queryBenchmarks } from './queries.bench.js';
import { console1mBenchmarks } from './console1m.bench.js';

const suites: Record<string, () => Promise<void>> = {
  sandbox: sandboxBenchmarks,
  ledger: ledgerBenchmarks,
  runtime: runtimeBenchmarks,
  console: consoleBenchmarks,
  kpis: kpiBenchmarks,
  proofs: proofBenchmarks,
  audit: auditBenchmarks,
  models: modelBenchmarks,
  runs: runListBenchmarks,
  content: contentBenchmarks,
  queries: queryBenchmarks,
  console1m: console1mBenchmarks,
};
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!suites[name]) {
    console.error(`bench: unknown suite "${name}"; choose from ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
}
console.log(
  `Warden benchmarks on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  await run();
}
