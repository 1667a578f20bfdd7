// Patterns of the ledger's stored fields, with no dependencies: the zod schemas (event-fields.ts,
// events.ts) and the renderer's zod-free push reader (push.ts) check the same thing.

/**
 * Ids (runs, agents, calls, approvals) are plain tokens: letters, digits and . _ : @ -. Never
 * anything JSON must escape, which lets the ledger build an event's canonical JSON in SQL.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;
/** A stored event's time: ISO-8601 UTC to the millisecond, as the ledger writes it. */
export const STORED_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** A SHA-256 in hex, as the chain's hashes are written. */
export const HASH_PATTERN = /^[0-9a-f]{64}$/;
