import packageJson from '../../../package.json' with { type: 'json' };
import type { ExportFilters } from '../../shared/export.js';
import type { Ledger } from '../ledger/index.js';
import type { LedgerReader } from '../ledger/read.js';
import { writeLinesAtomically } from '../ledger/export-lines.js';
import { buildTrace } from './build.js';
import { spanCount, traceToOtlp, type OtlpSource } from './otlp.js';

/** Which traces an OTLP export takes: one run's, or the root runs of an agent or a period. */
export type OtlpFilters = Pick<ExportFilters, 'from' | 'to' | 'agentId' | 'runId'>;

/** What an OTLP export wrote. */
export interface OtlpExportSummary {
  file: string;
  format: 'otlp';
  /** Lines written: one trace each. */
  traces: number;
  spans: number;
  /** The ledger's head when the export began; runs started after it are left for the next. */
  chainHead: { seq: number; hash: string } | null;
}

/** Runs read from `run_facts` per page. */
const PAGE = 200;

/**
 * Writes the ledger's runs as OTLP/JSON traces, one `ExportTraceServiceRequest` a line (as
 * OpenTelemetry's file exporter writes them). Each root run is a trace, its handoffs' child runs
 * nested in it; `runId` exports that run's trace whatever it is. The runs come newest first from
 * the run list's pages, and one trace is built, written and let go at a time, so a ledger of any
 * size exports in the memory of its largest trace.
 */
export async function exportOtlp(ledger: Ledger, file: string, filters: OtlpFilters): Promise<OtlpExportSummary> {
  const chainHead = ledger.reader.head();
  const source: OtlpSource = { version: packageJson.version, ...origin(ledger) };
  let spans = 0;
  function* lines(): Generator<string> {
    for (const runId of filters.runId ? [filters.runId] : rootRuns(ledger, filters, chainHead?.seq ?? 0)) {
      const trace = buildTrace(ledger.reader, runId);
      if (!trace) continue;
      const request = traceToOtlp(trace, source);
      spans += spanCount(request);
      yield JSON.stringify(request);
    }
  }
  const traces = await writeLinesAtomically(file, lines());
  return { file, format: 'otlp', traces, spans, chainHead };
}

/**
 * The runs that start a trace (no parent run), started within the period and by the agent,
 * newest first, read a page of `run_facts` at a time by the seq of their start, up to `head`.
 */
function* rootRuns(ledger: Ledger, filters: OtlpFilters, head: number): Generator<string> {
  const lower = filters.from === undefined ? 0 : firstSeqAtOrAfter(ledger.reader, filters.from);
  if (lower === null) return;
  const upper = filters.to === undefined ? null : firstSeqAtOrAfter(ledger.reader, filters.to);
  let before = Math.min(head + 1, upper ?? head + 1);
  for (;;) {
    const page = ledger.runs.page({
      beforeSeq: before,
      limit: PAGE,
      ...(filters.agentId !== undefined ? { agentId: filters.agentId } : {}),
    });
    for (const run of page.slice(0, PAGE)) {
      if (run.startedSeq < lower) return;
      if (run.parentRunId === null) yield run.runId;
    }
    if (page.length <= PAGE) return;
    before = page[PAGE - 1]!.startedSeq;
  }
}

/** The seq of the first event at or after a time, or null when none is that late. */
function firstSeqAtOrAfter(reader: LedgerReader, ts: string): number | null {
  return reader.page({ from: ts, limit: 1 }).events[0]?.seq ?? null;
}

/** The data folder's id, for the resource (a ledger older than signed checkpoints has none). */
function origin(ledger: Ledger): { origin?: string } {
  try {
    return { origin: ledger.origin };
  } catch {
    return {};
  }
}
