import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { canonicalJson } from '../../shared/json.js';
import { FileError } from '../../shared/errors.js';
import { ExportHeaderSchema, signedCheckpointOf, type ExportHeader } from '../../shared/export.js';
import { ContentCheck, isContentLine, type ContentSummary } from './verify-content.js';
import { LedgerEventSchema } from '../../shared/events.js';
import { canonicalEventBody } from './hash.js';
import { checkpointProblem } from './checkpoint.js';
import { EMPTY_ROOT, Frontier, leafHash } from './merkle.js';
import { verifyChain, type ChainRow, type VerifyReport } from './verify.js';

/** What verifying an export file found, with the header it claimed. */
export interface FileVerifyReport extends VerifyReport {
  header: ExportHeader;
  /**
   * What was found of the signed checkpoint (format 2): `verified` (signature, and the tree
   * root recomputed from the events), `signature-only` (a filtered export cannot rebuild the
   * root), or `unsigned` (format 1).
   */
  checkpoint: 'verified' | 'signature-only' | 'unsigned';
  /** The Merkle root of the first `atSize` events, when asked for (to check an earlier checkpoint). */
  rootAt: { size: number; rootHash: string } | null;
  /** The content lines (format 3): bodies checked against their hashes, and those retention removed. */
  content: ContentSummary;
}

/** What else to check while reading the file. */
export interface FileVerifyOptions {
  /** Also compute the root of the first this-many events (a whole export only). */
  rootAtSize?: number;
  /** The fingerprint of the key the checkpoint must be signed with (from an earlier audit or report). */
  trustedKey?: string;
}

/**
 * Verifies a JSONL export on its own, with no database: every event's hash is recomputed,
 * every link between consecutive events is checked, and the header's count and chain head
 * must agree with the events. A filtered export leaves events out, so links across a gap
 * cannot be checked: each event still proves its own contents, the gaps are counted and
 * reported, and a whole-ledger export (no filters) may have no gap at all.
 */
export function verifyExportFile(file: string, options: FileVerifyOptions = {}): FileVerifyReport {
  const lines = readLines(file);
  const first = lines.next();
  if (first.done) throw new FileError(`${file} is empty: not a Warden ledger export`, 'E_EXPORT_INVALID');
  const header = parseHeader(file, first.value);
  const whole = Object.keys(header.filters).length === 0;

  // The tree is rebuilt leaf by leaf from a whole export; a filtered one has gaps.
  const tree = whole ? new Frontier() : null;
  let rootAt: FileVerifyReport['rootAt'] =
    options.rootAtSize === 0 ? { size: 0, rootHash: EMPTY_ROOT.toString('hex') } : null;
  let malformed: { line: number; seq: number; message: string } | null = null;
  let lastSeq = 0;
  let count = 0;
  const content = new ContentCheck();
  function* rows(): Generator<ChainRow> {
    let lineNo = 1;
    for (const line of lines) {
      lineNo += 1;
      if (line === '') continue;
      let parsed;
      try {
        const json: unknown = JSON.parse(line);
        if (isContentLine(json)) {
          const problem = content.line(json, lineNo);
          if (problem) {
            malformed = { line: lineNo, seq: lastSeq + 1, message: problem };
            return;
          }
          continue;
        }
        if (content.started) {
          malformed = { line: lineNo, seq: lastSeq + 1, message: `line ${lineNo}: an event after the content lines` };
          return;
        }
        parsed = LedgerEventSchema.safeParse(json);
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
      content.named(e);
      const body = canonicalEventBody(e, canonicalJson(e.payload));
      if (tree) {
        tree.push(leafHash(body));
        if (tree.size === options.rootAtSize) rootAt = { size: tree.size, rootHash: tree.root().toString('hex') };
      }
      yield [e.seq, e.prevHash, e.hash, e.prevHash + body];
    }
  }

  const chain = verifyChain(rows(), { contiguous: whole });
  const signed = signedCheckpointOf(header);
  const report = {
    ...chain,
    header,
    content: content.summary(),
    checkpoint: (signed ? (whole ? 'verified' : 'signature-only') : 'unsigned') as FileVerifyReport['checkpoint'],
    rootAt,
  };
  if (!chain.ok) return report;
  const fail = (seq: number, message: string): FileVerifyReport => ({
    ...report,
    ok: false,
    firstBreak: { seq, reason: 'malformed', message },
  });
  const bad = malformed as { seq: number; message: string } | null;
  if (bad) return fail(bad.seq, bad.message);
  if (count !== header.count) {
    return fail(
      lastSeq + 1,
      `the header promises ${header.count} events but the file holds ${count}: events were removed or added`,
    );
  }
  const lacking = content.problem(header.formatVersion === 3 ? header.content.count : null);
  if (lacking) return fail(lacking.seq, lacking.message);
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
  if (signed) {
    const problem = checkpointProblem(signed, options.trustedKey);
    if (problem) return fail(signed.size, problem);
    if (head && signed.size !== head.seq)
      return fail(
        head.seq,
        `the checkpoint is of ${signed.size} events but the header's chain head is seq ${head.seq}`,
      );
    if (tree) {
      const root = tree.root().toString('hex');
      if (tree.size !== signed.size || root !== signed.rootHash)
        return fail(
          signed.size,
          `the Merkle root of the ${tree.size} events (${root.slice(0, 16)}…) is not the signed checkpoint's (${signed.rootHash.slice(0, 16)}…)`,
        );
    }
  }
  return { ...report, rootAt };
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
