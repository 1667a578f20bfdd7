import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pdfmake from 'pdfmake';
import type { Content, TableCell } from 'pdfmake';
import { cellOf, type Block, type Cell, type Column, type ReportDoc } from '../outline/doc.js';

/**
 * A report as a PDF, made in Node by pdfmake: A4, Roboto (shipped with pdfmake, embedded as a
 * subset) for text and the standard Courier for ids and hashes, tables whose header rows
 * repeat on every page, a header and "Page n of m" on every page but the cover. Ledger text
 * only ever becomes the `text` of a node: pdfmake has no markup to inject into.
 */

type DocDefinition = Parameters<typeof pdfmake.createPdf>[0];

const PAGE_WIDTH = 595.28;
const MARGIN_X = 40;
const CELL_PADDING = 4;
const INK = '#1a1a1a';
const MUTED = '#555555';
const ACCENT = '#1f3b5c';
const TONES = { bad: '#a3001b', good: '#17622f' } as const;
/** The standard PDF fonts: known to pdfkit by name, never read from disk. */
const COURIER = {
  normal: 'Courier',
  bold: 'Courier-Bold',
  italics: 'Courier-Oblique',
  bolditalics: 'Courier-BoldOblique',
};

let configured = false;

/** pdfmake is one shared instance: give it its fonts, and let it read nothing else (no URL, no other file). */
function configure(): void {
  if (configured) return;
  const require = createRequire(import.meta.url);
  const folder = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
  const roboto = {
    normal: join(folder, 'Roboto-Regular.ttf'),
    bold: join(folder, 'Roboto-Medium.ttf'),
    italics: join(folder, 'Roboto-Italic.ttf'),
    bolditalics: join(folder, 'Roboto-MediumItalic.ttf'),
  };
  pdfmake.setFonts({ Roboto: roboto, Courier: COURIER });
  const allowed = new Set([...Object.values(roboto), ...Object.values(COURIER)]);
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => allowed.has(path));
  configured = true;
}

/** What the running header and footer say. */
export interface PdfFrame {
  header: string;
  footer: string;
}

/** Renders a report's document to PDF bytes, and counts its pages. */
export async function renderPdf(doc: ReportDoc, frame: PdfFrame): Promise<{ pdf: Buffer; pages: number }> {
  configure();
  const blocks = printableDeep(doc.blocks);
  frame = printableDeep(frame);
  let pages = 0;
  const definition: DocDefinition = {
    pageSize: 'A4',
    pageMargins: [MARGIN_X, 52, MARGIN_X, 50],
    info: { title: doc.title, subject: doc.subject, creator: 'Warden', producer: 'Warden (pdfmake)' },
    defaultStyle: { font: 'Roboto', fontSize: 9, color: INK, lineHeight: 1.2 },
    styles: {
      kicker: { fontSize: 9, color: MUTED, characterSpacing: 1.2, margin: [0, 48, 0, 4] },
      title: { fontSize: 26, bold: true, margin: [0, 0, 0, 24] },
      h2: { fontSize: 15, bold: true, color: ACCENT, margin: [0, 0, 0, 8] },
      h3: { fontSize: 11, bold: true, color: ACCENT, margin: [0, 10, 0, 4] },
      note: { fontSize: 7.5, color: MUTED, margin: [0, 2, 0, 8] },
      para: { margin: [0, 2, 0, 8] },
      table: { fontSize: 7.5, margin: [0, 2, 0, 10] },
      th: { bold: true, color: ACCENT },
      sub: { fontSize: 6.5, color: MUTED },
      empty: { italics: true, color: MUTED, margin: [0, 2, 0, 8] },
    },
    header: (page) =>
      page === 1
        ? null
        : {
            columns: [
              { text: frame.header, width: '*' },
              { text: 'Warden ledger report', width: 'auto', alignment: 'right' },
            ],
            fontSize: 7.5,
            color: MUTED,
            margin: [MARGIN_X, 24, MARGIN_X, 0],
          },
    footer: (page, count) => {
      pages = count;
      return {
        columns: [
          { text: frame.footer, width: '*' },
          { text: `Page ${page} of ${count}`, width: 'auto', alignment: 'right' },
        ],
        fontSize: 7.5,
        color: MUTED,
        margin: [MARGIN_X, 18, MARGIN_X, 0],
      };
    },
    content: layout(blocks),
  };
  const pdf = await pdfmake.createPdf(definition).getBuffer();
  return { pdf, pages };
}

