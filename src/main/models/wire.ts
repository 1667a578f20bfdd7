import { WardenError } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import type { ToolDefinition } from '../../shared/models.js';
import type { ChatRequest } from './provider.js';

/**
 * What the HTTP providers share: tool names the APIs accept, tool-call arguments parsed
 * strictly, and SDK failures turned into one-line WardenErrors that never hold the API key.
 */

/** How a provider's settings name it in errors: `anthropic` (its name in warden.yaml) and the model. */
export interface CallLabel {
  provider: string;
  model: string;
}

/**
 * Both APIs accept tool names of `[A-Za-z0-9_-]` only, while Warden's are `server.tool`; this
 * maps each request's names to wire names and back, unique within the request.
 */
export class ToolNames {
  private readonly toWire = new Map<string, string>();
  private readonly fromWire = new Map<string, string>();

  constructor(tools: readonly ToolDefinition[]) {
    for (const tool of tools) this.encode(tool.name);
  }

  /** The wire name of a Warden tool name; the same name always gets the same wire name. */
  encode(name: string): string {
    const known = this.toWire.get(name);
    if (known !== undefined) return known;
    const base = name.replace(/[^A-Za-z0-9_-]/g, '__').slice(0, 60) || 'tool';
    let wire = base;
    for (let n = 2; this.fromWire.has(wire); n++) wire = `${base}_${n}`;
    this.toWire.set(name, wire);
    this.fromWire.set(wire, name);
    return wire;
  }

  /** The Warden name of a wire name; one the request never offered passes through (the gateway refuses it). */
  decode(wire: string): string {
    return this.fromWire.get(wire) ?? wire;
  }
}

/** A JSON Schema the APIs accept as a tool's input: an object schema (anything else becomes an open object). */
export function objectSchema(schema: JsonValue): { [key: string]: JsonValue } {
  if (schema !== null && typeof schema === 'object' && !Array.isArray(schema) && schema.type === 'object') {
    return schema;
  }
  return { type: 'object', properties: {} };
}

/** True for a plain JSON object, the only shape tool-call arguments may take. */
export function isRecord(value: unknown): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Tool-call arguments as the OpenAI API sends them (a JSON string); anything but an object is a malformed reply. */
export function parseArguments(label: CallLabel, tool: string, text: string): { [key: string]: JsonValue } {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed(label, `the arguments of tool call "${tool}" are not valid JSON`);
  }
  if (!isRecord(value)) throw malformed(label, `the arguments of tool call "${tool}" are not a JSON object`);
  return value;
}

/** A token count from a reply: a whole number >= 0, or 0 when the endpoint reports none (some local servers). */
export function tokenCount(label: CallLabel, value: unknown, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw malformed(label, `${field} is not a whole number of tokens`);
  }
  return value;
}

/** Why a streamed call failed when the server answered with a whole reply (or an empty body) instead of events. */
export const NOT_A_STREAM =
  'no streamed events arrived (a server that cannot stream needs `stream: false` in warden.yaml)';

/** E_MODEL for a reply that arrived but does not have the expected shape. */
export function malformed(label: CallLabel, why: string): WardenError {
  return new WardenError('E_MODEL', `${prefix(label)}: malformed reply: ${why}`);
}

function prefix({ provider, model }: CallLabel): string {
  return `model provider "${provider}" (${provider}:${model})`;
}

/** The error classes of one SDK (both SDKs have these four), to tell a timeout from a refused connection. */
export interface SdkErrors {
  timeout: abstract new (...args: never[]) => Error;
  connection: abstract new (...args: never[]) => Error;
  abort: abstract new (...args: never[]) => Error;
  /** The base of the others and of HTTP errors; without a status it is an error the server sent mid-stream. */
  api: abstract new (...args: never[]) => Error;
}

/** What the SDKs' APIError exposes that we use. */
interface SdkError {
  status?: unknown;
  message?: unknown;
  error?: unknown;
}

/**
 * Turns whatever a call threw into a WardenError: E_CANCELLED once the run's signal fired,
 * else E_MODEL in one line naming the provider and the cause. The key is cut out of the
 * message in case a server echoed it; a WardenError raised by our own mapping passes through.
 */
export function callFailure(
  label: CallLabel,
  error: unknown,
  secrets: readonly string[],
  signal: AbortSignal | undefined,
  sdk: SdkErrors,
): WardenError {
  if (signal?.aborted)
    return new WardenError('E_CANCELLED', `the call to ${label.provider}:${label.model} was cancelled`);
  if (error instanceof WardenError) return error;
  const e = (error ?? {}) as SdkError;
  let cause: string;
  // The timeout class extends the connection class, so it is asked first.
  if (error instanceof sdk.timeout) cause = 'timed out (no reply within timeoutMs, after any retries)';
  else if (error instanceof sdk.connection) cause = `unreachable (${connectionCause(error)})`;
  else if (error instanceof sdk.abort) cause = 'the call was aborted';
  // A refused key's message may quote part of it (OpenAI shows its start and end): not kept.
  else if (e.status === 401 || e.status === 403)
    cause = `HTTP ${e.status}: the API key was refused (check it, and that it may use this model)`;
  else if (typeof e.status === 'number') cause = `HTTP ${e.status}: ${serverMessage(e)}`;
  else if (error instanceof sdk.api) cause = `the server reported an error mid-stream: ${serverMessage(e)}`;
  else if (error instanceof SyntaxError) cause = 'malformed reply: not valid JSON';
  else cause = error instanceof Error ? error.message : String(error);
  return new WardenError('E_MODEL', `${prefix(label)}: ${oneLine(redact(cause, secrets))}`);
}

