import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger, LEDGER_FILE } from '../../../src/main/ledger/index.js';
import { canonicalEventBody, chainHash, GENESIS_HASH } from '../../../src/main/ledger/hash.js';
import { canonicalJson } from '../../../src/shared/json.js';
import { logEvent, tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  const ledger = Ledger.open(dir);
  await ledger.appendMany(Array.from({ length: 10 }, (_, i) => logEvent(`event ${i + 1}`, `run-${i % 3}`)));
  ledger.close();
});
afterEach(() => cleanup());

/** Opens the ledger file as an attacker with SQL access would: triggers dropped. */
function tamper(edit: (db: Database.Database) => void): void {
  const db = new Database(join(dir, LEDGER_FILE));
  db.exec('DROP TRIGGER events_refuse_update; DROP TRIGGER events_refuse_delete;');
  edit(db);
  db.close();
}

/**
 * Verifies on one thread and in parallel (three parts of 4, 4 and 2 events, so breaks near
 * seqs 4, 5, 8 and 9 fall at the joins); both must find the same first break.
 */
async function verify() {
  const ledger = Ledger.open(dir, { mode: 'existing' });
  try {
    const serial = ledger.verifySerial();
    const parallel = await ledger.verify({ threads: 3 });
    const where = (r: typeof serial) => ({ ok: r.ok, seq: r.firstBreak?.seq, reason: r.firstBreak?.reason });
    expect(where(parallel)).toEqual(where(serial));
    if (serial.ok)
      expect(parallel).toMatchObject({ checked: serial.checked, linksChecked: serial.linksChecked, head: serial.head });
    return serial;
  } finally {
    ledger.close();
  }
}

describe('the chain as SQLite rebuilds it', () => {
  it('hashes exactly what the writer hashed, for nulls, unicode and escapes', async () => {
    const ledger = Ledger.open(dir);
    await ledger.append({
      type: 'agent.paused',
      payload: { by: 'cao', reason: 'ünïcödé 😀 "quoted" \\ back\nslash\u0001' },
    });
    await ledger.append({ type: 'run.log', runId: 'run.9:x@y', payload: { level: 'warn', message: '\u2028' } });
    const rows = [...ledger.reader.chainRows({}, 3)];
    const events = ledger.reader.page({ limit: 1000 }).events;
    ledger.close();
    expect(rows).toHaveLength(events.length);
    rows.forEach(([seq, prevHash, hash, input], i) => {
      const e = events[i]!;
      expect(seq).toBe(e.seq);
      expect(input).toBe(prevHash + canonicalEventBody(e, canonicalJson(e.payload)));
      expect(chainHash(prevHash, canonicalEventBody(e, canonicalJson(e.payload)))).toBe(hash);
    });
  });
});

