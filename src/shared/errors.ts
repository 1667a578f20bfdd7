import { z } from 'zod';

/** Every error code Warden gives a cause to. Codes are stable: tests, the CLI and the UI match on them. */
export const ERROR_CODES = [
  'E_USAGE',
  'E_FILE',
  'E_JSON',
  'E_NO_LEDGER',
  'E_LEDGER_LOCKED',
  'E_LEDGER_TAMPERED',
  'E_EVENT_INVALID',
  'E_EXPORT_INVALID',
  'E_MANIFEST_INVALID',
  'E_ROSTER_INVALID',
  'E_NO_ROSTER',
  'E_SANDBOX_PROGRAM',
  'E_SANDBOX_IMPORT',
  'E_SANDBOX_THROWN',
  'E_SANDBOX_RESULT',
  'E_SANDBOX_CRASHED',
  'E_SANDBOX_HOST',
  'E_SANDBOX_MEMORY',
  'E_SANDBOX_CPU',
  'E_SANDBOX_WALL',
  'E_SANDBOX_TOO_LARGE',
  'E_CANCELLED',
  'E_MCP_CONFIG',
  'E_MCP_START',
  'E_MCP_TIMEOUT',
  'E_MCP_CLOSED',
  'E_MCP_PROTOCOL',
  'E_MCP_TOO_LARGE',
  'E_MCP_TOOL',
  'E_MCP_UNKNOWN_TOOL',
  'E_APPROVAL',
  'E_POLICY_DENIED',
  'E_POLICY_REJECTED',
  'E_TOOL_FLAGGED',
  'E_HOP_LIMIT',
  'E_AGENT_PAUSED',
  'E_AGENT_UNKNOWN',
  'E_MODEL',
  'E_MODEL_SCRIPT',
  'E_KEY_UNPROTECTED',
  'E_UNSUPPORTED',
  'E_MAX_STEPS',
  'E_INTERRUPTED',
  'E_HANDOFF',
  'E_INTERNAL',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as plain data, the only form in which errors cross a process boundary. */
export const ErrorDataSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
});
/** An error as plain data. */
export type ErrorData = z.infer<typeof ErrorDataSchema>;

/** The base of Warden's errors: a message for a person and a code for a program. */
export class WardenError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The error as plain data. */
  toData(): ErrorData {
    return { code: this.code, message: this.message };
  }
}

/** The user asked for something the command does not take (a bad flag, a missing argument). */
export class UsageError extends WardenError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** A file the user named is missing, unreadable or not what it should be. */
export class FileError extends WardenError {
  constructor(message: string, code: ErrorCode = 'E_FILE') {
    super(code, message);
  }
}

/** A roster file (warden.yaml, mcp.json, an agent manifest) does not match its schema. */
export class ManifestError extends WardenError {
  constructor(message: string) {
    super('E_MANIFEST_INVALID', message);
  }
}

/** A ledger event does not match the closed union of event schemas. */
export class EventInvalidError extends WardenError {
  constructor(message: string) {
    super('E_EVENT_INVALID', message);
  }
}

/** A data folder that was expected to hold a ledger does not. */
export class NoLedgerError extends WardenError {
  constructor(message: string) {
    super('E_NO_LEDGER', message);
  }
}

/** The ledger no longer holds what it signed before (cut short or rewritten): nothing more is signed. */
export class LedgerTamperedError extends WardenError {
  constructor(message: string) {
    super('E_LEDGER_TAMPERED', message);
  }
}

/** A result that can fail for expected reasons, as data. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Turns anything thrown into plain error data, keeping a Warden code where there is one. */
export function toErrorData(error: unknown, fallback: ErrorCode = 'E_SANDBOX_HOST'): ErrorData {
  if (error instanceof WardenError) return error.toData();
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : fallback, message: error.message };
  }
  return { code: fallback, message: String(error) };
}
