import type { EventPayload } from '../../shared/events.js';
import type { Ledger } from '../ledger/index.js';
import type { Roster } from '../roster/load.js';

/** Thrown inside the write when the ledger already says the same: nothing to record. */
class Unchanged extends Error {}

/**
 * Records the roster's organisation and business units as `roster.opened`, when they differ
 * from the latest such event (decided inside the write, so two processes opening the same roster
 * at once record it once). Reports and consoles without a roster read the organisation from it.
 */
export async function recordRosterOpened(ledger: Ledger, roster: Roster): Promise<void> {
  const payload: EventPayload<'roster.opened'> = {
    organisation: roster.config.organisation.name,
    units: roster.config.businessUnits.map((u) => ({ id: u.id, name: u.name })),
  };
  try {
    await ledger.appendIf(() => {
      const last = latestRoster(ledger);
      if (last && last.organisation === payload.organisation && sameUnits(last.units, payload.units))
        throw new Unchanged();
      return { type: 'roster.opened', payload };
    });
  } catch (error) {
    if (!(error instanceof Unchanged)) throw error;
  }
}

/** The organisation and units of the latest roster opened on this ledger (up to `upToSeq`), or null. */
export function latestRoster(
  ledger: Ledger,
  upToSeq?: number,
): { organisation: string; units: { id: string; name: string }[] } | null {
  const event = ledger.reader.page({
    type: 'roster.opened',
    order: 'desc',
    limit: 1,
    ...(upToSeq !== undefined ? { beforeSeq: upToSeq + 1 } : {}),
  }).events[0];
  return event ? { organisation: event.payload.organisation, units: event.payload.units } : null;
}

function sameUnits(a: { id: string; name: string }[], b: { id: string; name: string }[]): boolean {
  return a.length === b.length && a.every((u, i) => u.id === b[i]!.id && u.name === b[i]!.name);
}