/**
 * The blocks as pdfmake content. A level-2 heading starts a page; a level-3 heading and the
 * notes under it ride in its table's repeated header rows (kept with the first row), or in
 * one unbreakable stack with what follows, so no heading is left alone at a page's foot.
 */
function layout(blocks: Block[]): Content[] {
  const content: Content[] = [];
  let lead: Content[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading' && b.level === 2) {
      flush();
      content.push({ text: b.text, style: 'h2', pageBreak: 'before', headlineLevel: 1 });
    } else if (b.kind === 'heading') {
      flush();
      lead = [{ text: b.text, style: 'h3', headlineLevel: 2 }];
    } else if (b.kind === 'para' && lead.length > 0) {
      lead.push(paragraph(b.text, b.tone));
    } else if (b.kind === 'table' && b.rows.length > 0) {
      content.push(table(b.columns, b.rows, lead));
      lead = [];
    } else {
      const node = single(b);
      if (lead.length > 0) {
        content.push({ stack: [...lead, node], unbreakable: true });
        lead = [];
      } else content.push(node);
    }
  }
  flush();
  return content;

  function flush(): void {
    if (lead.length) content.push({ stack: lead, unbreakable: true });
    lead = [];
  }
}

/** A block that is not a table with rows. */
function single(b: Block): Content {
  switch (b.kind) {
    case 'title':
      return {
        stack: [
          { text: b.kicker.toUpperCase(), style: 'kicker' },
          { text: b.title, style: 'title' },
        ],
      };
    case 'heading':
      return { text: b.text, style: b.level === 2 ? 'h2' : 'h3' };
    case 'para':
      return paragraph(b.text, b.tone);
    case 'list':
      return { ul: b.items.map((item) => ({ text: item })), margin: [0, 2, 0, 8] };
    case 'facts':
      return {
        table: {
          widths: [118, '*'],
          body: b.rows.map((r) => [
            { text: r.label, color: MUTED },
            r.mono ? mono(brokenEvery(r.value, 64)) : { text: r.value },
          ]),
        },
        layout: 'noBorders',
        margin: [0, 2, 0, 10],
      };
    case 'table':
      return { text: b.empty, style: 'empty' };
  }
}

function paragraph(text: string, tone: 'note' | undefined): Content {
  // The prose's `commands` are set apart in Courier, like <code> in the HTML.
  const parts = text.split('`').map((part, i) => (i % 2 === 1 ? { text: part, font: 'Courier' } : { text: part }));
  return { text: parts, style: tone === 'note' ? 'note' : 'para' };
}

/** A table whose header rows (the lead, then the column titles) repeat on every page it spans. */
function table(columns: Column[], rows: (Cell | string)[][], lead: Content[]): Content {
  const titles: TableCell[] = columns.map((c) => ({
    text: c.title,
    style: 'th',
    alignment: c.numeric ? 'right' : 'left',
  }));
  const header: TableCell[][] = [];
  if (lead.length) {
    header.push([
      { stack: lead, colSpan: columns.length, border: [false, false, false, false] },
      ...columns.slice(1).map(() => ({ text: '' })),
    ]);
  }
  header.push(titles);
  const headerRows = header.length;
  return {
    style: 'table',
    table: {
      headerRows,
      keepWithHeaderRows: 1,
      dontBreakRows: true,
      widths: widths(columns),
      body: [...header, ...rows.map((row) => row.map((c, i) => tableCell(cellOf(c), columns[i]?.numeric === true)))],
    },
    layout: {
      hLineWidth: (i) => (i === headerRows ? 1 : i > headerRows ? 0.5 : 0),
      vLineWidth: () => 0,
      hLineColor: (i) => (i === headerRows ? ACCENT : '#d9dee4'),
      fillColor: (row) =>
        row === headerRows - 1 ? '#eef2f6' : row >= headerRows && (row - headerRows) % 2 === 1 ? '#f8f9fb' : null,
      paddingLeft: () => CELL_PADDING,
      paddingRight: () => CELL_PADDING,
      paddingTop: () => 2.5,
      paddingBottom: () => 2.5,
    },
  };
}

