import type Database from 'better-sqlite3';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import {
  CONTENT_DESCRIPTION,
  EXPORT_FORMAT_VERSION,
  HASH_INPUT_DESCRIPTION,
  type ExportFilters,
  type ExportHeader,
} from '../../shared/export.js';
import { LedgerReader, type EventRow } from './read.js';
import { StoredTree } from './tree.js';
import { contentLine, namedContent } from './export-content.js';
import { MERKLE_DESCRIPTION, type SignedCheckpoint } from '../../shared/audit.js';

/** Export formats this module writes. */
export type ExportFormat = 'jsonl' | 'csv';

/** What an export wrote. */
export interface ExportSummary {
  file: string;
  format: ExportFormat;
  count: number;
  chainHead: { seq: number; hash: string } | null;
  /** The signed checkpoint in a JSONL export's header. */
  checkpoint: SignedCheckpoint | null;
}

/** How to export: a signer for the checkpoint a JSONL export carries, and the time to state. */
export interface ExportOptions {
  /** Signs the ledger's head as the export's snapshot sees it; without one, a JSONL export is format 1, unsigned. */
  sign?: (head: { size: number; rootHash: string }) => SignedCheckpoint;
  now?: Date;
  /**
   * A checkpoint signed before the export began (by the thread that holds the key): the export
   * then holds exactly the events it covers, whatever was appended since, and carries it.
   */
  checkpoint?: SignedCheckpoint;
}

const CSV_HEADER = 'seq,ts,run_id,agent_id,type,v,payload,prev_hash,hash';

/**
 * Writes the events that match the filters to a file, inside one read transaction so the
 * header's count and chain head describe exactly the events below them even while other
 * processes append. Writes to a temporary file and renames it, so a failed export leaves
 * no half-written file behind under the name the user asked for.
 */
export function exportLedger(
  db: Database.Database,
  file: string,
  format: ExportFormat,
  filters: ExportFilters,
  options: ExportOptions = {},
): ExportSummary {
  const now = options.now ?? new Date();
  const reader = new LedgerReader(db);
  const temp = `${file}.partial-${process.pid}`;
  const out = new BufferedFile(temp);
  let summary: ExportSummary;
  let checkpoint: SignedCheckpoint | null = null;
  db.exec('BEGIN');
  try {
    const signed = options.checkpoint;
    // Bounded to a given checkpoint's events; else the head this snapshot sees.
    const scoped: ExportFilters & { beforeSeq?: number } = signed
      ? { ...filters, beforeSeq: signed.size + 1 }
      : filters;
    const bound = signed ? reader.get(signed.size) : null;
    const chainHead = signed ? (bound ? { seq: bound.seq, hash: bound.hash } : null) : reader.head();
    const count = reader.count(scoped);
    if (format === 'jsonl') {
      // The checkpoint covers the whole ledger as this snapshot sees it, whatever the filters.
      if (signed) checkpoint = signed;
      else if (options.sign) {
        const size = chainHead?.seq ?? 0;
        checkpoint = options.sign({ size, rootHash: new StoredTree(db).root(size).toString('hex') });
      }
      const content = [...namedContent(reader, scoped)].filter((sha) => reader.contents.holds(sha));
      const header: ExportHeader = {
        kind: 'warden.ledger.export',
        formatVersion: EXPORT_FORMAT_VERSION,
        exportedAt: now.toISOString(),
        hash: { algorithm: 'sha256', input: HASH_INPUT_DESCRIPTION },
        chainHead,
        count,
        filters: definedOnly(filters),
        merkle: { ...MERKLE_DESCRIPTION },
        ...(checkpoint ? { checkpoint } : {}),
        content: { ...CONTENT_DESCRIPTION, count: content.length },
      };
      out.write(`${JSON.stringify(header)}\n`);
      for (const row of reader.iterateRows(scoped)) out.write(`${jsonlLine(row)}\n`);
      // Then the content the events name, each piece once.
      for (const sha of content) out.write(`${contentLine(reader.contents, sha)}\n`);
    } else {
      out.write(`${CSV_HEADER}\r\n`);
      for (const row of reader.iterateRows(scoped)) out.write(`${row.map(csvField).join(',')}\r\n`);
    }
    out.close();
    renameSync(temp, file);
    summary = { file, format, count, chainHead, checkpoint };
  } catch (error) {
    out.close();
    rmSync(temp, { force: true });
    throw error;
  } finally {
    db.exec('COMMIT');
  }
  return summary;
}

/** One event as a JSONL line; the payload is embedded as stored (already canonical JSON). */
function jsonlLine(row: EventRow): string {
  const [seq, ts, runId, agentId, type, v, payload, prevHash, hash] = row;
  return (
    `{"seq":${seq},"ts":${JSON.stringify(ts)},"runId":${JSON.stringify(runId)},"agentId":${JSON.stringify(agentId)}` +
    `,"type":${JSON.stringify(type)},"v":${v},"payload":${payload},"prevHash":"${prevHash}","hash":"${hash}"}`
  );
}

/** RFC 4180: quote a field that holds a comma, a quote or a line break; double its quotes. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function definedOnly(filters: ExportFilters): ExportFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as ExportFilters;
}

/** Synchronous writes in 1 MiB chunks: an export of millions of lines without a syscall per line. */
class BufferedFile {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;
  private open = true;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.drain();
  }

  close(): void {
    if (!this.open) return;
    this.drain();
    closeSync(this.fd);
    this.open = false;
  }

  private drain(): void {
    if (this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }
}
