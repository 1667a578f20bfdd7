import * as crypto from 'node:crypto';

/** The prev_hash of the first event: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that its hash covers, besides the payload. */
export interface HashedFields {
  seq: number;
  ts: string;
  runId: string | null;
  agentId: string | null;
  type: string;
  v: number;
}

/**
 * The canonical JSON of an event (sorted keys, no whitespace), given its payload already in
 * canonical JSON. Written out by hand because it runs once per event in verify's hot loop;
 * the key order here is the sorted order and must stay so.
 */
export function canonicalEventBody(fields: HashedFields, canonicalPayload: string): string {
  return (
    `{"agentId":${fields.agentId === null ? 'null' : JSON.stringify(fields.agentId)}` +
    `,"payload":${canonicalPayload}` +
    `,"runId":${fields.runId === null ? 'null' : JSON.stringify(fields.runId)}` +
    `,"seq":${fields.seq}` +
    `,"ts":${JSON.stringify(fields.ts)}` +
    `,"type":${JSON.stringify(fields.type)}` +
    `,"v":${fields.v}}`
  );
}

/** hash = hex(SHA-256(prev_hash as its 64 hex characters, then the event's canonical JSON)). */
export function chainHash(prevHash: string, canonicalBody: string): string {
  return sha256Hex(prevHash + canonicalBody);
}

// crypto.hash (Node 20.12+) hashes in one call, about twice as fast as createHash for
// inputs this small; verify spends much of its time here.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
/** hex(SHA-256(data)), data as UTF-8. */
export const sha256Hex: (data: string) => string = oneShot
  ? (data) => oneShot('sha256', data, 'hex')
  : (data) => crypto.createHash('sha256').update(data).digest('hex');
