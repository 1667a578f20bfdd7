import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger, LEDGER_FILE } from '../../../src/main/ledger/index.js';
import type { ContentRef } from '../../../src/shared/event-fields.js';
import type { LedgerEvent, NewEvent } from '../../../src/shared/events.js';
import { isEvent } from '../../../src/shared/narrow.js';
import type { ChatMessage } from '../../../src/shared/models.js';
import { logEvent, tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let ledger: Ledger;
let now: Date;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  now = new Date('2026-11-01T09:00:00.000Z');
  ledger = Ledger.open(dir, { clock: () => now });
});
afterEach(() => {
  ledger.close();
  cleanup();
});

const system: ChatMessage = { role: 'system', content: 'You pay invoices under 500 USD. Never pay twice.' };

/** A model call of run-1 asking `messages`, its prompt and reply staged just before it is appended. */
function modelCall(messages: ChatMessage[], reply = 'done'): NewEvent {
  return {
    type: 'model.called',
    runId: 'run-1',
    agentId: 'payables',
    payload: {
      provider: 'scripted',
      model: 'demo',
      inputTokens: 10,
      outputTokens: 2,
      costUsd: 0,
      latencyMs: 5,
      request: { messages: messages.map((m) => ledger.content(m)) },
      reply: ledger.content({ text: reply, toolCalls: [] }),
    },
  };
}

/** The message references of a model call event. */
function asked(event: LedgerEvent): ContentRef[] {
  if (!isEvent(event, 'model.called') || !event.payload.request) throw new Error(`${event.type} asks nothing`);
  return event.payload.request.messages;
}

function rows(): { sha256: string; bytes: number; body: string | null; last_seq: number }[] {
  const db = new Database(join(dir, LEDGER_FILE), { readonly: true });
  try {
    return db.prepare('SELECT sha256, bytes, body, last_seq FROM content ORDER BY last_seq, sha256').all() as never;
  } finally {
    db.close();
  }
}

describe('the content store', () => {
  it('keeps a body once however many events name it, under the SHA-256 of its canonical JSON', async () => {
    const first = await ledger.append(modelCall([system, { role: 'user', content: 'pay inv-1' }]));
    const second = await ledger.append(modelCall([system, { role: 'user', content: 'pay inv-2' }]));
    const [systemRef] = asked(first);
    expect(asked(second)[0]).toEqual(systemRef);
    // system prompt, two user messages, one reply ("done" twice is one body)
    expect(rows()).toHaveLength(4);
    const kept = rows().find((r) => r.sha256 === systemRef!.sha256)!;
    expect(kept.body).toBe('{"content":"You pay invoices under 500 USD. Never pay twice.","role":"system"}');
    expect(createHash('sha256').update(kept.body!).digest('hex')).toBe(systemRef!.sha256);
    expect(kept.bytes).toBe(Buffer.byteLength(kept.body!));
    // The system prompt's last mention is the second call: that is what retention goes by.
    expect(kept.last_seq).toBe(second.seq);
    expect(ledger.contents.resolve(systemRef!)).toEqual(system);
  });

  it('takes registered secrets out before hashing, so the hash is of what is kept', async () => {
    ledger.redact('BANK_TOKEN', 'tok_live_9f8e7d6c5b4a');
    const event = await ledger.append(modelCall([{ role: 'user', content: 'use tok_live_9f8e7d6c5b4a to pay' }]));
    const ref = asked(event)[0]!;
    expect(ledger.contents.resolve(ref)).toEqual({ role: 'user', content: 'use [redacted:BANK_TOKEN] to pay' });
    expect(JSON.stringify(rows())).not.toContain('tok_live_9f8e7d6c5b4a');
  });

  it('refuses an event naming content the ledger does not hold, and commits the others of its transaction', async () => {
    const bogus = { sha256: 'a'.repeat(64), bytes: 3 };
    const refused = ledger.append({
      type: 'tool.result',
      runId: 'run-1',
      agentId: 'payables',
      payload: { callId: 'call-1', ok: true, latencyMs: 1, resultRef: bogus },
    });
    const kept = ledger.append(logEvent('still here'));
    await expect(refused).rejects.toThrow(`names content ${bogus.sha256} that the ledger does not hold`);
    expect((await kept).seq).toBe(1);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('refuses to delete a row or rewrite a body, outside retention', async () => {
    await ledger.append(modelCall([system]));
    const db = new Database(join(dir, LEDGER_FILE));
    try {
      expect(() => db.exec('DELETE FROM content')).toThrow(/DELETE refused/);
      expect(() => db.exec(`UPDATE content SET body = '{"role":"system","content":"pay anyone"}'`)).toThrow(
        /never rewrites a body/,
      );
      expect(() => db.exec(`UPDATE content SET bytes = bytes + 1`)).toThrow(/UPDATE of a hash refused/);
    } finally {
      db.close();
    }
  });
});

describe('retention', () => {
  it('removes bodies last named before the date, keeps their hashes, records who and why, and still verifies', async () => {
    const old = await ledger.append(modelCall([system, { role: 'user', content: 'pay inv-1' }], 'paid inv-1'));
    now = new Date('2026-11-20T09:00:00.000Z');
    // The system prompt is named again after the date: it stays.
    await ledger.append(modelCall([system, { role: 'user', content: 'pay inv-2' }], 'paid inv-2'));
    now = new Date('2026-11-21T09:00:00.000Z');

    const prune = await ledger.prune({
      before: new Date('2026-11-10T00:00:00Z'),
      by: 'cli:auditor',
      reason: 'policy R-7',
    });
    expect(prune.payload).toEqual({
      before: '2026-11-10T00:00:00.000Z',
      throughSeq: old.seq,
      by: 'cli:auditor',
      reason: 'policy R-7',
      pieces: 2,
      bytes: expect.any(Number),
    });
    const [systemRef, userRef] = asked(old);
    expect(ledger.contents.resolve(systemRef!)).toEqual(system);
    expect(ledger.contents.resolve(userRef!)).toEqual({
      removed: { sha256: userRef!.sha256, at: prune.ts, by: 'cli:auditor', reason: 'policy R-7' },
    });
    expect(rows().filter((r) => r.body === null)).toHaveLength(2);
    expect((await ledger.verify()).ok).toBe(true);

    // The same bytes named again bring the body back.
    await ledger.append(modelCall([{ role: 'user', content: 'pay inv-1' }]));
    expect(ledger.contents.resolve(userRef!)).toEqual({ role: 'user', content: 'pay inv-1' });
  });

  it('needs a reason', async () => {
    await expect(ledger.prune({ before: now, by: 'cli:auditor', reason: ' ' })).rejects.toThrow(/needs a reason/);
  });
});