describe('verify', () => {
  it('passes an untouched chain and reports its head', async () => {
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.checked).toBe(10);
    expect(report.linksChecked).toBe(9);
    expect(report.head?.seq).toBe(10);
  });

  it('passes an empty ledger', async () => {
    const { dir: empty, cleanup: done } = tempDir();
    Ledger.open(empty).close();
    const ledger = Ledger.open(empty, { mode: 'existing' });
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 0, head: null });
    ledger.close();
    done();
  });

  it('finds a payload edited after the triggers were dropped', async () => {
    tamper((db) => db.prepare(`UPDATE events SET payload = '{"level":"info","message":"edited"}' WHERE seq = 4`).run());
    expect((await verify()).firstBreak).toMatchObject({ seq: 4, reason: 'hash-mismatch' });
  });

  it('finds an edit that only changes whitespace in the stored JSON', async () => {
    tamper((db) =>
      db.prepare(`UPDATE events SET payload = '{"level": "info","message":"event 6"}' WHERE seq = 6`).run(),
    );
    expect((await verify()).firstBreak).toMatchObject({ seq: 6, reason: 'hash-mismatch' });
  });

  it('finds a deleted row and names the missing seq', async () => {
    tamper((db) => db.prepare('DELETE FROM events WHERE seq = 5').run());
    expect((await verify()).firstBreak).toMatchObject({ seq: 5, reason: 'missing-seq' });
  });

  it('finds reordered rows', async () => {
    tamper((db) => {
      db.prepare('UPDATE events SET seq = -1 WHERE seq = 7').run();
      db.prepare('UPDATE events SET seq = 7 WHERE seq = 8').run();
      db.prepare('UPDATE events SET seq = 8 WHERE seq = -1').run();
    });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBreak?.seq).toBe(7);
    expect(['broken-link', 'hash-mismatch']).toContain(report.firstBreak?.reason);
  });

  it('finds a replaced first event even when its own hash was recomputed', async () => {
    tamper((db) => {
      const row = db.prepare('SELECT ts, run_id, agent_id, type, v FROM events WHERE seq = 1').get() as {
        ts: string;
        run_id: string;
        agent_id: string;
        type: string;
        v: number;
      };
      const payload = '{"level":"info","message":"forged"}';
      const hash = chainHash(
        GENESIS_HASH,
        canonicalEventBody(
          { seq: 1, ts: row.ts, runId: row.run_id, agentId: row.agent_id, type: row.type, v: row.v },
          payload,
        ),
      );
      db.prepare('UPDATE events SET payload = ?, hash = ? WHERE seq = 1').run(payload, hash);
    });
    expect((await verify()).firstBreak).toMatchObject({ seq: 2, reason: 'broken-link' });
  });

  it('finds a replaced first event whose hash was left alone', async () => {
    tamper((db) => db.prepare(`UPDATE events SET agent_id = 'someone-else' WHERE seq = 1`).run());
    expect((await verify()).firstBreak).toMatchObject({ seq: 1, reason: 'hash-mismatch' });
  });

  it('finds a first event that does not start from the genesis hash', async () => {
    tamper((db) => db.prepare(`UPDATE events SET prev_hash = ? WHERE seq = 1`).run('f'.repeat(64)));
    expect((await verify()).firstBreak).toMatchObject({ seq: 1, reason: 'bad-genesis' });
  });

  it('finds a deletion at the end of a parallel part and at the start of the next', async () => {
    tamper((db) => db.prepare('DELETE FROM events WHERE seq IN (8, 9)').run());
    expect((await verify()).firstBreak).toMatchObject({ seq: 8, reason: 'missing-seq' });
  });

  it('finds a replaced event whose hash was recomputed, where two parallel parts join', async () => {
    tamper((db) => {
      const row = db.prepare('SELECT ts, run_id, agent_id, type, v, prev_hash FROM events WHERE seq = 4').get() as {
        ts: string;
        run_id: string;
        agent_id: string;
        type: string;
        v: number;
        prev_hash: string;
      };
      const payload = '{"level":"info","message":"forged"}';
      const fields = { seq: 4, ts: row.ts, runId: row.run_id, agentId: row.agent_id, type: row.type, v: row.v };
      db.prepare('UPDATE events SET payload = ?, hash = ? WHERE seq = 4').run(
        payload,
        chainHash(row.prev_hash, canonicalEventBody(fields, payload)),
      );
    });
    expect((await verify()).firstBreak).toMatchObject({ seq: 5, reason: 'broken-link' });
  });

  it('finds an edit to the first event of a parallel part', async () => {
    tamper((db) => db.prepare(`UPDATE events SET payload = '{"level":"info","message":"x"}' WHERE seq = 5`).run());
    expect((await verify()).firstBreak).toMatchObject({ seq: 5, reason: 'hash-mismatch' });
  });

  it('finds a deleted first event', async () => {
    tamper((db) => db.prepare('DELETE FROM events WHERE seq = 1').run());
    expect((await verify()).firstBreak).toMatchObject({ seq: 1, reason: 'missing-seq' });
  });
});
