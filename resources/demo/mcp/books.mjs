// Acme Supplies' books for the reconciliation agent: open invoices, bank lines, the allow-list of
// payees, and the two writes (post a payment, draft one for a human). The server checks the facts
// it owns (invoice, payee, amount) and refuses what does not match; who may write how much is the
// gateway's delegation of authority, not this server's. Writes live in memory for the life of the
// process, numbered by counters that start at JE-0001 and DR-0001 in every process.
// stdout is the MCP protocol: nothing else may write to it.
import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const payee = z.object({ id: z.string(), name: z.string(), account: z.string() });
const invoice = z.object({
  id: z.string(),
  payee: z.string(),
  description: z.string(),
  amountUsd: z.number().positive(),
  issuedDate: z.string(),
  dueDate: z.string(),
  status: z.enum(['open', 'paid']),
});
const bankLine = z.object({
  id: z.string(),
  date: z.string(),
  direction: z.enum(['sent', 'received']),
  amountUsd: z.number().positive(),
  counterparty: z.string(),
  reference: z.string(),
});
const invoiceView = invoice.extend({
  payeeName: z.string(),
  entryId: z.string().nullable().describe('The journal entry that paid it, or null'),
  draftIds: z.array(z.string()).describe('Payment drafts waiting for a human'),
});
const openInvoice = invoice.pick({ id: true, payee: true, amountUsd: true, dueDate: true, status: true });
const match = z.object({
  paymentId: z.string(),
  invoiceId: z.string().nullable(),
  amountUsd: z.number(),
  confidence: z.number().min(0).max(1),
  basis: z.enum(['reference', 'amount-and-payee', 'amount', 'none']).describe('What the match rests on'),
});
const entry = z.object({
  entryId: z.string(),
  invoiceId: z.string(),
  payee: z.string(),
  amountUsd: z.number(),
  memo: z.string().optional(),
  status: z.literal('posted'),
});
const draft = z.object({
  draftId: z.string(),
  invoiceId: z.string(),
  payee: z.string(),
  amountUsd: z.number(),
  status: z.literal('awaiting-human'),
});

// Resolved against this file, not the working directory, so the server runs from anywhere.
const books = z
  .object({
    currency: z.literal('USD'),
    payees: z.array(payee),
    invoices: z.array(invoice),
    bankLines: z.array(bankLine),
  })
  .parse(JSON.parse(readFileSync(new URL('../data/books.json', import.meta.url), 'utf8')));

const payees = new Map(books.payees.map((p) => [p.id, p]));
const invoices = new Map(books.invoices.map((i) => [i.id, { ...i, entryId: null, draftIds: [] }]));
const entries = [];
const drafts = [];

/** A tool's answer: the JSON text for any client, the same object as structured content. */
const ok = (result) => ({ content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result });
/** A refusal of bad input: a tool error the model can read, never a crash. */
const refuse = (text) => ({ content: [{ type: 'text', text }], isError: true });

const cents = (usd) => Math.round(usd * 100);
const usd = (amount) => `$${amount.toFixed(2)}`;
const counter = (prefix, n) => `${prefix}-${String(n).padStart(4, '0')}`;

const view = (i) => ({ ...structuredClone(i), payeeName: payees.get(i.payee)?.name ?? i.payee });

/**
 * Why a payment of this invoice to this payee for this amount must not happen, or null if it may.
 * Checked alike for a posting and a draft: a human should never be handed a draft that is wrong.
 */
function refusal(invoiceId, payeeId, amountUsd) {
  const i = invoices.get(invoiceId);
  if (!i) return `unknown invoice ${invoiceId}: list_open_invoices lists the open ones`;
  if (!payees.has(payeeId)) return `payee ${payeeId} is not on the allow-list of payees (list_payees)`;
  if (payeeId !== i.payee) return `invoice ${invoiceId} is payable to ${i.payee}, not to ${payeeId}`;
  if (i.status === 'paid') {
    return `invoice ${invoiceId} is already paid${i.entryId ? ` (journal entry ${i.entryId})` : ''}`;
  }
  // Only whole cents are money; compare in cents so 450 and 450.00 agree and 450.004 does not.
  if (Math.abs(amountUsd * 100 - cents(amountUsd)) > 1e-6 || cents(amountUsd) !== cents(i.amountUsd)) {
    return `amount ${usd(amountUsd)} does not match invoice ${invoiceId} (${usd(i.amountUsd)})`;
  }
  return null;
}