/** The API's own error message (`{"error":{"message":…}}` in both APIs), else the SDK's. */
function serverMessage(e: SdkError): string {
  const body = e.error;
  if (isRecord(body)) {
    const inner = isRecord(body.error) ? body.error : body;
    if (typeof inner.message === 'string') return inner.message;
  }
  return typeof e.message === 'string' ? e.message : 'no message';
}

/**
 * The network cause under an APIConnectionError, which the SDKs keep as `cause`: its code
 * (ECONNREFUSED, ENOTFOUND, ...), else the deepest message (fetch's own, e.g. "bad port").
 */
function connectionCause(error: unknown): string {
  let deepest = error instanceof Error ? error.message : 'connection error';
  let here: unknown = (error as { cause?: unknown }).cause;
  for (let depth = 0; depth < 3 && isRecord(here); depth++) {
    const { code, message } = here as { code?: unknown; message?: unknown };
    if (typeof code === 'string') return code;
    if (typeof message === 'string' && message) deepest = message;
    here = (here as { cause?: unknown }).cause;
  }
  return deepest;
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('[redacted]');
  return out;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** How to reach one HTTP model API endpoint (Anthropic, OpenAI or OpenAI-compatible). */
export interface HttpProviderSettings {
  /** The provider's name in model refs and warden.yaml, e.g. "anthropic". */
  name: string;
  baseUrl: string;
  /** The key itself, read from the environment variable warden.yaml names; never logged or recorded. */
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  /** Stream replies (the default): text arrives as it is written, and a stalled reply is cut off. */
  stream?: boolean;
  /** The cap on a reply's length, tokens. The Messages API requires one (default 4096); for OpenAI it is sent only when set. */
  maxOutputTokens?: number;
}

/** A chat call's shape for `overTheWire`, from its provider's settings and the run's request. */
export function callShape(
  settings: HttpProviderSettings,
  request: Pick<ChatRequest, 'model' | 'signal'>,
  sdk: SdkErrors,
): CallShape {
  return {
    label: { provider: settings.name, model: request.model },
    signal: request.signal,
    timeoutMs: settings.timeoutMs,
    secrets: settings.apiKey ? [settings.apiKey] : [],
    sdk,
  };
}

/** How one call goes over the wire: the label for errors, the run's signal, the idle limit, the key to keep out. */
export interface CallShape {
  label: CallLabel;
  signal: AbortSignal | undefined;
  /** The longest wait for the next piece of a streamed reply, ms. */
  timeoutMs: number;
  secrets: readonly string[];
  sdk: SdkErrors;
}

/**
 * Runs one SDK call under Warden's rules. `open` starts it with a signal of ours; a streamed
 * reply is read with `each` per event, and a stream that goes quiet for `timeoutMs` is cut off
 * (the SDK's own timeout only covers the wait for the response to begin). The run's signal
 * ends the call at once, even during the SDK's sleep before a retry, which no signal
 * interrupts. Every failure is a one-line WardenError without the key.
 */
export async function overTheWire<T>(
  shape: CallShape,
  open: (signal: AbortSignal) => Promise<T | AsyncIterable<unknown>>,
  each?: (event: unknown) => void,
): Promise<T | undefined> {
  const { label, signal } = shape;
  const local = new AbortController();
  let stalled = false;
  let reading = false;
  let cancel: () => void = () => undefined;
  const cancelled = new Promise<never>((_, reject) => {
    cancel = () => {
      local.abort();
      reject(new WardenError('E_CANCELLED', `the call to ${label.provider}:${label.model} was cancelled`));
    };
  });
  // The SDK's promise may settle after we stopped waiting for it; it has nobody to tell.
  cancelled.catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const quietFor = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      local.abort();
    }, shape.timeoutMs);
    // A call given up on (cancelled) may still be winding down; its timer keeps nothing alive.
    timer.unref();
  };
  const work = (async (): Promise<T | undefined> => {
    const reply = await open(local.signal);
    if (!each) return reply as T;
    reading = true;
    quietFor();
    for await (const event of reply as AsyncIterable<unknown>) {
      quietFor();
      each(event);
    }
    // An SDK stream whose signal fired may simply end, as if the reply were complete.
    if (stalled) throw new Error('stalled');
    return undefined;
  })();
  work.catch(() => undefined);
  try {
    if (signal?.aborted) cancel();
    return await Promise.race([work, cancelled]);
  } catch (error) {
    if (stalled && !signal?.aborted) {
      throw new WardenError(
        'E_MODEL',
        `${prefix(label)}: timed out (the streamed reply stopped for ${shape.timeoutMs} ms)`,
      );
    }
    if (reading && !signal?.aborted && brokeOff(error, shape.sdk)) {
      throw malformed(label, `the stream broke off (${oneLine(redact(networkCause(error), shape.secrets))})`);
    }
    throw callFailure(label, error, shape.secrets, signal, shape.sdk);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
  }
}

/**
 * True for what fetch throws when the connection drops in the middle of a body (undici's
 * "terminated"): not our own error, not bad JSON, not an error the server sent.
 */
function brokeOff(error: unknown, sdk: SdkErrors): boolean {
  return (
    error instanceof Error &&
    !(error instanceof WardenError || error instanceof SyntaxError || error instanceof sdk.api)
  );
}

/** An error's message with its causes' (`terminated: other side closed`). */
function networkCause(error: unknown): string {
  const parts: string[] = [];
  let here: unknown = error;
  for (let depth = 0; depth < 3 && here instanceof Error; depth++) {
    if (here.message && !parts.includes(here.message)) parts.push(here.message);
    here = (here as { cause?: unknown }).cause;
  }
  return parts.join(': ') || 'connection lost';
}
