import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { canonicalJson } from '../../shared/json.js';
import { FileError } from '../../shared/errors.js';
import { ExportHeaderSchema, type ExportHeader } from '../../shared/export.js';
import { LedgerEventSchema } from '../../shared/events.js';
import { canonicalEventBody } from './hash.js';
import { verifyChain, type ChainRow, type VerifyReport } from './verify.js';

/** What verifying an export file found, with the header it claimed. */
export interface FileVerifyReport extends VerifyReport {
  header: ExportHeader;
}

/**
 * Verifies a JSONL export on its own, with no database: every event's hash is recomputed,
 * every link between consecutive events is checked, and the header's count and chain head
 * must agree with the events. A filtered export leaves events out, so links across a gap
 * cannot be checked: each event still proves its own contents, the gaps are counted and
 * reported, and a whole-ledger export (no filters) may have no gap at all.
 */
export function verifyExportFile(file: string): FileVerifyReport {
  const lines = readLines(file);
  const first = lines.next();
  if (first.done) throw new FileError(`${file} is empty: not a Warden ledger export`, 'E_EXPORT_INVALID');
  const header = parseHeader(file, first.value);
  const whole = Object.keys(header.filters).length === 0;

  let malformed: { line: number; seq: number; message: string } | null = null;
  let lastSeq = 0;
  let count = 0;
  function* rows(): Generator<ChainRow> {
    let lineNo = 1;
    for (const line of lines) {
      lineNo += 1;
      if (line === '') continue;
      let parsed;
      try {
        parsed = LedgerEventSchema.safeParse(JSON.parse(line));
      } catch (error) {
        malformed = {
          line: lineNo,
          seq: lastSeq + 1,
          message: `line ${lineNo} is not JSON: ${(error as Error).message}`,
        };
        return;
      }
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        malformed = {
          line: lineNo,
          seq: lastSeq + 1,
          message: `line ${lineNo}: ${issue.path.join('.') || 'event'}: ${issue.message}`,
        };
        return;
      }
      const e = parsed.data;
      lastSeq = e.seq;
      count += 1;
      yield [e.seq, e.prevHash, e.hash, e.prevHash + canonicalEventBody(e, canonicalJson(e.payload))];
    }
  }

  const report = verifyChain(rows(), { contiguous: whole });
  if (!report.ok) return { ...report, header };
  const fail = (seq: number, message: string): FileVerifyReport => ({
    ...report,
    ok: false,
    firstBreak: { seq, reason: 'malformed', message },
    header,
  });
  const bad = malformed as { seq: number; message: string } | null;
  if (bad) return fail(bad.seq, bad.message);
  if (count !== header.count) {
    return fail(
      lastSeq + 1,
      `the header promises ${header.count} events but the file holds ${count}: events were removed or added`,
    );
  }
  const head = header.chainHead;
  if (head && report.head) {
    if (report.head.seq === head.seq && report.head.hash !== head.hash) {
      return fail(head.seq, `the last event's hash does not match the header's chain head`);
    }
    if (whole && report.head.seq !== head.seq) {
      return fail(
        report.head.seq + 1,
        `the export ends at seq ${report.head.seq} but the header's chain head is seq ${head.seq}: events were cut off`,
      );
    }
  }
  return { ...report, header };
}

function parseHeader(file: string, line: string): ExportHeader {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new FileError(`${file} is not a Warden ledger export (its first line is not JSON)`, 'E_EXPORT_INVALID');
  }
  const parsed = ExportHeaderSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FileError(
      `${file} is not a Warden ledger export: header ${issue.path.join('.') || ''}: ${issue.message}`.replace(
        ' :',
        ':',
      ),
      'E_EXPORT_INVALID',
    );
  }
  return parsed.data;
}

/** Reads a file line by line, synchronously, without holding it all in memory. */
function* readLines(file: string): Generator<string> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new FileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const buffer = Buffer.alloc(1 << 20);
    const decoder = new StringDecoder('utf8');
    let carry = '';
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const text = carry + decoder.write(buffer.subarray(0, n));
      const parts = text.split('\n');
      carry = parts.pop()!;
      for (const part of parts) yield part.endsWith('\r') ? part.slice(0, -1) : part;
    }
    if (carry !== '') yield carry;
  } finally {
    closeSync(fd);
  }
}
