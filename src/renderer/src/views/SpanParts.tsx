import type { ReactNode } from 'react';
import type { JsonValue } from '../../../shared/json.js';
import { isRemoved, record, removedText } from './trace-rows.js';

/** A piece of content as the ledger holds it: text as text, anything else as JSON, or where retention removed it. */
export function Json({ value }: { value: JsonValue | undefined }) {
  if (value === undefined) return null;
  if (isRemoved(value)) return <p className="removed">{removedText(value)}</p>;
  return <pre>{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}

/** A label and its value, one line of a span's facts (inside a `dl`). */
export function Fact({ name, children }: { name: string; children: ReactNode }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** An error as the ledger holds it: `E_CODE: what happened`. */
export function ErrorLine({ error }: { error: JsonValue | undefined }) {
  const e = record(error);
  if (!e) return null;
  return (
    <p className="notice error" data-error>
      {text(e.code)}: {text(e.message)}
    </p>
  );
}

/** A content field as text ('' when it is not there). */
export function text(value: JsonValue | undefined): string {
  return value === undefined || value === null ? '' : String(value);
}

/** A content field as a list ([] when it is not one). */
export function list(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}
