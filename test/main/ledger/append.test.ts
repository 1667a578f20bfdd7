import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger, GENESIS_HASH, LEDGER_FILE } from '../../../src/main/ledger/index.js';
import { canonicalEventBody, chainHash } from '../../../src/main/ledger/hash.js';
import { canonicalJson } from '../../../src/shared/json.js';
import { logEvent, tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let ledger: Ledger;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  ledger = Ledger.open(dir);
});
afterEach(() => {
  ledger.close();
  cleanup();
});

describe('appending', () => {
  it('chains each event to the one before it with SHA-256 over prev_hash and canonical JSON', async () => {
    const first = await ledger.append(logEvent('one'));
    const second = await ledger.append(logEvent('two'));
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    const body = canonicalEventBody(
      { seq: 2, ts: second.ts, runId: 'run-1', agentId: 'intake', type: 'run.log', v: 1 },
      canonicalJson(second.payload),
    );
    expect(second.hash).toBe(chainHash(first.hash, body));
    // The canonical body is exactly the sorted-key, whitespace-free JSON of the event's fields.
    expect(body).toBe(canonicalJson({ ...second, prevHash: undefined, hash: undefined }));
  });

  it('resolves only after the event is committed and readable by another connection', async () => {
    const event = await ledger.append(logEvent('durable'));
    const other = new Database(join(dir, LEDGER_FILE), { readonly: true });
    const row = other.prepare('SELECT hash FROM events WHERE seq = ?').get(event.seq) as { hash: string };
    other.close();
    expect(row.hash).toBe(event.hash);
  });

  it('runs with WAL and synchronous=FULL', () => {
    const db = new Database(join(dir, LEDGER_FILE));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // synchronous is per connection: check the ledger's own.
    const own = (ledger as unknown as { db: Database.Database }).db;
    expect(own.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('groups appends that arrive together into one transaction', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => ledger.append(logEvent(`e${i}`))));
    expect(results.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(ledger.writeStats).toEqual({ groups: 1, events: 50 });
    // One after another, each append is its own transaction.
    await ledger.append(logEvent('alone'));
    await ledger.append(logEvent('alone again'));
    expect(ledger.writeStats).toEqual({ groups: 3, events: 52 });
  });

  it('fails every append of a group whose transaction fails, and loses nothing committed before', async () => {
    await ledger.append(logEvent('kept'));
    const own = (ledger as unknown as { db: Database.Database }).db;
    own.exec(`CREATE TRIGGER fail_insert BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    const attempts = [ledger.append(logEvent('x')), ledger.append(logEvent('y'))];
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(/disk says no/);
    own.exec('DROP TRIGGER fail_insert');
    expect(ledger.reader.count()).toBe(1);
    const next = await ledger.append(logEvent('after'));
    expect(next.seq).toBe(2);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('refuses an unknown event type and a bad payload, and writes nothing', async () => {
    await expect(ledger.append({ type: 'run.exploded', payload: {} } as never)).rejects.toThrow(
      /unknown event type "run.exploded"/,
    );
    await expect(ledger.append({ type: 'run.log', payload: { level: 'loud', message: 'x' } } as never)).rejects.toThrow(
      /payload\.level/,
    );
    await expect(
      ledger.append({ type: 'run.log', payload: { level: 'info', message: 'x', secret: 'k' } } as never),
    ).rejects.toThrow(/secret/);
    expect(ledger.reader.head()).toBeNull();
  });

  it('refuses ids JSON would have to escape, so the chain can be rebuilt in SQL', async () => {
    await expect(ledger.append(logEvent('x', 'run,with "quotes"'))).rejects.toThrow(/runId must be an id/);
    await expect(ledger.append(logEvent('x', 'run-1', 'agent\n2'))).rejects.toThrow(/agentId must be an id/);
    expect(ledger.reader.count()).toBe(0);
  });

  it('refuses a whole batch when one of its events is bad', async () => {
    await expect(
      ledger.appendMany([logEvent('ok'), { type: 'run.log', payload: { level: 'nope', message: '' } } as never]),
    ).rejects.toThrow(/payload\.level/);
    expect(ledger.reader.count()).toBe(0);
  });

  it('appendIf decides inside the transaction, seeing what was queued before it, and refuses alone', async () => {
    const once = () => {
      // An event that may exist once: the second attempt sees the first, even in the same group.
      if (ledger.reader.count({ type: 'agent.paused' }) > 0) throw new Error('already paused');
      return { type: 'agent.paused' as const, agentId: 'intake', payload: { by: 'cao' } };
    };
    const results = await Promise.allSettled([
      ledger.appendIf(once),
      ledger.append(logEvent('between')),
      ledger.appendIf(once),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toEqual(new Error('already paused'));
    expect(ledger.reader.count()).toBe(2);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('commits a lazy append with the next eager one, or on its own after its window', async () => {
    const lazy = ledger.appendLazy(logEvent('observed'));
    await new Promise((r) => setTimeout(r, 5));
    expect(ledger.writeStats.groups).toBe(0);
    const eager = await ledger.append(logEvent('decided'));
    expect((await lazy).seq).toBe(1);
    expect(eager.seq).toBe(2);
    expect(ledger.writeStats).toEqual({ groups: 1, events: 2 });
    const alone = await ledger.appendLazy(logEvent('nobody else writes'));
    expect(alone.seq).toBe(3);
    expect(() => ledger.appendLazy({ type: 'run.log', payload: { level: 'nope', message: '' } } as never)).toThrow(
      /payload\.level/,
    );
  });

  it('refuses UPDATE and DELETE with triggers', async () => {
    await ledger.append(logEvent('fixed'));
    const db = new Database(join(dir, LEDGER_FILE));
    expect(() => db.prepare("UPDATE events SET payload = '{}' WHERE seq = 1").run()).toThrow(
      /append-only: UPDATE refused/,
    );
    expect(() => db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/append-only: DELETE refused/);
    db.close();
  });

  it('keeps time non-decreasing along the chain even when the clock goes back', async () => {
    ledger.close();
    const times = [new Date('2026-11-22T10:00:00.000Z'), new Date('2026-11-22T09:00:00.000Z')];
    ledger = Ledger.open(dir, { clock: () => times.shift() ?? new Date(0) });
    const a = await ledger.append(logEvent('a'));
    const b = await ledger.append(logEvent('b'));
    expect(b.ts >= a.ts).toBe(true);
  });

  it('continues the chain after the ledger is closed and opened again', async () => {
    const a = await ledger.append(logEvent('before'));
    ledger.close();
    ledger = Ledger.open(dir);
    const b = await ledger.append(logEvent('after'));
    expect(b.seq).toBe(2);
    expect(b.prevHash).toBe(a.hash);
    expect((await ledger.verify()).ok).toBe(true);
  });
});
