import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../../shared/errors.js';

/** The flags of one command, in node:util's parseArgs shape. */
export type Flags = NonNullable<ParseArgsConfig['options']>;

/** What a command's line parsed into. */
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses a command's arguments strictly: an unknown flag, a missing value or an extra
 * argument is a UsageError naming it, never silently ignored.
 */
export function parse(command: string, argv: string[], flags: Flags, maxPositionals: number): Parsed {
  let result;
  try {
    result = parseArgs({
      args: argv,
      options: { ...flags, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${command}: ${cleanParseError((error as Error).message)}`);
  }
  if (result.positionals.length > maxPositionals) {
    throw new UsageError(`${command}: unexpected argument "${result.positionals[maxPositionals]}"`);
  }
  return { values: result.values as Parsed['values'], positionals: result.positionals };
}

function cleanParseError(message: string): string {
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown flag ${unknown[1]}`;
  const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  return message.split('\n')[0]!.replace(/\. To specify.*$/, '');
}

/** A string flag's value, or a UsageError if it is required and absent. */
export function str(parsed: Parsed, name: string, command: string, required: true): string;
export function str(parsed: Parsed, name: string, command: string, required?: false): string | undefined;
export function str(parsed: Parsed, name: string, command: string, required = false): string | undefined {
  const value = parsed.values[name];
  if (typeof value === 'string') return value;
  if (required) throw new UsageError(`${command}: --${name} is required`);
  return undefined;
}

/** An integer flag within bounds. */
export function int(parsed: Parsed, name: string, command: string, min: number, max: number): number | undefined {
  const raw = str(parsed, name, command);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${command}: --${name}: expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * An ISO-8601 time flag, normalised to the ledger's form (UTC, milliseconds). A time without
 * an offset is UTC, like the ledger's own times, so a command means the same on every machine.
 */
export function time(parsed: Parsed, name: string, command: string): string | undefined {
  const raw = str(parsed, name, command);
  if (raw === undefined) return undefined;
  const match = ISO_TIME.exec(raw);
  let ms = Number.NaN;
  if (match) {
    const [, y, mo, d, h = '00', mi = '00', , zone] = match;
    ms = Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : zone ? raw : `${raw}Z`);
    // Date.parse rolls 2026-02-30 over to March; a date must name a real day.
    const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    const real =
      day.getUTCFullYear() === Number(y) && day.getUTCMonth() === Number(mo) - 1 && day.getUTCDate() === Number(d);
    if (!real || Number(h) > 23 || Number(mi) > 59) ms = Number.NaN;
  }
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `${command}: --${name}: expected an ISO-8601 time like 2026-11-01 or 2026-11-01T09:00:00Z, got "${raw}"`,
    );
  }
  return new Date(ms).toISOString();
}
