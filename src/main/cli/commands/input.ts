import { readFileSync } from 'node:fs';
import { FileError, UsageError } from '../../../shared/errors.js';
import { JsonValueSchema, type JsonValue } from '../../../shared/json.js';

/** An `--input` flag: JSON text, or `@file` holding JSON. Bad JSON is a usage error naming the flag. */
export function readJsonInput(command: string, raw: string | undefined): JsonValue {
  if (raw === undefined) return {};
  const fromFile = raw.startsWith('@');
  const text = fromFile ? readText(raw.slice(1)) : raw;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${command}: --input${fromFile ? ` ${raw.slice(1)}` : ''} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const json = JsonValueSchema.safeParse(value);
  if (!json.success) {
    const path = json.error.issues[0]!.path.join('.');
    throw new UsageError(`${command}: --input${path ? ` at ${path}` : ''}: expected JSON with finite numbers`);
  }
  return json.data;
}

/** A file the user named, as text; a missing or unreadable file is one line naming it. */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(
      code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? (error as Error).message})`,
    );
  }
}
