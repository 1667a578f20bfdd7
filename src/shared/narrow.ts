// Narrowing a stored event to its type. Apart from events.ts so that the renderer, which does
// not bundle zod, can use it: this file imports types only.
import type { AnyEvent, EventOf, EventType, LedgerEvent } from './events.js';

/**
 * Narrows a stored event to its type, so its payload needs no cast:
 * `if (isEvent(e, 'run.finished')) e.payload.status`. The ledger checks every payload against
 * the union before it is written, so the type is a fact, not a hope.
 */
export function isEvent<T extends EventType>(event: LedgerEvent, type: T): event is EventOf<T> {
  return event.type === type;
}

/** Reads a stored event as the member of the union its type names (what the ledger's reader hands out). */
export function asAnyEvent(event: LedgerEvent): AnyEvent {
  return event as unknown as AnyEvent;
}
