import { createHash } from 'node:crypto';
import { cellOf, type Block, type Cell, type Column, type ReportDoc } from '../outline/doc.js';

/**
 * A report as one self-contained HTML file: light theme, print CSS with page numbers, no
 * script. Everything in a ledger is untrusted text, so text enters the page only through
 * {@link markup}, which escapes every value it is given; a Content-Security-Policy that allows
 * only this file's own stylesheet stands behind it.
 */

/** A piece of markup. Only {@link markup} makes one, so a string can never pass for markup. */
class Markup {
  constructor(readonly value: string) {}
}

type Part = Markup | string | number | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A template of markup whose every interpolated value is escaped, unless it is markup made here. */
function markup(strings: TemplateStringsArray, ...parts: Part[]): Markup {
  let out = strings[0]!;
  parts.forEach((part, i) => {
    out += render(part) + strings[i + 1]!;
  });
  return new Markup(out);
}

function render(part: Part): string {
  if (part instanceof Markup) return part.value;
  if (part === null || part === undefined) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

const CSS = `
:root { color-scheme: light;
  --sans: "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif;
  --mono: "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 32px 48px; background: #fff; color: #1a1a1a;
  font: 10.5pt/1.45 var(--sans); }
h1 { font-size: 26pt; margin: 6px 0 18px; line-height: 1.15; }
h2 { font-size: 16pt; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #1f3b5c; color: #1f3b5c; }
h3 { font-size: 12pt; margin: 20px 0 8px; color: #1f3b5c; }
.kicker { text-transform: uppercase; letter-spacing: .12em; font-size: 9pt; color: #555; margin: 40px 0 0; }
p { margin: 6px 0 10px; }
p.note { color: #555; font-size: 9pt; }
code, .mono { font-family: var(--mono); font-size: .86em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 8px 0 14px; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; margin: 6px 0 14px; font-size: 9pt; table-layout: fixed; }
thead { display: table-header-group; }
th { text-align: left; font-weight: 600; background: #eef2f6; border-bottom: 1.5px solid #1f3b5c; padding: 4px 6px; vertical-align: bottom; }
td { border-bottom: 1px solid #d9dee4; padding: 4px 6px; vertical-align: top; white-space: pre-line; overflow-wrap: break-word; }
td.long, .sub.long { word-break: break-all; }
tbody tr:nth-child(even) td { background: #f8f9fb; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.sub { display: block; color: #555; font-size: .9em; font-weight: 400; font-family: var(--sans); }
.sub.mono { font-family: var(--mono); font-size: .82em; }
.bad { color: #a3001b; font-weight: 600; }
.good { color: #17622f; }
.strong { font-weight: 700; }
.empty { color: #555; font-style: italic; }
ul.contents { list-style: none; padding: 0; }
ul.contents li { margin: 2px 0; }
a { color: #1f3b5c; }
${Array.from({ length: 100 }, (_, i) => `col.w${i + 1} { width: ${i + 1}%; }`).join('\n')}
@page { size: A4; margin: 16mm 14mm 18mm;
  @bottom-left { content: "Warden ledger report"; font: 8pt Helvetica, Arial, sans-serif; color: #555; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Helvetica, Arial, sans-serif; color: #555; } }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2 { break-before: page; break-after: avoid; }
  h3 { break-after: avoid; }
  tr, dl.facts { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

/** The page's one stylesheet, and its hash for the Content-Security-Policy: it allows exactly this, nothing else. */
const STYLE = new Markup(`<style>${CSS}</style>`);
const CSS_HASH = createHash('sha256').update(CSS).digest('base64');

/** The report as an HTML page. */
export function renderHtml(doc: ReportDoc): string {
  const csp = `default-src 'none'; style-src 'sha256-${CSS_HASH}'; img-src 'none'; form-action 'none'; base-uri 'none'`;
  const page = markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Warden">
<title>${doc.title}</title>
${STYLE}
</head>
<body>
${doc.blocks.map(block)}</body>
</html>
`;
  return page.value;
}

function block(b: Block): Markup {
  switch (b.kind) {
    case 'title':
      return markup`<p class="kicker">${b.kicker}</p>\n<h1>${b.title}</h1>\n`;
    case 'heading':
      return b.level === 2
        ? markup`<h2${b.id ? markup` id="${b.id}"` : ''}>${b.text}</h2>\n`
        : markup`<h3>${b.text}</h3>\n`;
    case 'para':
      return markup`<p${b.tone ? markup` class="${b.tone}"` : ''}>${code(b.text)}</p>\n`;
    case 'facts':
      return markup`<dl class="facts">${b.rows.map(
        (r) => markup`<dt>${r.label}</dt><dd${r.mono ? markup` class="mono"` : ''}>${r.value}</dd>`,
      )}</dl>\n`;
    case 'list':
      return markup`<ul class="contents">${b.items.map((item) => markup`<li>${item}</li>`)}</ul>\n`;
    case 'table': {
      if (b.rows.length === 0) return b.empty ? markup`<p class="empty">${b.empty}</p>\n` : markup``;
      const cols = widths(b.columns).map((w) => markup`<col class="w${w}">`);
      const head = b.columns.map((c) => markup`<th${c.numeric ? markup` class="num"` : ''}>${c.title}</th>`);
      const rows = b.rows.map(
        (row) => markup`<tr>${row.map((c, i) => cell(cellOf(c), b.columns[i]?.numeric === true))}</tr>\n`,
      );
      return markup`<table>\n<colgroup>${cols}</colgroup>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}</tbody>\n</table>\n`;
    }
  }
}

/** Column widths in whole percent: 'auto' columns narrow, the rest by weight (numbers 0.8, text 1 by default). */
function widths(columns: Column[]): number[] {
  const weights = columns.map((c) => (c.width === 'auto' ? 0 : (c.width ?? (c.numeric ? 0.8 : 1))));
  const autos = columns.filter((c) => c.width === 'auto').length * 5;
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return columns.map((c, i) =>
    c.width === 'auto' ? 5 : Math.max(1, Math.round(((100 - autos) * weights[i]!) / total)),
  );
}

/** A run of more than 20 characters with no space (a hash, JSON): it may break anywhere. */
const LONG_RUN = /\S{21,}/;

function cell(c: Cell, numeric: boolean): Markup {
  const classes = [
    numeric ? 'num' : '',
    c.mono ? 'mono' : '',
    LONG_RUN.test(c.text) ? 'long' : '',
    c.tone ?? '',
    c.strong ? 'strong' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const subClass = `sub${c.subMono ? ' mono' : ''}${c.sub !== undefined && LONG_RUN.test(c.sub) ? ' long' : ''}`;
  const sub = c.sub === undefined ? '' : markup`<span class="${subClass}">${c.sub}</span>`;
  return markup`<td${classes ? markup` class="${classes}"` : ''}>${c.text}${sub}</td>`;
}

/** Report prose marks commands with backticks; they become <code>, the text around them escaped. */
function code(text: string): Markup[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? markup`<code>${part}</code>` : markup`${part}`));
}
