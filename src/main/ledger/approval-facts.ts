import type Database from 'better-sqlite3';
import type { EventOf } from '../../shared/events.js';
import { rowToEvent, type EventRow } from './read.js';

/** An approval's request and, once there is one, its decision. */
export interface ApprovalEvents {
  request: EventOf<'approval.requested'>;
  decision: EventOf<'approval.decided'> | null;
}

const columns = (t: string) =>
  ['seq', 'ts', 'run_id', 'agent_id', 'type', 'v', 'payload', 'prev_hash', 'hash'].map((c) => `${t}.${c}`).join(', ');

/** An approval's two events side by side: the request's columns, then the decision's (null while it waits). */
const PAIR = `SELECT ${columns('r')}, ${columns('d')} FROM approval_facts f`;
const JOINS = 'JOIN events r ON r.seq = f.requested_seq LEFT JOIN events d ON d.seq = f.decided_seq';

/**
 * The approval queue as migration 006 keeps it (`approval_facts`: each request's seq and its
 * decision's), so the queue, one approval and the latest decisions each read their own events
 * by seq in one statement, never every request and decision the ledger holds. Each statement
 * is held to its index (test/main/ledger/migrations/006-console.test.ts reads the plans).
 */
export class ApprovalFacts {
  private readonly pendingStatement: Database.Statement;
  private readonly decidedStatement: Database.Statement;
  private readonly findStatement: Database.Statement;

  constructor(db: Database.Database) {
    this.pendingStatement = db
      .prepare(
        `${PAIR} INDEXED BY approval_facts_pending ${JOINS}
         WHERE f.decided_seq IS NULL AND f.requested_seq > 0 ORDER BY f.requested_seq`,
      )
      .raw();
    this.decidedStatement = db
      .prepare(
        `${PAIR} INDEXED BY approval_facts_decided ${JOINS}
         WHERE f.decided_seq > 0 ORDER BY f.decided_seq DESC LIMIT @limit`,
      )
      .raw();
    this.findStatement = db.prepare(`${PAIR} ${JOINS} WHERE f.approval_id = @approvalId`).raw();
  }

  /** The requests no decision has answered yet, oldest first. */
  pending(): ApprovalEvents[] {
    return (this.pendingStatement.all() as unknown[][]).map(pair);
  }

  /** The latest decided approvals, newest decision first. */
  decided(limit: number): ApprovalEvents[] {
    return (this.decidedStatement.all({ limit }) as unknown[][]).map(pair);
  }

  /** One approval, or null when the ledger has no such request. */
  find(approvalId: string): ApprovalEvents | null {
    const row = this.findStatement.get({ approvalId }) as unknown[] | undefined;
    return row ? pair(row) : null;
  }
}

function pair(row: unknown[]): ApprovalEvents {
  const decision = row.slice(9) as EventRow;
  return {
    request: rowToEvent(row.slice(0, 9) as EventRow) as EventOf<'approval.requested'>,
    decision: decision[0] === null ? null : (rowToEvent(decision) as EventOf<'approval.decided'>),
  };
}
