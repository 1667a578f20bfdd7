import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalBook, argsHash } from '../../../src/main/gateway/approvals.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let ledger: Ledger;
let book: ApprovalBook;

const call = {
  callId: 'call-1',
  server: 'books',
  tool: 'post_payment',
  args: { invoiceId: 'INV-1002', payee: 'contoso-logistics', amountUsd: 4200 },
  amountUsd: 4200,
  rule: 'doa.approval',
  reason: '$4,200.00 needs approval',
};

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  ledger = Ledger.open(dir);
  book = new ApprovalBook(ledger);
});
afterEach(() => {
  ledger.close();
  cleanup();
});

describe('approvals', () => {
  it('records a request bound to a hash of its exact arguments, and lists it as pending', async () => {
    const approval = await book.request('run-1', 'reconciliation', call, 60);
    expect(approval.request.argsSha256).toBe(argsHash(call.args));
    expect(argsHash({ ...call.args, amountUsd: 4201 })).not.toBe(approval.request.argsSha256);
    expect(book.pending().map((a) => a.approvalId)).toEqual([approval.approvalId]);
  });

  it('takes one decision, naming who decided, and then no other', async () => {
    const { approvalId } = await book.request('run-1', 'reconciliation', call, 60);
    const decided = await book.decide({ approvalId, decision: 'approved', by: 'cao@acme' });
    expect(decided.decision).toMatchObject({ decision: 'approved', by: 'cao@acme', argsSha256: argsHash(call.args) });
    await expect(book.decide({ approvalId, decision: 'rejected', by: 'someone', reason: 'no' })).rejects.toThrow(
      /already approved by cao@acme/,
    );
    expect(book.pending()).toEqual([]);
  });

  it('lets only one of two processes deciding at once win', async () => {
    const { approvalId } = await book.request('run-1', 'reconciliation', call, 60);
    const other = Ledger.open(dir);
    const otherBook = new ApprovalBook(other);
    const results = await Promise.allSettled([
      book.decide({ approvalId, decision: 'approved', by: 'console' }),
      otherBook.decide({ approvalId, decision: 'rejected', by: 'cli', reason: 'wrong payee' }),
    ]);
    other.close();
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(ledger.reader.count({ type: 'approval.decided' })).toBe(1);
  });

  it('sees a decision made by another process', async () => {
    const { approvalId } = await book.request('run-1', 'reconciliation', call, 60);
    const other = Ledger.open(dir);
    await new ApprovalBook(other).decide({ approvalId, decision: 'rejected', by: 'cli', reason: 'duplicate invoice' });
    other.close();
    expect(book.decisionOf(approvalId)).toMatchObject({ decision: 'rejected', reason: 'duplicate invoice' });
  });

  it('needs a reason to reject, refuses unknown ids, and refuses expired requests', async () => {
    let now = new Date('2026-11-22T10:00:00.000Z');
    book = new ApprovalBook(ledger, () => now);
    const { approvalId } = await book.request('run-1', 'reconciliation', call, 30);
    await expect(book.decide({ approvalId, decision: 'rejected', by: 'cao' })).rejects.toThrow(/needs a reason/);
    await expect(book.decide({ approvalId: 'apr-nope', decision: 'approved', by: 'cao' })).rejects.toThrow(
      /no approval apr-nope/,
    );
    now = new Date('2026-11-22T10:31:00.000Z');
    await expect(book.decide({ approvalId, decision: 'approved', by: 'cao' })).rejects.toThrow(/expired/);
    await book.expire(approvalId, 'timed out');
    expect(book.get(approvalId)?.decision).toMatchObject({ decision: 'expired', by: 'warden' });
  });
});
