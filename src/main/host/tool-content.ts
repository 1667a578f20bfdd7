import type { ToolContentView } from '../../shared/content.js';
import { WardenError } from '../../shared/errors.js';
import { isEvent } from '../../shared/narrow.js';
import type { Ledger } from '../ledger/index.js';

/**
 * The bytes of one image, audio or resource part of a recorded tool result, for the console to
 * show: only what a `tool.result` event names (never a path someone asks for), with the media
 * type the event recorded, inline from the event or from the data folder's blobs once they
 * hash to what the event says.
 */
export async function toolContent(ledger: Ledger, seq: number, index: number): Promise<ToolContentView> {
  const event = ledger.reader.get(seq);
  if (!event || !isEvent(event, 'tool.result')) throw new WardenError('E_USAGE', `event ${seq} is not a tool result`);
  const part = event.payload.content?.[index];
  if (!part) throw new WardenError('E_USAGE', `the tool result at ${seq} has no part ${index}`);
  if (part.type === 'text' || part.type === 'resource_link' || part.sha256 === undefined || part.bytes === undefined)
    throw new WardenError('E_USAGE', `part ${index} of the tool result at ${seq} holds no bytes`);
  const found = { mimeType: part.mimeType ?? 'application/octet-stream', sha256: part.sha256, bytes: part.bytes };
  if (part.data !== undefined) return { ...found, data: part.data };
  if (part.withheld) throw new WardenError('E_FILE', `no copy of part ${index} of ${seq} was kept: ${part.withheld}`);
  const bytes = await ledger.blobs.get(part.sha256);
  if (!bytes)
    throw new WardenError('E_FILE', `the data folder holds no copy of ${part.sha256} (part ${index} of ${seq})`);
  return { ...found, data: bytes.toString('base64') };
}
