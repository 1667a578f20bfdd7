/**
 * A report as a plain document: titles, paragraphs, label–value lists and tables of text; in
 * print, each level-2 heading starts a page.
 * report-outline.ts says what the report holds in these terms once; report-html.ts and
 * report-pdf.ts each draw them, so both formats show the same thing.
 */

/** One table cell: a line of text, an optional second line under it, and how to set them. */
export interface Cell {
  text: string;
  /** A smaller second line (a run id under an agent, a hash under a payload). */
  sub?: string;
  /** Set in a fixed-width face (ids, hashes, JSON). */
  mono?: boolean;
  subMono?: boolean;
  /** Set in bold (a total). */
  strong?: boolean;
  /** Marks a figure a reader should notice (a failed suite, a rejection). */
  tone?: 'bad' | 'good';
}

/** A table column. */
export interface Column {
  title: string;
  /** Right-aligned (numbers). */
  numeric?: boolean;
  /** Share of the width in PDF: a weight for '*' columns, or 'auto' to fit the content. */
  width?: number | 'auto';
}

/** A building block of a report. */
export type Block =
  | { kind: 'title'; kicker: string; title: string }
  | { kind: 'heading'; level: 2 | 3; text: string; id?: string }
  | { kind: 'para'; text: string; tone?: 'note' }
  | { kind: 'facts'; rows: { label: string; value: string; mono?: boolean }[] }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; columns: Column[]; rows: (Cell | string)[][]; empty: string };

/** A report's document: its title (for the window and metadata) and its blocks. */
export interface ReportDoc {
  title: string;
  subject: string;
  blocks: Block[];
}

/** A cell as a Cell, whichever way it was written. */
export function cellOf(cell: Cell | string): Cell {
  return typeof cell === 'string' ? { text: cell } : cell;
}
