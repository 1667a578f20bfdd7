import { count, cut } from '../format.js';
import type { Block, Cell } from './doc.js';
import type { EventRef, Listing } from '../model.js';

/**
 * The pieces the report's sections are made of: their headings, an event's agent and run,
 * the note on a capped listing. Shared by the summary (report-outline.ts) and the records of
 * the period (report-records.ts).
 */

/** The report's sections, in order, with the ids the HTML links to. */
export const SECTIONS = [
  ['summary', '1  Summary'],
  ['agents', '2  Agents, manifests and prompts'],
  ['approvals', '3  Approvals and drafts'],
  ['controls', '4  Denials, guardrails, circuit breakers, caps and holds'],
  ['evals', '5  Eval results'],
  ['appendix', '6  Appendix: events'],
] as const;

/** A section's heading, by its place in {@link SECTIONS}. */
export function heading(index: number): Block {
  const [id, text] = SECTIONS[index]!;
  return { kind: 'heading', level: 2, text, id };
}

/** The agent and run of an event, the run marked when it was an eval run. */
export function agentCell(ref: EventRef): Cell {
  return {
    text: ref.agentId ?? '—',
    mono: true,
    ...(ref.runId ? { sub: `${cut(ref.runId, 40)}${ref.eval ? ' (eval run)' : ''}`, subMono: true } : {}),
  };
}

/** A note when a section shows only its first rows. */
export function capped(listing: Listing<unknown>): Block[] {
  return listing.total > listing.rows.length
    ? [
        {
          kind: 'para',
          tone: 'note',
          text: `Showing the first ${count(listing.rows.length)} of ${count(listing.total)}; the appendix (or its export) holds every event.`,
        },
      ]
    : [];
}

export function bold(text: string): Cell {
  return { text, strong: true };
}

/** How many of a section's events came from eval runs, or nothing when none did. */
export function inEval(listing: Listing<unknown>): string {
  return listing.inEvalRuns ? `${count(listing.inEvalRuns)} of them in eval runs (simulated)` : '';
}
