/**
 * `node --import tsx test/bench/append-runs.ts DATA_DIR RATE`: appends whole runs (`benchRun`)
 * to the ledger of DATA_DIR at RATE events a second, as a second process on the same folder
 * would, until SIGTERM; then prints how many it appended and exits. A step takes at most a
 * second's events, so a machine that cannot keep up falls behind rather than building ever
 * larger batches.
 */
import { Ledger } from '../../src/main/ledger/index.js';
import type { NewEvent } from '../../src/shared/events.js';
import { benchRun } from './bench-ledger.js';

const [dir, rateText] = process.argv.slice(2);
const rate = Number(rateText);
if (!dir || !Number.isFinite(rate) || rate <= 0) {
  console.error('usage: append-runs.ts DATA_DIR EVENTS_PER_SECOND');
  process.exit(2);
}
const ledger = Ledger.open(dir);
const started = performance.now();
let written = 0;
let n = 0;
let stopped = false;
process.once('SIGTERM', () => (stopped = true));
while (!stopped) {
  const due = Math.min(Math.floor(((performance.now() - started) / 1000) * rate), written + rate);
  const batch: NewEvent[] = [];
  while (written + batch.length < due) batch.push(...benchRun(++n, `live-${n}`));
  if (batch.length) {
    await ledger.appendMany(batch);
    written += batch.length;
  }
  await new Promise((r) => setTimeout(r, 20));
}
ledger.close();
console.log(JSON.stringify({ written, seconds: (performance.now() - started) / 1000 }));
