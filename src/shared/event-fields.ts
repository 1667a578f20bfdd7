import { z } from 'zod';
import { HASH_PATTERN, ID_PATTERN } from './patterns.js';

// Fields the ledger's event payloads share (events.ts, events-governance.ts).

/** Ids' pattern, here for the files that have always taken it from the ledger's fields. */
export { ID_PATTERN };
/** An id, as ID_PATTERN says. */
export const id = z.string().regex(ID_PATTERN, 'expected an id of letters, digits and . _ : @ -');
/** An amount of US dollars. */
export const money = z.number().finite().nonnegative();
/** A SHA-256 in hex. */
export const sha256 = z.string().regex(HASH_PATTERN, 'expected a SHA-256 in hex');
