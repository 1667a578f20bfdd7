import { describe, expect, it } from 'vitest';
import { grade, subsetDifferences, type Attempt } from '../../../src/main/evals/graders.js';
import type { JsonValue } from '../../../src/shared/json.js';
import { EvalCaseSchema } from '../../../src/shared/roster.js';

const output = (value: Attempt['output']): Attempt => ({ output: value, calls: [] });
const calls = (...list: [string, Record<string, unknown>][]): Attempt => ({
  output: 'done',
  calls: list.map(([tool, args]) => ({ tool, args: args as never })),
});

describe('exact grader', () => {
  it('passes the same value whatever the key order, and fails a different one with both shown', () => {
    expect(grade('exact', { a: 1, b: [1, 2] }, output({ b: [1, 2], a: 1 }))).toEqual({ passed: true, diff: [] });
    const failed = grade('exact', { a: 1 }, output({ a: 2 }));
    expect(failed.passed).toBe(false);
    expect(failed.diff).toEqual(['expected {"a":1}, got {"a":2}']);
    expect(grade('exact', '42', output(42)).passed).toBe(false);
  });
});

describe('contains grader', () => {
  it('needs every expected string in the output text, and names the missing ones', () => {
    expect(grade('contains', 'INV-1001', output('Paid INV-1001 in full')).passed).toBe(true);
    expect(grade('contains', ['INV-1001', '$450'], output('Paid INV-1001 ($450)')).passed).toBe(true);
    expect(grade('contains', ['INV-1001', '$451'], output('Paid INV-1001 ($450)')).diff).toEqual([
      'output does not contain "$451"',
    ]);
    // Structured output is searched as its JSON text.
    expect(grade('contains', '"quoteId":"Q-7"', output({ quoteId: 'Q-7' })).passed).toBe(true);
  });
});

describe('regex grader', () => {
  it('matches the output text against the pattern in Unicode mode', () => {
    expect(grade('regex', '^Drafted Q-\\d+ for .+: \\$\\d+', output('Drafted Q-12 for Tailspin: $940')).passed).toBe(
      true,
    );
    expect(grade('regex', '^\\p{Lu}', output('émile')).passed).toBe(false);
    expect(grade('regex', '^\\p{Lu}', output('Émile')).passed).toBe(true);
  });
});

describe('json-subset grader', () => {
  it('passes when every expected field is in the output, extra fields allowed', () => {
    const out = { invoiceId: 'INV-1', amountUsd: 4200, payee: 'contoso', lines: [{ sku: 'A', qty: 2 }] };
    expect(grade('json-subset', { amountUsd: 4200, lines: [{ sku: 'A' }] }, output(out)).passed).toBe(true);
  });

  it('parses a string output that holds JSON, since models answer in text', () => {
    expect(grade('json-subset', { amountUsd: 4200 }, output('{"amountUsd":4200,"currency":"USD"}')).passed).toBe(true);
  });

  it('names the path of every difference', () => {
    const diff = subsetDifferences(
      { amountUsd: 4200, payee: { id: 'contoso' }, lines: [{ sku: 'A' }, { sku: 'B' }], due: '2026-01-01' },
      { amountUsd: 4.2, payee: 'contoso', lines: [{ sku: 'A' }] } as never,
      '$',
    );
    expect(diff).toEqual([
      '$.amountUsd: expected 4200, got 4.2',
      '$.payee: expected an object, got "contoso"',
      '$.lines: expected 2 items, got 1',
      '$.lines[1]: missing, expected {"sku":"B"}',
      '$.due: missing, expected "2026-01-01"',
    ]);
  });

  it('fails a non-JSON string', () => {
    expect(grade('json-subset', { a: 1 }, output('not json')).diff).toEqual(['$: expected an object, got "not json"']);
  });
});

describe('trajectory grader', () => {
  const read = ['books.get_invoice', { invoiceId: 'INV-1' }] as [string, Record<string, unknown>];
  const pay = ['books.post_payment', { invoiceId: 'INV-1', amountUsd: 450, payee: 'nw' }] as [
    string,
    Record<string, unknown>,
  ];

  it('in order: the calls happened in this order, others may come between', () => {
    const expected: JsonValue = {
      calls: [{ tool: 'books.get_invoice' }, { tool: 'books.post_payment', args: { amountUsd: 450 } }],
    };
    expect(grade('trajectory', expected, calls(read, ['inbox.read_message', {}], pay)).passed).toBe(true);
    const reversed = grade('trajectory', expected, calls(pay, read));
    expect(reversed.passed).toBe(false);
    expect(reversed.diff[0]).toBe('no call books.post_payment {"amountUsd":450} after call 2');
    expect(reversed.diff.at(-1)).toBe('calls made: books.post_payment, books.get_invoice');
  });

  it('any order: each expected call takes a call of its own', () => {
    const expected = { calls: [{ tool: 'books.post_payment' }, { tool: 'books.get_invoice' }], order: 'any' };
    expect(grade('trajectory', expected, calls(read, pay)).passed).toBe(true);
    const twice = { calls: [{ tool: 'books.get_invoice' }, { tool: 'books.get_invoice' }], order: 'any' };
    expect(grade('trajectory', twice, calls(read, pay)).passed).toBe(false);
  });

  it('checks arguments as a subset', () => {
    const expected = { calls: [{ tool: 'books.post_payment', args: { amountUsd: 4500 } }] };
    expect(grade('trajectory', expected, calls(pay)).diff[0]).toBe('no call books.post_payment {"amountUsd":4500}');
  });

  it('fails a forbidden call, counting it', () => {
    const expected = { calls: [], forbidden: ['books.post_payment'] };
    expect(grade('trajectory', expected, calls(read)).passed).toBe(true);
    expect(grade('trajectory', expected, calls(pay, pay)).diff[0]).toBe(
      'called books.post_payment, which it must not (2×)',
    );
  });
});

describe('golden cases', () => {
  it('refuses an expected value its grader cannot use, naming the field', () => {
    const bad = (c: object) => {
      const parsed = EvalCaseSchema.safeParse({ id: 'c', input: {}, ...c });
      return parsed.success ? null : `${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`;
    };
    expect(bad({ grader: 'regex', expected: '(' })).toMatch(/^expected: not a valid regular expression/);
    expect(bad({ grader: 'contains', expected: 3 })).toMatch(/^expected: the contains grader expects a string/);
    expect(bad({ grader: 'trajectory', expected: { calls: [{ tool: 'nodot' }] } })).toMatch(
      /^expected: the trajectory grader expects .*calls\.0\.tool: expected server\.tool/,
    );
    expect(bad({ grader: 'exact', expected: null })).toBeNull();
  });

  it('caps the diff at 20 lines and counts the rest', () => {
    const expected = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, i]));
    const result = grade('json-subset', expected, output({}));
    expect(result.diff).toHaveLength(21);
    expect(result.diff[20]).toBe('… and 5 more differences');
  });
});
