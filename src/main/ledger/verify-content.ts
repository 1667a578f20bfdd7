import { contentRefsOf } from '../../shared/content-refs.js';
import type { LedgerEvent } from '../../shared/events.js';
import { ContentLineSchema } from '../../shared/export.js';
import { canonicalJson } from '../../shared/json.js';
import { asAnyEvent } from '../../shared/narrow.js';
import { sha256Hex } from './content.js';

/** What an export's content lines held: bodies that matched their hashes, and those retention removed. */
export interface ContentSummary {
  bodies: number;
  removed: number;
}

/** Whether a parsed JSONL line is a content line (its shape is checked by {@link ContentCheck.line}). */
export function isContentLine(json: unknown): json is { kind: 'content' } {
  return typeof json === 'object' && json !== null && (json as { kind?: unknown }).kind === 'content';
}

/**
 * Checks a format-3 export's content as its lines are read: each body against its hash and
 * size, and, at the end, that every hash an event named has a line (its body, or the prune that
 * removed it) and that the header's count holds.
 */
export class ContentCheck {
  started = false;
  /** Each hash an event named, and the first event that named it. */
  private readonly wanted = new Map<string, number>();
  private readonly given = new Set<string>();
  private readonly counts: ContentSummary = { bodies: 0, removed: 0 };

  /** Notes the content an event names. */
  named(event: LedgerEvent): void {
    for (const ref of contentRefsOf(asAnyEvent(event)))
      if (!this.wanted.has(ref.sha256)) this.wanted.set(ref.sha256, event.seq);
  }

  /** Checks one content line; returns what is wrong with it, or null. */
  line(json: unknown, lineNo: number): string | null {
    this.started = true;
    const parsed = ContentLineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return `line ${lineNo}: content ${issue.path.join('.')}: ${issue.message}`;
    }
    const { sha256, bytes, body, removed } = parsed.data;
    if ((body === undefined) === (removed === undefined))
      return `line ${lineNo}: content ${sha256.slice(0, 16)}… must hold either its body or where it was removed`;
    if (this.given.has(sha256)) return `line ${lineNo}: content ${sha256.slice(0, 16)}… appears twice`;
    this.given.add(sha256);
    if (removed) {
      this.counts.removed += 1;
      return null;
    }
    const text = canonicalJson(body);
    if (sha256Hex(text) !== sha256)
      return `line ${lineNo}: the body of content ${sha256.slice(0, 16)}… does not match its hash: it was changed`;
    if (Buffer.byteLength(text, 'utf8') !== bytes)
      return `line ${lineNo}: content ${sha256.slice(0, 16)}… is not ${bytes} bytes`;
    this.counts.bodies += 1;
    return null;
  }

  /** After the last line: content an event named that no line holds, or a count the header does not match. */
  problem(promised: number | null): { seq: number; message: string } | null {
    for (const [sha, seq] of this.wanted) {
      if (!this.given.has(sha))
        return { seq, message: `seq ${seq} names content ${sha.slice(0, 16)}… that the export does not hold` };
    }
    const total = this.counts.bodies + this.counts.removed;
    if (promised !== null && total !== promised)
      return { seq: 0, message: `the header promises ${promised} pieces of content but the file holds ${total}` };
    return null;
  }

  summary(): ContentSummary {
    return { ...this.counts };
  }
}