function tableCell(c: Cell, numeric: boolean): TableCell {
  const main: TextNode = {
    ...(c.mono ? mono(c.text) : { text: c.text }),
    ...(c.strong ? { bold: true } : {}),
    ...(c.tone ? { color: TONES[c.tone], bold: c.tone === 'bad' } : {}),
  };
  const alignment = numeric ? 'right' : 'left';
  if (c.sub === undefined) return { ...main, alignment };
  const sub: TextNode = { ...(c.subMono ? mono(c.sub) : { text: c.sub }), style: 'sub' };
  return { stack: [main, sub], alignment };
}

/** A text node as this file makes them. */
interface TextNode {
  text: string;
  font?: string;
  bold?: boolean;
  color?: string;
  style?: string;
}

/**
 * Text in Courier when it is plain ASCII (ids, hashes, most JSON), else in Roboto: the
 * standard fonts cover only Latin-1, and ledger text may be in any script. A run too long for
 * its column (a hash, JSON) is cut at the column's edge by pdfmake itself; its break-all mode,
 * which measures every character as a word, made a report of 2,000 events four times slower.
 */
/** A long unbroken value (a signature, a public key) in lines of `width`, so print shows all of it. */
function brokenEvery(text: string, width: number): string {
  return text.length <= width || /\s/.test(text)
    ? text
    : (text.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join('\n');
}

function mono(text: string): TextNode {
  return /^[\x20-\x7e\n]*$/.test(text) ? { text, font: 'Courier' } : { text };
}

/**
 * The characters the embedded Roboto draws (Latin, Greek, Cyrillic, Vietnamese, common
 * punctuation and currency); any other is written as `\u{…}`, so that an auditor reads which
 * character it was rather than an empty box. The HTML report shows every character as it is.
 */
const UNDRAWABLE =
  /[^\n\x20-\x7e\xa0-\u017f\u0384-\u038a\u038c\u038e-\u03a1\u03a3-\u03ce\u0400-\u0486\u0488-\u0513\u1ea0-\u1ef9\u2010\u2011\u2013-\u201e\u2020-\u2022\u2026\u2030\u2032\u2033\u2039\u203a\u20ac\u20b9\u2122\u2212\u2264\u2265]/gu;

/** Text with every character the PDF's font cannot draw written as its code point. */
export function printable(text: string): string {
  return text.replace(UNDRAWABLE, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

/** Every string in a value made {@link printable}. */
function printableDeep<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableDeep) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printableDeep(v)])) as T;
  return value;
}

/** Column widths in points: 'auto' columns a fixed narrow width, the rest shared by weight (numbers 0.8, text 1 by default). */
function widths(columns: Column[]): number[] {
  const auto = 34;
  const room = PAGE_WIDTH - 2 * MARGIN_X - columns.length * (2 * CELL_PADDING) - 1;
  const fixed = columns.filter((c) => c.width === 'auto').length * auto;
  const weights = columns.map((c) => (c.width === 'auto' ? 0 : (c.width ?? (c.numeric ? 0.8 : 1))));
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return columns.map((c, i) => (c.width === 'auto' ? auto : ((room - fixed) * weights[i]!) / total));
}
