import { contentRefsOf } from '../../shared/content-refs.js';
import type { AnyEvent } from '../../shared/events.js';
import type { ExportFilters } from '../../shared/export.js';
import type { JsonValue } from '../../shared/json.js';
import type { ContentReader } from './content.js';
import type { EventRow, LedgerReader } from './read.js';

/** The event types whose payloads name content by hash (shared/content-refs.ts). */
const NAMING_TYPES = ['model.called', 'model.failed', 'tool.result'] as const;

/**
 * The hashes of the content the events matching `filters` name, in the order they first name
 * them. Read through the type index, so an export of events that name nothing reads nothing more.
 */
export function namedContent(reader: LedgerReader, filters: ExportFilters & { beforeSeq?: number }): Set<string> {
  const named = new Set<string>();
  for (const type of NAMING_TYPES) {
    if (filters.type !== undefined && filters.type !== type) continue;
    for (const row of reader.iterateRows({ ...filters, type })) for (const sha of refsOfRow(row)) named.add(sha);
  }
  return named;
}

/** The hashes one stored event names. */
export function refsOfRow(row: EventRow): string[] {
  const type = row[4];
  if (!(NAMING_TYPES as readonly string[]).includes(type)) return [];
  // The ledger checked the payload against its type before writing it.
  const event = { type, payload: JSON.parse(row[6]) as JsonValue } as unknown as AnyEvent;
  return contentRefsOf(event).map((ref) => ref.sha256);
}

/**
 * The JSONL line of one piece of content: its body as stored (canonical JSON, so its hash can
 * be checked as written), or where retention removed it, the prune that did. Only for content
 * the store holds (rows are never deleted).
 */
export function contentLine(contents: ContentReader, sha256: string): string {
  const row = contents.raw(sha256);
  if (!row) throw new Error(`the content store lost ${sha256} during the export`);
  const head = `{"kind":"content","sha256":"${sha256}","bytes":${row.bytes}`;
  if (row.body !== null) return `${head},"body":${row.body}}`;
  const prune = row.prunedSeq === null ? null : contents.prune(row.prunedSeq);
  const removed = prune
    ? { seq: prune.seq, at: prune.at, by: prune.by, reason: prune.reason }
    : { seq: 1, at: '', by: 'unknown', reason: 'no prune event names it' };
  return `${head},"removed":${JSON.stringify(removed)}}`;
}
