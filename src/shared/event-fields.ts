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
/**
 * Content an event refers to by hash instead of holding it (a model's prompt and reply, a large
 * tool result): the SHA-256 of its canonical JSON (RFC 8785, UTF-8), and that JSON's size in
 * bytes. The body is kept once, in the ledger's content store; the hash chain covers the reference.
 */
export const contentRef = z.strictObject({ sha256, bytes: z.number().int().nonnegative() });
/** A reference to content kept by hash. */
export type ContentRef = z.infer<typeof contentRef>;