/** The invoice a bank line pays: by its reference, else by amount and payee name, else by amount alone. */
function matchLine(line) {
  const none = { paymentId: line.id, invoiceId: null, amountUsd: line.amountUsd, confidence: 0, basis: 'none' };
  // Every invoice in these books is one Acme owes: money received pays none of them.
  if (line.direction !== 'sent') return none;
  const byReference = [...invoices.values()].find((i) => line.reference.toUpperCase().includes(i.id));
  if (byReference) {
    const exact = cents(byReference.amountUsd) === cents(line.amountUsd);
    return { ...none, invoiceId: byReference.id, confidence: exact ? 1 : 0.5, basis: 'reference' };
  }
  const sameAmount = [...invoices.values()].filter((i) => cents(i.amountUsd) === cents(line.amountUsd));
  const counterparty = line.counterparty.toLowerCase();
  const samePayee = sameAmount.filter((i) => counterparty.includes((payees.get(i.payee)?.name ?? '').toLowerCase()));
  if (samePayee.length === 1)
    return { ...none, invoiceId: samePayee[0].id, confidence: 0.9, basis: 'amount-and-payee' };
  if (sameAmount.length === 1) return { ...none, invoiceId: sameAmount[0].id, confidence: 0.6, basis: 'amount' };
  return none;
}

const invoiceId = z.string().describe('Invoice id, e.g. INV-1001');
const payment = {
  invoiceId,
  payee: z.string().describe('Payee id from the allow-list, e.g. northwind-paper'),
  amountUsd: z.number().positive().describe('Amount in USD; must equal the invoice amount'),
};

const server = new McpServer({ name: 'acme-books', version: '1.0.0' });

server.registerTool(
  'list_open_invoices',
  {
    description: 'Lists the invoices Acme Supplies has yet to pay (id, payee, amountUsd, dueDate, status).',
    inputSchema: {},
    outputSchema: { invoices: z.array(openInvoice) },
    annotations: { readOnlyHint: true },
  },
  async () =>
    ok({
      invoices: [...invoices.values()]
        .filter((i) => i.status === 'open')
        .map(({ id, payee: p, amountUsd, dueDate, status }) => ({ id, payee: p, amountUsd, dueDate, status })),
    }),
);

server.registerTool(
  'get_invoice',
  {
    description: 'Reads one invoice, open or paid, with its payee, the entry that paid it and any drafts.',
    inputSchema: { invoiceId },
    outputSchema: invoiceView.shape,
    annotations: { readOnlyHint: true },
  },
  async ({ invoiceId: id }) => {
    const i = invoices.get(id);
    return i ? ok(view(i)) : refuse(`unknown invoice ${id}`);
  },
);

server.registerTool(
  'match_payment',
  {
    description:
      'Matches a bank line (PAY-…) to the invoice it pays. confidence is 1 for a reference with the right amount, 0.9 for amount and payee, 0.6 for amount alone, 0 for no match.',
    inputSchema: { paymentId: z.string().describe('Bank line id, e.g. PAY-2001') },
    outputSchema: match.shape,
    annotations: { readOnlyHint: true },
  },
  async ({ paymentId }) => {
    const line = books.bankLines.find((l) => l.id === paymentId);
    if (!line) return refuse(`unknown payment ${paymentId}: ids are ${books.bankLines.map((l) => l.id).join(', ')}`);
    return ok(matchLine(line));
  },
);

server.registerTool(
  'list_payees',
  {
    description: 'Lists the allow-list of payees Acme Supplies may pay, with their bank account ids.',
    inputSchema: {},
    outputSchema: { payees: z.array(payee) },
    annotations: { readOnlyHint: true },
  },
  async () => ok({ payees: structuredClone(books.payees) }),
);

server.registerTool(
  'post_payment',
  {
    description:
      "Pays an open invoice and posts the journal entry. Refused unless the payee is on the allow-list and is the invoice's payee, and amountUsd equals the invoice amount.",
    inputSchema: { ...payment, memo: z.string().optional().describe('A note for the journal entry') },
    outputSchema: entry.shape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  },
  async ({ invoiceId: id, payee: p, amountUsd, memo }) => {
    const reason = refusal(id, p, amountUsd);
    if (reason) return refuse(`payment refused: ${reason}`);
    const i = invoices.get(id);
    const entryId = counter('JE', entries.length + 1);
    const posted = { entryId, invoiceId: id, payee: p, amountUsd: i.amountUsd, status: 'posted' };
    if (memo !== undefined) posted.memo = memo;
    entries.push(posted);
    i.status = 'paid';
    i.entryId = entryId;
    return ok(structuredClone(posted));
  },
);

server.registerTool(
  'draft_payment',
  {
    description:
      'Records a payment draft for a human to execute; never pays and leaves the invoice open. Checked like post_payment.',
    inputSchema: payment,
    outputSchema: draft.shape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  },
  async ({ invoiceId: id, payee: p, amountUsd }) => {
    const reason = refusal(id, p, amountUsd);
    if (reason) return refuse(`draft refused: ${reason}`);
    const i = invoices.get(id);
    const draftId = counter('DR', drafts.length + 1);
    const drafted = { draftId, invoiceId: id, payee: p, amountUsd: i.amountUsd, status: 'awaiting-human' };
    drafts.push(drafted);
    i.draftIds.push(draftId);
    return ok(structuredClone(drafted));
  },
);

await server.connect(new StdioServerTransport());
