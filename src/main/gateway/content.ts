import { createHash } from 'node:crypto';
import {
  INLINE_BINARY_BYTES,
  RECORDED_FIELD_CHARS,
  RECORDED_PARTS,
  RECORDED_TEXT_CHARS,
  type ContentPart,
  type RecordedPart,
} from '../../shared/content.js';
import type { JsonValue } from '../../shared/json.js';
import { LEDGER_VALUE_CHARS } from '../ledger/bounded.js';

/** Where the bytes of large parts are kept, and how a secret in them is noticed (the ledger's). */
export interface ContentKeeper {
  /** Keeps bytes under their SHA-256; resolves once they are on disk. */
  keep(bytes: Uint8Array): Promise<string>;
  /** Whether text (bytes read as Latin-1) holds a registered secret, plain or encoded. */
  holdsSecret(text: string): boolean;
}

/** A result's parts as the `tool.result` event records them. */
export interface RecordedContent {
  parts: RecordedPart[];
  /** Parts, texts or fields were cut to keep the event lean (the agent got them whole). */
  truncated: boolean;
}

/**
 * Records the parts of a result for the ledger, in order. Text stays text (the ledger's
 * redactor takes secrets out of it like any payload); links keep their uri, name and type.
 * Bytes (an image, audio, a resource's blob) are recorded by SHA-256 and size; up to
 * INLINE_BINARY_BYTES of them also inline (while the event has room), others are kept in the data folder's blobs
 * before the event that names them is written. Bytes that hold a registered secret are kept
 * nowhere: the event says so (`withheld`). Like a text result, the whole is held to
 * LEDGER_VALUE_CHARS of text, inline bytes (as base64) included.
 */
export async function recordContent(parts: readonly ContentPart[], keeper: ContentKeeper): Promise<RecordedContent> {
  let truncated = parts.length > RECORDED_PARTS;
  const budget = { chars: LEDGER_VALUE_CHARS };
  const cut = (text: string, max: number): string => {
    const room = Math.min(max, budget.chars);
    budget.chars -= Math.min(text.length, room);
    if (text.length <= room) return text;
    truncated = true;
    return `${text.slice(0, room)}…`;
  };
  // A link's or resource's fields keep their first 100 characters even when the event is full.
  const short = (text: string): string => {
    const room = Math.max(100, Math.min(RECORDED_FIELD_CHARS, budget.chars));
    budget.chars = Math.max(0, budget.chars - Math.min(text.length, room));
    if (text.length <= room) return text;
    truncated = true;
    return text.slice(0, room);
  };
  const recorded: RecordedPart[] = [];
  for (const part of parts.slice(0, RECORDED_PARTS)) {
    switch (part.type) {
      case 'text':
        recorded.push({ type: 'text', text: cut(part.text, RECORDED_TEXT_CHARS) });
        break;
      case 'image':
      case 'audio':
        recorded.push({
          type: part.type,
          mimeType: short(part.mimeType),
          ...(await bytesOf(part.data, keeper, budget)),
        });
        break;
      case 'resource_link':
        recorded.push({
          type: 'resource_link',
          uri: short(part.uri),
          name: short(part.name),
          ...(part.mimeType !== undefined ? { mimeType: short(part.mimeType) } : {}),
          ...(part.title !== undefined ? { title: short(part.title) } : {}),
          ...(part.description !== undefined ? { description: short(part.description) } : {}),
          ...(part.size !== undefined ? { size: part.size } : {}),
        });
        break;
      case 'resource': {
        const r = part.resource;
        recorded.push({
          type: 'resource',
          uri: short(r.uri),
          ...(r.mimeType !== undefined ? { mimeType: short(r.mimeType) } : {}),
          ...('text' in r ? { text: cut(r.text, RECORDED_TEXT_CHARS) } : await bytesOf(r.blob, keeper, budget)),
        });
        break;
      }
    }
  }
  return { parts: recorded, truncated };
}

async function bytesOf(
  base64: string,
  keeper: ContentKeeper,
  budget: { chars: number },
): Promise<{ sha256: string; bytes: number; data?: string; withheld?: string }> {
  const decoded = Buffer.from(base64, 'base64');
  const sha256 = createHash('sha256').update(decoded).digest('hex');
  const found = { sha256, bytes: decoded.length };
  if (keeper.holdsSecret(decoded.toString('latin1'))) return { ...found, withheld: 'the bytes hold a secret' };
  const inline = decoded.length <= INLINE_BINARY_BYTES ? decoded.toString('base64') : null;
  if (inline !== null && inline.length <= budget.chars) {
    budget.chars -= inline.length;
    return { ...found, data: inline };
  }
  try {
    await keeper.keep(decoded);
  } catch (error) {
    // The record of the call matters more than a copy of its bytes: the hash is still evidence.
    return { ...found, withheld: `no copy could be kept: ${(error as Error).message}`.slice(0, 200) };
  }
  return found;
}

/**
 * What an agent gets from a result with more than text: the MCP result itself, its parts in
 * order (images and audio with base64 `data`) and its structured content when it has one.
 */
export function mediaValue(parts: readonly ContentPart[], structuredContent: JsonValue | undefined): JsonValue {
  return {
    content: parts as unknown as JsonValue,
    ...(structuredContent !== undefined ? { structuredContent } : {}),
  };
}

/** The words of a result an injection could hide in: texts, text resources, and what links say of themselves. */
export function partsText(parts: readonly ContentPart[]): string {
  const words: string[] = [];
  for (const part of parts) {
    if (part.type === 'text') words.push(part.text);
    else if (part.type === 'resource_link') words.push(part.name, part.title ?? '', part.description ?? '', part.uri);
    else if (part.type === 'resource' && 'text' in part.resource) words.push(part.resource.text);
  }
  return words.filter(Boolean).join('\n');
}

/**
 * A tool's value as a model reads it in the standard loop, whose messages are text: each
 * image's and audio's `data` and each resource's `blob` replaced by its size in bytes, so a
 * picture does not arrive as a wall of base64.
 */
export function withoutBytes(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutBytes);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, JsonValue> = {};
  // Only the MCP shapes: an image or audio part's data, a resource's blob beside its uri.
  const bytesKey =
    value.type === 'image' || value.type === 'audio' ? 'data' : typeof value.uri === 'string' ? 'blob' : '';
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' && key === bytesKey) out.bytes = Buffer.byteLength(item, 'base64');
    else out[key] = withoutBytes(item);
  }
  return out;
}
