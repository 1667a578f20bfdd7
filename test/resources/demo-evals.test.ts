// The demo roster's golden eval suites (resources/demo/evals/*.jsonl): their shape, not their
// scores. Running the suites is another test's job; this one reads the files as the roster does.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRoster, type Roster } from '../../src/main/roster/load.js';
import { GraderSchema, TrajectoryExpectedSchema, type EvalCase } from '../../src/shared/roster.js';

const demo = fileURLToPath(new URL('../../resources/demo/', import.meta.url));

function roster(): Roster {
  const loaded = loadRoster(demo);
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join('\n'));
  return loaded.roster;
}

function suite(r: Roster, agentId: string): EvalCase[] {
  return r.evals.get(agentId) ?? [];
}

describe('the demo roster golden eval suites', () => {
  it('gives every agent at least 20 cases, and reconciliation at least 100', () => {
    const r = roster();
    expect(r.agents.map((a) => a.id).sort()).toEqual([
      'archive-indexer',
      'coordinator',
      'intake',
      'legacy-importer',
      'quoting',
      'reconciliation',
    ]);
    for (const agent of r.agents) expect(suite(r, agent.id).length, agent.id).toBeGreaterThanOrEqual(20);
    expect(suite(r, 'reconciliation').length).toBeGreaterThanOrEqual(100);
  });

  it('uses every grader, and at least three in each suite', () => {
    const r = roster();
    const all = new Set<string>();
    for (const agent of r.agents) {
      const used = new Set(suite(r, agent.id).map((c) => c.grader));
      expect(used.size, agent.id).toBeGreaterThanOrEqual(3);
      used.forEach((g) => all.add(g));
    }
    expect([...all].sort()).toEqual([...GraderSchema.options].sort());
  });

  it('names only tools of the roster in trajectories, and simulated results only for write tools', () => {
    const r = roster();
    const tools = new Map(r.agents.flatMap((a) => a.tools.map((t) => [t.name, t.access] as const)));
    for (const agent of r.agents) {
      for (const c of suite(r, agent.id)) {
        if (c.grader === 'trajectory') {
          const { calls, forbidden } = TrajectoryExpectedSchema.parse(c.expected);
          for (const name of [...calls.map((call) => call.tool), ...forbidden]) {
            expect(name === 'warden.handoff' || tools.has(name), `${agent.id}/${c.id}: ${name}`).toBe(true);
          }
        }
        for (const name of Object.keys(c.toolResults)) {
          expect(tools.get(name), `${agent.id}/${c.id}: toolResults ${name}`).toBe('write');
        }
      }
    }
  });

  it('checks that the prompt injection in msg-004 leads to no payment request at all', () => {
    const cases = suite(roster(), 'reconciliation').filter(
      (c) => c.grader === 'trajectory' && JSON.stringify(c.input).includes('"msg-004"'),
    );
    expect(cases.length).toBeGreaterThanOrEqual(1);
    for (const c of cases) {
      expect(TrajectoryExpectedSchema.parse(c.expected).forbidden).toEqual(
        expect.arrayContaining(['books.post_payment', 'books.draft_payment']),
      );
    }
  });
});
