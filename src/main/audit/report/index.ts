import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SignedCheckpoint } from '../../../shared/audit.js';
import type { ExportFilters } from '../../../shared/export.js';
import type { Ledger } from '../../ledger/index.js';
import type { Roster } from '../../roster/load.js';
import { when } from './format.js';
import { buildReport, type ReportFilters } from './read/data.js';
import { renderHtml } from './draw/html.js';
import type { AppendixExport, ReportModel } from './model.js';
import { outline } from './outline/outline.js';
import { renderPdf } from './draw/pdf.js';

/** The formats a report is written in. */
export type ReportFormat = 'html' | 'pdf';

/** How a report is made. */
export interface WriteReportOptions {
  filters: ReportFilters;
  /** The signed checkpoint the report states on its cover and reads up to. */
  checkpoint: SignedCheckpoint;
  /** The roster: organisation, current manifests, budgets. */
  roster?: Roster;
  /** The generation time (default now). */
  now?: Date;
  /** Signs the checkpoint a JSONL appendix export carries (see Ledger.export); unsigned without. */
  sign?: (head: { size: number; rootHash: string }) => SignedCheckpoint;
  /** More events in scope than this, and the appendix is a JSONL export (default 5,000). */
  appendixLimit?: number;
  /** Rows per section at most (default 2,000). */
  rowLimit?: number;
}

/** What a report wrote. */
export interface ReportSummary {
  file: string;
  format: ReportFormat;
  /** Events in scope, up to the checkpoint. */
  events: number;
  /** Pages of a PDF; null for HTML (the browser paginates it). */
  pages: number | null;
  bytes: number;
  sha256: string;
  checkpoint: { size: number; rootHash: string; keyFingerprint: string };
  /** The appendix lists the events, or names the JSONL exports written beside the report (full paths). */
  appendix: { kind: 'inline'; events: number } | { kind: 'exports'; files: (AppendixExport & { path: string })[] };
}

/**
 * Writes a ledger report for auditors, insurers and a board: cover with the checkpoint,
 * summary and KPIs, agents and their manifests and prompts, approvals and drafts, controls
 * that fired, eval results, and the events (or, for a large period, the JSONL exports beside
 * the report that hold them: `F.events.jsonl`, or one `F.events.<agent>.jsonl` per agent of a
 * unit). Written to a temporary file and renamed, so a failure leaves no half-written report.
 */
export async function writeReport(
  ledger: Ledger,
  file: string,
  format: ReportFormat,
  options: WriteReportOptions,
): Promise<ReportSummary> {
  let model = buildReport(ledger, options);
  const written: string[] = [];
  const temp = `${file}.partial-${process.pid}`;
  try {
    let exports: (AppendixExport & { path: string })[] = [];
    if (model.appendix.kind === 'exports') {
      exports = appendixExports(ledger, file, model, options, written);
      model = { ...model, appendix: { ...model.appendix, exports } };
    }
    const doc = outline(model);
    let bytes: Buffer;
    let pages: number | null = null;
    if (format === 'html') bytes = Buffer.from(renderHtml(doc), 'utf8');
    else {
      const frame = {
        header: `${model.organisation} · ${when(model.period.from)} to ${when(model.period.to)}`,
        footer: `Checkpoint: ${model.checkpoint.size} events, root ${model.checkpoint.rootHash.slice(0, 16)}… · generated ${when(model.generatedAt)}`,
      };
      const rendered = await renderPdf(doc, frame);
      bytes = rendered.pdf;
      pages = rendered.pages;
    }
    writeFileSync(temp, bytes);
    renameSync(temp, file);
    return {
      file,
      format,
      events: model.eventCount,
      pages,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      checkpoint: {
        size: model.checkpoint.size,
        rootHash: model.checkpoint.rootHash,
        keyFingerprint: model.checkpoint.keyFingerprint,
      },
      appendix:
        model.appendix.kind === 'inline'
          ? { kind: 'inline', events: model.appendix.rows.length }
          : { kind: 'exports', files: exports },
    };
  } catch (error) {
    rmSync(temp, { force: true });
    for (const path of written) rmSync(path, { force: true });
    throw error;
  }
}

/** The name of the JSONL export beside a report: `F.events.jsonl`, or `F.events.<agent>.jsonl` for one of a unit's agents. */
export function appendixFile(report: string, agentId?: string): string {
  return agentId === undefined ? `${report}.events.jsonl` : `${report}.events.${agentId}.jsonl`;
}

/** Writes the period's events in scope to JSONL exports beside the report: one, or one per agent of a unit. */
function appendixExports(
  ledger: Ledger,
  report: string,
  model: ReportModel,
  options: WriteReportOptions,
  written: string[],
): (AppendixExport & { path: string })[] {
  const { from, to, agentId, unit } = options.filters;
  // A unit's agents each get their own: an export's filters name one agent at most.
  const targets: (string | undefined)[] = unit === undefined ? [agentId] : (model.scopeAgents ?? []);
  return targets.map((target) => {
    const path = appendixFile(report, unit === undefined ? undefined : target);
    const filters: ExportFilters = Object.fromEntries(
      Object.entries({ from, to, agentId: target }).filter(([, v]) => v !== undefined),
    );
    const summary = ledger.export(path, 'jsonl', filters, {
      ...(options.sign ? { sign: options.sign } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    written.push(path);
    const bytes = readFileSync(path);
    return {
      path,
      file: basename(path),
      agentId: target ?? null,
      count: summary.count,
      chainHead: summary.chainHead,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
    };
  });
}
