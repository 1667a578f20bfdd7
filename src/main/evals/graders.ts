import { canonicalJson, type JsonValue } from '../../shared/json.js';
import { TrajectoryExpectedSchema, type Grader } from '../../shared/roster.js';

/** A tool call a run made, as the trajectory grader sees it. */
export interface TrajectoryCall {
  tool: string;
  args: JsonValue;
}

/** What a grader looks at: the run's output and the tool calls of its handoff tree, in order. */
export interface Attempt {
  output: JsonValue;
  calls: TrajectoryCall[];
}

/** A grade: passed, or the differences that failed it, one line each. */
export interface Grade {
  passed: boolean;
  diff: string[];
}

/** Most difference lines kept for one case; the rest are counted. */
const MAX_DIFF_LINES = 20;

/**
 * Grades an attempt against a golden case's `expected`:
 * - `exact`: the same JSON value (object key order aside);
 * - `contains`: the output's text holds the expected string, or each of a list;
 * - `regex`: the output's text matches the pattern (Unicode mode);
 * - `json-subset`: every field the expected value names is in the output with the same value,
 *   recursively; arrays match element by element and must be the same length. A string
 *   output that holds JSON is parsed first, since models answer in text;
 * - `trajectory`: the calls happened (with at least these arguments) in this order or any
 *   order, and no forbidden tool was called.
 */
export function grade(grader: Grader, expected: JsonValue, attempt: Attempt): Grade {
  const diff = differences(grader, expected, attempt);
  const shown = diff.slice(0, MAX_DIFF_LINES);
  if (diff.length > MAX_DIFF_LINES) shown.push(`… and ${diff.length - MAX_DIFF_LINES} more differences`);
  return { passed: diff.length === 0, diff: shown };
}

function differences(grader: Grader, expected: JsonValue, attempt: Attempt): string[] {
  switch (grader) {
    case 'exact':
      return canonicalJson(attempt.output) === canonicalJson(expected)
        ? []
        : [`expected ${preview(expected)}, got ${preview(attempt.output)}`];
    case 'contains': {
      const text = textOf(attempt.output);
      const wanted = Array.isArray(expected) ? expected : [expected];
      return wanted.filter((w) => !text.includes(String(w))).map((w) => `output does not contain ${preview(w)}`);
    }
    case 'regex':
      return new RegExp(String(expected), 'u').test(textOf(attempt.output))
        ? []
        : [`output ${preview(attempt.output)} does not match /${String(expected)}/`];
    case 'json-subset':
      return subsetDifferences(expected, parsedOutput(attempt.output), '$');
    case 'trajectory':
      return trajectoryDifferences(expected, attempt.calls);
  }
}

/** Where `actual` departs from `expected` taken as a subset, as `path: why` lines. */
export function subsetDifferences(expected: JsonValue, actual: JsonValue | undefined, path: string): string[] {
  if (actual === undefined) return [`${path}: missing, expected ${preview(expected)}`];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected a list, got ${preview(actual)}`];
    const lines =
      actual.length === expected.length ? [] : [`${path}: expected ${expected.length} items, got ${actual.length}`];
    expected.forEach((item, i) => lines.push(...subsetDifferences(item, actual[i], `${path}[${i}]`)));
    return lines;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return [`${path}: expected an object, got ${preview(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) =>
      subsetDifferences(value, Object.hasOwn(actual, key) ? actual[key] : undefined, `${path}.${key}`),
    );
  }
  return canonicalJson(actual) === canonicalJson(expected)
    ? []
    : [`${path}: expected ${preview(expected)}, got ${preview(actual)}`];
}

function trajectoryDifferences(expected: JsonValue, calls: TrajectoryCall[]): string[] {
  // The roster checked the shape when it loaded; parsing again fills the defaults.
  const want = TrajectoryExpectedSchema.parse(expected);
  const matches = (call: TrajectoryCall, w: (typeof want.calls)[number]) =>
    call.tool === w.tool && (!w.args || subsetDifferences(w.args, call.args, '$').length === 0);
  const describe = (w: (typeof want.calls)[number]) => `${w.tool}${w.args ? ` ${preview(w.args)}` : ''}`;
  const lines: string[] = [];
  if (want.order === 'in-order') {
    // Each expected call must come after the one matched before it.
    let from = 0;
    for (const w of want.calls) {
      const at = calls.findIndex((call, i) => i >= from && matches(call, w));
      if (at < 0) {
        lines.push(`no call ${describe(w)}${from > 0 ? ` after call ${from}` : ''}`);
      } else from = at + 1;
    }
  } else {
    // Any order: each expected call takes a distinct actual call.
    const used = new Set<number>();
    for (const w of want.calls) {
      const at = calls.findIndex((call, i) => !used.has(i) && matches(call, w));
      if (at < 0) lines.push(`no call ${describe(w)}`);
      else used.add(at);
    }
  }
  for (const tool of want.forbidden) {
    const count = calls.filter((c) => c.tool === tool).length;
    if (count > 0) lines.push(`called ${tool}, which it must not (${count}×)`);
  }
  if (lines.length > 0) lines.push(`calls made: ${calls.map((c) => c.tool).join(', ') || 'none'}`);
  return lines;
}

/** A string output holding JSON, parsed; anything else as it is. */
function parsedOutput(output: JsonValue): JsonValue {
  if (typeof output !== 'string') return output;
  try {
    return JSON.parse(output) as JsonValue;
  } catch {
    return output;
  }
}

function textOf(output: JsonValue): string {
  return typeof output === 'string' ? output : JSON.stringify(output);
}

/** A value in one short line. */
function preview(value: JsonValue | undefined): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
