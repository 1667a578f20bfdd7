import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ROSTER } from '../../../src/main/cli/commands/demo.js';

/** A case as a test writes it. */
export type TestCase = Record<string, unknown> & { id: string };

/**
 * A copy of the demo roster in `dir` with the golden suites the test gives (and none of the
 * demo's own): real agents, real MCP servers, the scripted model.
 */
export function rosterWithSuites(dir: string, suites: Record<string, TestCase[]>): string {
  const roster = join(dir, 'roster');
  cpSync(DEMO_ROSTER, roster, { recursive: true });
  // The MCP servers stay where they are (linked), so they find the repository's node_modules.
  rmSync(join(roster, 'mcp'), { recursive: true });
  symlinkSync(join(DEMO_ROSTER, 'mcp'), join(roster, 'mcp'));
  rmSync(join(roster, 'evals'), { recursive: true, force: true });
  mkdirSync(join(roster, 'evals'));
  for (const [agent, cases] of Object.entries(suites))
    writeFileSync(join(roster, 'evals', `${agent}.jsonl`), cases.map((c) => JSON.stringify(c)).join('\n'));
  return roster;
}

/** Pays an invoice the demo's books hold: the scripted model calls books.post_payment. */
export function payCase(id: string, invoiceId: string, payee: string, amountUsd: number, expected: unknown): TestCase {
  return {
    id,
    input: { kind: 'pay-invoice', invoiceId, payee, amountUsd },
    expected,
    grader: 'trajectory',
  };
}
