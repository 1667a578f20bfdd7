import { WardenError } from '../../../shared/errors.js';
import type { ExportFilters } from '../../../shared/export.js';
import { inclusionProof, signCheckpoint, signedCheckpoint } from '../../audit/checkpoints.js';
import { writeReport } from '../../audit/report/index.js';
import type { Handlers, HostParts } from './methods.js';
import { runWorker } from '../../ledger/verify-parallel.js';
import type { ExportTask } from '../../ledger/export-worker.js';

/** What the console exports: the ledger as JSONL or CSV, or a report as HTML or PDF. */
export type ExportFormatName = 'jsonl' | 'csv' | 'html' | 'pdf';
/** The formats, for checking what arrives from a browser or the renderer. */
export const EXPORT_FORMATS: readonly ExportFormatName[] = ['jsonl', 'csv', 'html', 'pdf'];

/** The ledger and its audit: pages of events, the chain's check, signed checkpoints, inclusion proofs. */
export function ledgerHandlers({
  warden,
  sign,
}: HostParts): Pick<
  Handlers,
  'ledger.page' | 'ledger.facets' | 'ledger.seqAt' | 'ledger.verify' | 'ledger.checkpoint' | 'ledger.proof'
> {
  const { ledger } = warden;
  return {
    'ledger.page': (query) => ledger.reader.page(query),
    'ledger.facets': () => ledger.reader.facets(),
    'ledger.seqAt': ({ ts }) => ({ seq: ledger.reader.firstSeqAtOrAfter(ts) }),
    'ledger.verify': async () => {
      // The whole chain: walked off this thread, so the server answers other requests meanwhile.
      const report = await ledger.verifyInWorker();
      return { ok: report.ok, checked: report.checked, head: report.head, firstBreak: report.firstBreak };
    },
    'ledger.checkpoint': ({ sign: fresh }) => {
      const latest = ledger.latestCheckpoint();
      const size = ledger.reader.head()?.seq ?? 0;
      if (latest && (latest.size === size || !fresh)) return latest;
      return signedCheckpoint(ledger, sign);
    },
    'ledger.proof': ({ seq }) => {
      const event = ledger.reader.get(seq);
      if (!event) throw new WardenError('E_USAGE', `the ledger has no event ${seq}`);
      const latest = ledger.latestCheckpoint();
      const checkpoint = latest && latest.size >= seq ? latest : signedCheckpoint(ledger, sign);
      return inclusionProof(ledger, event, checkpoint);
    },
  };
}

/**
 * Writes an export of the ledger to a file: JSONL (signed, verifiable on its own), CSV, or an
 * HTML or PDF report anchored to a checkpoint signed now (reports take from, to, agent).
 * Resolves with every file written: `file`, then the JSONL exports a report over a large
 * period writes beside it for its events.
 */
export async function exportLedger(
  { warden, sign }: HostParts,
  file: string,
  format: ExportFormatName,
  filters: ExportFilters,
): Promise<string[]> {
  const { ledger, roster } = warden;
  const signHead = (head: { size: number; rootHash: string }) => signCheckpoint(ledger, head, sign);
  if (format === 'jsonl' || format === 'csv') {
    // Signed here (the key stays on this thread), written in a worker: millions of events take
    // seconds, and the server goes on answering meanwhile. The export holds what was signed.
    const task: ExportTask = {
      dataDir: ledger.dataDir,
      file,
      format,
      filters,
      checkpoint: signedCheckpoint(ledger, sign),
    };
    await runWorker('export-worker', task);
    return [file];
  }
  if (filters.runId || filters.type)
    throw new WardenError('E_USAGE', 'a report covers a period and an agent; run and type filters do not apply');
  const report = await writeReport(ledger, file, format, {
    filters: {
      ...(filters.from ? { from: filters.from } : {}),
      ...(filters.to ? { to: filters.to } : {}),
      ...(filters.agentId ? { agentId: filters.agentId } : {}),
    },
    checkpoint: signedCheckpoint(ledger, sign),
    roster,
    sign: signHead,
  });
  return [file, ...(report.appendix.kind === 'exports' ? report.appendix.files.map((f) => f.path) : [])];
}
