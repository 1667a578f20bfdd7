import type Database from 'better-sqlite3';
import type { EventOf } from '../../shared/events.js';
import { rowToEvent, type EventRow } from './read.js';

const COLUMNS = 'e.seq, e.ts, e.run_id, e.agent_id, e.type, e.v, e.payload, e.prev_hash, e.hash';

/**
 * The approval queue as migration 006 keeps it (`approval_facts`): each request's seq and its
 * decision's, so the queue, one approval and the latest decisions read their own events by
 * seq, never every request and decision the ledger holds. Each query is held to its index
 * (test/main/ledger/approval-facts.test.ts reads the plans).
 */
export class ApprovalFacts {
  private readonly pendingStatement: Database.Statement;
  private readonly decidedStatement: Database.Statement;
  private readonly seqsStatement: Database.Statement;
  private readonly eventStatement: Database.Statement;

  constructor(db: Database.Database) {
    this.pendingStatement = db
      .prepare(
        `SELECT ${COLUMNS} FROM approval_facts f INDEXED BY approval_facts_pending JOIN events e ON e.seq = f.requested_seq
         WHERE f.decided_seq IS NULL AND f.requested_seq > 0 ORDER BY f.requested_seq`,
      )
      .raw();
    this.decidedStatement = db
      .prepare(
        `SELECT ${COLUMNS} FROM approval_facts f INDEXED BY approval_facts_decided JOIN events e ON e.seq = f.decided_seq
         WHERE f.decided_seq > 0 ORDER BY f.decided_seq DESC LIMIT @limit`,
      )
      .raw();
    this.seqsStatement = db.prepare(
      'SELECT requested_seq AS requested, decided_seq AS decided FROM approval_facts WHERE approval_id = @approvalId',
    );
    this.eventStatement = db.prepare(`SELECT ${COLUMNS} FROM events e WHERE e.seq = @seq`).raw();
  }

  /** The requests no decision has answered yet, oldest first. */
  pending(): EventOf<'approval.requested'>[] {
    return (this.pendingStatement.all() as EventRow[]).map(rowToEvent) as EventOf<'approval.requested'>[];
  }

  /** The latest decisions, newest first. */
  decided(limit: number): EventOf<'approval.decided'>[] {
    return (this.decidedStatement.all({ limit }) as EventRow[]).map(rowToEvent) as EventOf<'approval.decided'>[];
  }

  /** One approval's request and, once there is one, its decision. */
  find(
    approvalId: string,
  ): { request: EventOf<'approval.requested'>; decision: EventOf<'approval.decided'> | null } | null {
    const seqs = this.seqsStatement.get({ approvalId }) as { requested: number; decided: number | null } | undefined;
    if (!seqs) return null;
    const event = (seq: number) => rowToEvent(this.eventStatement.get({ seq }) as EventRow);
    return {
      request: event(seqs.requested) as EventOf<'approval.requested'>,
      decision: seqs.decided === null ? null : (event(seqs.decided) as EventOf<'approval.decided'>),
    };
  }
}
