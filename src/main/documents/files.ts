import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

/** One thing wrong with a roster: the file, the field path, and what was expected. */
export interface RosterProblem {
  file: string;
  path: string;
  message: string;
}

/** Formats a problem as the one line a user sees: `agents/intake.yaml: tools[0].access: expected …`. */
export function formatProblem(p: RosterProblem): string {
  return p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}

/**
 * A roster file's text parsed as YAML or JSON, or undefined after recording why it could not
 * be (unreadable, or not valid: YAML problems name the line and column).
 */
export function readDocument(path: string, file: string, kind: 'yaml' | 'json', problems: RosterProblem[]): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push({
      file,
      path: '',
      message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    });
    return undefined;
  }
  if (kind === 'json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      problems.push({ file, path: '', message: `is not valid JSON: ${(error as Error).message}` });
      return undefined;
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const error = doc.errors[0];
  if (error) {
    const at = lineCounter.linePos(error.pos[0]);
    problems.push({
      file,
      path: `line ${at.line}, column ${at.col}`,
      message: `is not valid YAML: ${error.message.split('\n')[0]}`,
    });
    return undefined;
  }
  return doc.toJS() ?? {};
}

/** Checks data against a schema; records one problem per issue (file, field path, what was expected). */
export function checkSchema<S extends z.ZodType>(
  file: string,
  data: unknown,
  schema: S,
  problems: RosterProblem[],
): z.infer<S> | null {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    problems.push({ file, path: formatPath(issue.path), message: describe(issue, valueAt(data, issue.path)) });
  }
  return null;
}

/** `tools[0].access`, as a person writes a path into a document. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = data;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  let message = issue.message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, '');
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (value === undefined)
    return message.includes('received undefined') ? message.replace(/, received undefined$/, ' (missing)') : message;
  if (!/received/.test(message)) message += `, got ${JSON.stringify(value)}`;
  return message;
}
