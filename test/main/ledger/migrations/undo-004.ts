import type Database from 'better-sqlite3';

/** The columns migration 004 adds to `run_facts`, `state` last (the indexes name it). */
export const RUN_LIST_COLUMNS = [
  'task',
  'parent_run_id',
  'open_approvals',
  'failed_calls',
  'rejected_calls',
  'tree_failed_calls',
  'tree_rejected_calls',
  'state',
] as const;

/** Takes a ledger back to before migration 004: its triggers, indexes and columns gone (and 005's content store after it). */
export function undoRunList(db: Database.Database): void {
  db.exec(`
    DROP TABLE content;
    DROP TRIGGER run_list_started; DROP TRIGGER run_list_approval_requested;
    DROP TRIGGER run_list_approval_decided; DROP TRIGGER run_list_tool_failed;
    DROP INDEX run_facts_by_seq; DROP INDEX run_facts_by_agent_seq; DROP INDEX run_facts_by_agent_kind;
    DROP INDEX run_facts_by_state; DROP INDEX run_facts_by_state_kind;
    DROP INDEX run_facts_by_agent_state; DROP INDEX run_facts_by_agent_state_kind;
    ${[...RUN_LIST_COLUMNS]
      .reverse()
      .map((c) => `ALTER TABLE run_facts DROP COLUMN ${c};`)
      .join('\n')}
  `);
}
