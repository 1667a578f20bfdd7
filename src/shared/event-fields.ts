import { z } from 'zod';

// Fields the ledger's event payloads share (events.ts, events-governance.ts).

/**
 * Ids (runs, agents, calls, approvals) are plain tokens: letters, digits and . _ : @ -. Never
 * anything JSON must escape, which lets the ledger build an event's canonical JSON in SQL.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;
/** An id, as ID_PATTERN says. */
export const id = z.string().regex(ID_PATTERN, 'expected an id of letters, digits and . _ : @ -');
/** An amount of US dollars. */
export const money = z.number().finite().nonnegative();
/** A SHA-256 in hex. */
export const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex');
