import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem, loadRoster } from '../../../src/main/roster/load.js';
import { tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  for (const sub of ['agents', 'evals', 'models']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'warden.yaml'), 'organisation: { name: Acme }\n');
  writeFileSync(join(dir, 'agents', 'intake.yaml'), 'id: intake\nrole: reads mail\n');
});
afterEach(() => cleanup());

function problems(): string[] {
  const result = loadRoster(dir);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('golden datasets and model scripts are part of the roster', () => {
  it('loads evals/<agent>.jsonl, one case a line, with the exact grader by default', () => {
    writeFileSync(
      join(dir, 'evals', 'intake.jsonl'),
      '{"id":"c1","input":{"a":1},"expected":"ok"}\n\n{"id":"c2","input":{},"expected":{"x":1},"grader":"json-subset"}\n',
    );
    const result = loadRoster(dir);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.roster.evals.get('intake')).toEqual([
      { id: 'c1', input: { a: 1 }, expected: 'ok', grader: 'exact', toolResults: {} },
      { id: 'c2', input: {}, expected: { x: 1 }, grader: 'json-subset', toolResults: {} },
    ]);
  });

  it('names the file and line of a bad case, a duplicate id, and a dataset with no agent', () => {
    writeFileSync(
      join(dir, 'evals', 'intake.jsonl'),
      '{"id":"c1","input":1,"expected":1}\n{"id":"c1","input":1,"expected":1}\n{nope\n{"id":"c3","input":1,"expected":1,"grader":"vibes"}\n{"id":"c5","input":1,"expected":"(unclosed","grader":"regex"}\n',
    );
    writeFileSync(join(dir, 'evals', 'ghost.jsonl'), '');
    const found = problems();
    expect(found).toContain('evals/intake.jsonl:2: id: "c1" is used by an earlier case');
    expect(found.some((p) => p.startsWith('evals/intake.jsonl:3: is not valid JSON'))).toBe(true);
    expect(found.some((p) => p.startsWith('evals/intake.jsonl:4: grader:'))).toBe(true);
    // A case its grader cannot use fails the roster check, not the eval run.
    expect(found.some((p) => p.startsWith('evals/intake.jsonl:5: expected: not a valid regular expression'))).toBe(
      true,
    );
    expect(found).toContain('evals/ghost.jsonl: names no agent of the roster (expected agents/ghost.yaml)');
  });

  it('checks models/*.yaml with the rest, so roster check catches a bad script', () => {
    writeFileSync(join(dir, 'models', 'demo.yaml'), 'rules:\n  - when: { turn: soon }\n    reply: { text: hi }\n');
    expect(problems().some((p) => p.startsWith('models/demo.yaml: rules[0].when.turn:'))).toBe(true);
  });
});
