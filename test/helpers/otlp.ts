import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { OtlpSpan, OtlpTraceRequest } from '../../src/main/trace/otlp.js';

/** The parts of a protobufjs message type that the checks use. */
interface ProtoType {
  fromObject(object: unknown): unknown;
  verify(message: unknown): string | null;
  toObject(message: unknown, options: Record<string, unknown>): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
}

// OpenTelemetry's own JavaScript OTLP package ships the OTLP protos compiled by protobufjs
// (a static module generated from opentelemetry-proto); its ExportTraceServiceRequest is the
// schema the export is checked against, not a shape written here.
const root = createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: ProtoType } } } } };
};
const ExportTraceServiceRequest = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** protobufjs's object form in the OTLP/JSON conventions: 64-bit integers as decimal strings, enums as numbers. */
const AS_JSON = { longs: String, enums: Number, bytes: String, defaults: true, arrays: true };

const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** The value with every trace or span id converted (ids are the only bytes fields OTLP traces have). */
function mapIds(value: unknown, convert: (id: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapIds(v, convert));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      ID_KEYS.has(k) && typeof v === 'string' ? convert(v) : mapIds(v, convert),
    ]),
  );
}

const hexToBase64 = (id: string) => Buffer.from(id, 'hex').toString('base64');
const base64ToHex = (id: string) => Buffer.from(id, 'base64').toString('hex');

/**
 * Checks one line of an OTLP/JSON export against the OTLP protobuf schema and returns it parsed:
 * the line becomes an ExportTraceServiceRequest message that verifies, that message holds every
 * field of the line with the same value (a field the schema does not know, or of the wrong type,
 * would be dropped or changed), and it survives the protobuf wire format unchanged.
 *
 * OTLP/JSON writes trace and span ids as hex, an exception the OTLP spec makes to protobuf's JSON
 * mapping (which reads a string for a bytes field as base64, and so does protobufjs's
 * fromObject): the ids are turned into base64 on the way in and back into hex on the way out,
 * so the bytes the protobuf message holds are exactly the hex the line wrote.
 */
export function checkAgainstOtlpSchema(line: string): OtlpTraceRequest {
  const json = JSON.parse(line) as OtlpTraceRequest;
  const message = ExportTraceServiceRequest.fromObject(mapIds(json, hexToBase64));
  expect(ExportTraceServiceRequest.verify(message)).toBeNull();
  const asObject = mapIds(ExportTraceServiceRequest.toObject(message, AS_JSON), base64ToHex);
  expect(asObject).toMatchObject(json as unknown as Record<string, unknown>);
  const wire = ExportTraceServiceRequest.encode(message).finish();
  const decoded = mapIds(
    ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(wire), AS_JSON),
    base64ToHex,
  );
  expect(decoded).toEqual(asObject);
  for (const span of spansOf(json)) {
    expect(span.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
  }
  return json;
}

/** Every span of a request. */
export function spansOf(request: OtlpTraceRequest): OtlpSpan[] {
  return request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
}

/** A span's attributes as a plain record: strings, numbers (int64 as numbers), booleans, lists. */
export function attributesOf(span: Pick<OtlpSpan, 'attributes'>): Record<string, unknown> {
  const plain = (v: OtlpSpan['attributes'][number]['value']): unknown =>
    v.stringValue ??
    v.boolValue ??
    (v.intValue !== undefined ? Number(v.intValue) : undefined) ??
    v.doubleValue ??
    v.arrayValue?.values.map(plain);
  return Object.fromEntries(span.attributes.map((a) => [a.key, plain(a.value)]));
}
