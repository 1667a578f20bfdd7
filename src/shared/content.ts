import { z } from 'zod';
import { sha256 } from './event-fields.js';

/**
 * The parts of a tool's result (MCP content): text, an image, audio, a link to a resource, or
 * an embedded resource. Three shapes of them: as a server sends them (checked again here,
 * since the runtime never trusts a server's output), as an agent program receives them, and as
 * the ledger records them (large bytes by their hash, see {@link RecordedPartSchema}).
 */

/** Binary content (an image, audio, a resource's blob) of at most this many bytes is kept inline in the ledger; larger, by its hash. */
export const INLINE_BINARY_BYTES = 1024;
/** Parts of one result the ledger records; a result with more is cut and marked truncated. */
export const RECORDED_PARTS = 100;
/** Characters of one text (a text part, a text resource) the ledger records; longer is cut and marked truncated. */
export const RECORDED_TEXT_CHARS = 16 * 1024;
/** Characters of a link's or resource's uri, name, title, description or media type the ledger records. */
export const RECORDED_FIELD_CHARS = 2048;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
/** Base64 as servers send it: line breaks and spaces (MIME's 76-character lines) are dropped first. */
const sentBase64 = z
  .string()
  .transform((text) => text.replace(/\s+/g, ''))
  .pipe(base64);
const mimeType = z.string().max(RECORDED_FIELD_CHARS);
const field = z.string().max(RECORDED_FIELD_CHARS);

/**
 * A part as an MCP server sends it and an agent program receives it: the MCP shape, without
 * annotations and `_meta`. Images and audio carry base64 `data`; an embedded resource its
 * `text` or base64 `blob`.
 */
export const ContentPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('image'), data: sentBase64, mimeType: z.string() }),
  z.object({ type: z.literal('audio'), data: sentBase64, mimeType: z.string() }),
  z.object({
    type: z.literal('resource_link'),
    uri: z.string(),
    name: z.string(),
    mimeType: z.string().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    size: z.number().nonnegative().optional(),
  }),
  z.object({
    type: z.literal('resource'),
    resource: z.union([
      z.object({ uri: z.string(), mimeType: z.string().optional(), text: z.string() }),
      z.object({ uri: z.string(), mimeType: z.string().optional(), blob: sentBase64 }),
    ]),
  }),
]);
/** A part of a tool's result, as a program receives it (base64 without line breaks). */
export type ContentPart = z.output<typeof ContentPartSchema>;

/** Bytes as the ledger records them: their hash and size always, the bytes themselves only when small. */
const binary = {
  /** SHA-256 of the decoded bytes, in hex: what a kept copy is checked against. */
  sha256,
  /** Decoded size, bytes. */
  bytes: z.number().int().nonnegative(),
  /** The bytes in base64, when there are at most INLINE_BINARY_BYTES of them. */
  data: base64.optional(),
  /**
   * Why the bytes were kept nowhere (they hold a secret, or the copy could not be written);
   * without it, small bytes are in `data` and larger ones in the data folder's `blobs/`.
   */
  withheld: z.string().max(200).optional(),
};

/** A part of a tool's result as the `tool.result` event records it. */
export const RecordedPartSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string().max(RECORDED_TEXT_CHARS + 1) }),
  z.strictObject({ type: z.literal('image'), mimeType, ...binary }),
  z.strictObject({ type: z.literal('audio'), mimeType, ...binary }),
  z.strictObject({
    type: z.literal('resource_link'),
    uri: field,
    name: field,
    mimeType: mimeType.optional(),
    title: field.optional(),
    description: field.optional(),
    size: z.number().nonnegative().optional(),
  }),
  z.strictObject({
    type: z.literal('resource'),
    uri: field,
    mimeType: mimeType.optional(),
    /** A text resource's text; a binary one has the fields of bytes instead. */
    text: z
      .string()
      .max(RECORDED_TEXT_CHARS + 1)
      .optional(),
    sha256: sha256.optional(),
    bytes: binary.bytes.optional(),
    data: binary.data,
    withheld: binary.withheld,
  }),
]);
/** A part of a tool's result as the ledger records it. */
export type RecordedPart = z.infer<typeof RecordedPartSchema>;

/** Whether a result holds anything but text: then it is handed on and recorded part by part. */
export function hasMedia(parts: readonly ContentPart[]): boolean {
  return parts.some((part) => part.type !== 'text');
}

/** Asking for the bytes of one part of a recorded tool result: the `tool.result` event's seq and the part's index. */
export const ToolContentParamsSchema = z.strictObject({
  seq: z.number().int().positive(),
  index: z
    .number()
    .int()
    .min(0)
    .max(RECORDED_PARTS - 1),
});

/** The bytes of one part of a recorded tool result, as the console gets them: checked against the ledger's hash. */
export const ToolContentViewSchema = z.strictObject({
  /** The media type the ledger recorded for the part. */
  mimeType: z.string(),
  sha256,
  bytes: z.number().int().nonnegative(),
  /** The bytes, base64. */
  data: base64,
});
/** The bytes of one part of a recorded tool result. */
export type ToolContentView = z.infer<typeof ToolContentViewSchema>;
