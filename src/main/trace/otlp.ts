import { createHash } from 'node:crypto';
import { TRACE_VERSION, type SpanStatus, type Trace, type TraceSpan } from '../../shared/trace.js';
import { Attributes, spanAttributes, spanKind, spanName, statusMessage } from './otlp-attributes.js';

/**
 * A run's trace as OTLP/JSON: one `ExportTraceServiceRequest`, as OpenTelemetry's file exporter
 * writes a line of it. The JSON is protobuf's JSON mapping of the OTLP messages, with OTLP's
 * exceptions: trace and span ids are hex (not base64), enums are numbers, 64-bit integers are
 * decimal strings. Span attributes follow the GenAI semantic conventions (otlp-attributes.ts).
 */

/** An attribute's value (`AnyValue`); Warden writes these four kinds, and lists of strings. */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  /** int64, as a decimal string. */
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] };
}

/** One attribute. */
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

/** A span's event: one of its annotations. */
export interface OtlpSpanEvent {
  timeUnixNano: string;
  name: string;
  attributes: OtlpKeyValue[];
}

/** One span. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** `SpanKind`: 1 internal, 3 client. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events: OtlpSpanEvent[];
  /** `StatusCode`: 0 unset, 1 ok, 2 error; a message only with an error. */
  status: { code: number; message?: string };
}

/** `ExportTraceServiceRequest`: the spans of one trace, under Warden's resource and scope. */
export interface OtlpTraceRequest {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope: { name: string; version: string }; spans: OtlpSpan[] }[];
  }[];
}

/** What the resource says of the Warden that wrote the export. */
export interface OtlpSource {
  /** Warden's version. */
  version: string;
  /** The data folder's id (`warden:<uuid>`), when its ledger has one. */
  origin?: string;
}

/** OTLP's status codes. */
export const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

/**
 * How each span status reads in OTLP. Open spans and a cancelled run are unset (cancelling is
 * not failing); a draft and an eval's simulated write ended as designed.
 */
const STATUS: Record<SpanStatus, number> = {
  ok: STATUS_CODE.ok,
  drafted: STATUS_CODE.ok,
  simulated: STATUS_CODE.ok,
  waiting: STATUS_CODE.unset,
  running: STATUS_CODE.unset,
  cancelled: STATUS_CODE.unset,
  error: STATUS_CODE.error,
  limit: STATUS_CODE.error,
  interrupted: STATUS_CODE.error,
  rejected: STATUS_CODE.error,
  expired: STATUS_CODE.error,
  denied: STATUS_CODE.error,
};

/** The trace as one OTLP/JSON request; its spans and the number of them. */
export function traceToOtlp(trace: Trace, source: OtlpSource): OtlpTraceRequest {
  const traceId = hexId(`warden trace ${trace.runId}`, 32);
  const spans: OtlpSpan[] = [];
  addSpan(trace.root, { traceId, runId: trace.runId, agentId: trace.root.name, parentSpanId: undefined }, spans);
  const resource = new Attributes()
    .str('service.name', 'warden')
    .str('service.version', source.version)
    .str('warden.ledger.origin', source.origin)
    .int('warden.trace.version', TRACE_VERSION);
  return {
    resourceSpans: [
      {
        resource: { attributes: resource.list },
        scopeSpans: [{ scope: { name: 'warden', version: source.version }, spans }],
      },
    ],
  };
}

/** Where a span sits: its trace, the run it belongs to (and that run's agent), its parent. */
export interface SpanPlace {
  traceId: string;
  runId: string;
  agentId: string;
  parentSpanId: string | undefined;
}

/**
 * Adds a span and its descendants to `spans`, parent first; returns the last time (epoch ms)
 * the ledger knows anything of it, which is the end an open span is given.
 */
function addSpan(span: TraceSpan, place: SpanPlace, spans: OtlpSpan[]): number {
  // A run is its own place: its span id depends on its run id alone, so a handoff's child run has
  // the same id whether it is exported in its root's trace or (with --run) in its own.
  const here = span.kind === 'run' ? { ...place, runId: span.id, agentId: span.name } : place;
  const spanId = hexId(
    span.kind === 'run' ? `warden span run ${span.id}` : `warden span ${here.runId} ${span.kind} ${span.id}`,
    16,
  );
  const startMs = Date.parse(span.start);
  const out: OtlpSpan = {
    traceId: place.traceId,
    spanId,
    ...(place.parentSpanId ? { parentSpanId: place.parentSpanId } : {}),
    name: spanName(span),
    kind: spanKind(span),
    startTimeUnixNano: nanos(startMs),
    endTimeUnixNano: '',
    attributes: spanAttributes(span, here).list,
    events: span.annotations
      .filter((a) => !a.internal)
      .map((a) => ({
        timeUnixNano: nanos(Date.parse(a.ts)),
        name: a.type,
        attributes: new Attributes().int('warden.event.seq', a.seq).str('warden.event.text', a.text).list,
      })),
    status: { code: STATUS[span.status] },
  };
  if (out.status.code === STATUS_CODE.error) out.status.message = statusMessage(span);
  spans.push(out);
  let last = Math.max(startMs, span.end === null ? startMs : Date.parse(span.end));
  for (const a of span.annotations) last = Math.max(last, Date.parse(a.ts));
  for (const child of span.children) last = Math.max(last, addSpan(child, { ...here, parentSpanId: spanId }, spans));
  out.endTimeUnixNano = nanos(span.end === null ? last : Date.parse(span.end));
  return last;
}

/** Epoch milliseconds as OTLP's nanoseconds, a decimal string (past 2^53, so by BigInt). */
function nanos(ms: number): string {
  return (BigInt(Math.floor(ms)) * 1_000_000n).toString();
}

/**
 * An id as hex, from SHA-256 of a name (deterministic: the same run exports to the same ids).
 * An all-zero id is invalid in OTLP; a SHA-256 prefix is one with odds of 2^-64 and below.
 */
function hexId(name: string, chars: 16 | 32): string {
  return createHash('sha256').update(name).digest('hex').slice(0, chars);
}

/** How many spans a request holds. */
export function spanCount(request: OtlpTraceRequest): number {
  return request.resourceSpans.reduce((n, r) => n + r.scopeSpans.reduce((m, s) => m + s.spans.length, 0), 0);
}
