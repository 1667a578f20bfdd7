import type { Migration } from './index.js';

/**
 * The content store: bodies that events refer to by SHA-256 (a model's prompt and reply, a
 * large tool result), each kept once however many events name it. `body` is the canonical JSON
 * the hash was taken of; `last_seq` the last event that named it, which is what retention
 * goes by. A body leaves only by retention (`content.pruned`, whose seq `pruned_seq` keeps),
 * and comes back only as itself (an event naming the same hash brings the same bytes).
 * Rows are never deleted, and a hash or a body is never changed into another.
 */
export const migration005: Migration = {
  version: 5,
  name: 'content',
  up(db) {
    db.exec(`
      CREATE TABLE content (
        sha256     TEXT    PRIMARY KEY,
        bytes      INTEGER NOT NULL,
        body       TEXT,
        last_seq   INTEGER NOT NULL,
        pruned_seq INTEGER
      );
      CREATE INDEX content_prunable ON content(last_seq) WHERE body IS NOT NULL;
      CREATE TRIGGER content_refuse_delete BEFORE DELETE ON content
        BEGIN SELECT RAISE(ABORT, 'the content store keeps every hash: DELETE refused'); END;
      CREATE TRIGGER content_refuse_rehash BEFORE UPDATE OF sha256, bytes ON content
        WHEN NEW.sha256 IS NOT OLD.sha256 OR NEW.bytes IS NOT OLD.bytes
        BEGIN SELECT RAISE(ABORT, 'the content store keeps every hash: UPDATE of a hash refused'); END;
      CREATE TRIGGER content_refuse_rewrite BEFORE UPDATE OF body ON content
        WHEN NEW.body IS NOT OLD.body
          AND NOT (NEW.body IS NULL AND NEW.pruned_seq IS NOT NULL)
          AND OLD.body IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'the content store never rewrites a body: UPDATE refused'); END;
    `);
  },
};
