// Acme Supplies' product catalog for the quoting agent: look-ups, prices with volume breaks, and
// draft quotes. No financial writes: a draft quote is kept in memory for the life of the process,
// numbered by a counter that starts at Q-0001 in every process, so the same calls give the same ids.
// stdout is the MCP protocol: nothing else may write to it.
import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const volumeBreak = z.object({ minQuantity: z.number().int().positive(), discountPct: z.number().min(0).max(100) });
const product = z.object({
  sku: z.string(),
  name: z.string(),
  unitPriceUsd: z.number().nonnegative(),
  volumeBreaks: z.array(volumeBreak),
});
const price = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitPriceUsd: z.number().describe('List price of one unit, before any volume discount'),
  discountPct: z.number().describe('Volume discount applied to the line, in percent'),
  totalUsd: z.number().describe('quantity x unitPriceUsd less the discount, rounded to the cent'),
});
const quote = z.object({
  quoteId: z.string(),
  customer: z.string(),
  lines: z.array(price),
  totalUsd: z.number(),
  status: z.literal('draft'),
});

// Resolved against this file, not the working directory, so the server runs from anywhere.
const catalog = z
  .object({ currency: z.literal('USD'), products: z.array(product) })
  .parse(JSON.parse(readFileSync(new URL('../data/catalog.json', import.meta.url), 'utf8')));
const bySku = new Map(catalog.products.map((p) => [p.sku, p]));

/** Draft quotes of this process; they vanish with it. */
const quotes = new Map();

/** A tool's answer: the JSON text for any client, the same object as structured content. */
const ok = (result) => ({ content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result });
/** A refusal of bad input: a tool error the model can read, never a crash. */
const refuse = (text) => ({ content: [{ type: 'text', text }], isError: true });

const quantity = z.number().int().positive().describe('Number of units');

/** The priced line for a quantity of a product; sums in whole cents so totals never drift. */
function priceLine(p, qty) {
  const discountPct = p.volumeBreaks
    .filter((b) => qty >= b.minQuantity)
    .reduce((best, b) => Math.max(best, b.discountPct), 0);
  const grossCents = Math.round(p.unitPriceUsd * 100) * qty;
  const netCents = grossCents - Math.round((grossCents * discountPct) / 100);
  return {
    sku: p.sku,
    name: p.name,
    quantity: qty,
    unitPriceUsd: p.unitPriceUsd,
    discountPct,
    totalUsd: netCents / 100,
  };
}

const unknownSku = (sku) => refuse(`unknown sku ${sku}: search_products lists the catalog`);

const server = new McpServer({ name: 'acme-catalog', version: '1.0.0' });

server.registerTool(
  'search_products',
  {
    description: 'Finds products whose name or sku contains the query (case-insensitive); an empty query lists all.',
    inputSchema: { query: z.string().describe('Part of a product name or sku, e.g. "toner" or "PAP-"') },
    outputSchema: { products: z.array(product) },
    annotations: { readOnlyHint: true },
  },
  async ({ query }) => {
    const needle = query.trim().toLowerCase();
    const products = catalog.products.filter(
      (p) => p.name.toLowerCase().includes(needle) || p.sku.toLowerCase().includes(needle),
    );
    return ok({ products: structuredClone(products) });
  },
);

server.registerTool(
  'get_price',
  {
    description: 'Prices a quantity of one product in USD, applying the best volume break the quantity reaches.',
    inputSchema: { sku: z.string().describe('Product sku, e.g. PAP-A4-500'), quantity },
    outputSchema: price.shape,
    annotations: { readOnlyHint: true },
  },
  async ({ sku, quantity: qty }) => {
    const p = bySku.get(sku);
    return p ? ok(priceLine(p, qty)) : unknownSku(sku);
  },
);

server.registerTool(
  'draft_quote',
  {
    description:
      'Drafts a quote for a customer: prices each line with its volume break and totals it. A draft only: nothing is sent or charged.',
    inputSchema: {
      customer: z.string().trim().min(1).describe('Customer name, e.g. Tailspin Toys'),
      items: z
        .array(z.object({ sku: z.string(), quantity }))
        .min(1)
        .describe('Lines to quote'),
    },
    outputSchema: quote.shape,
    annotations: { readOnlyHint: false, destructiveHint: false },
  },
  async ({ customer, items }) => {
    const missing = items.find((i) => !bySku.has(i.sku));
    // Refused before a number is taken, so a bad call does not shift the ids of later quotes.
    if (missing) return unknownSku(missing.sku);
    const lines = items.map((i) => priceLine(bySku.get(i.sku), i.quantity));
    const totalCents = lines.reduce((sum, l) => sum + Math.round(l.totalUsd * 100), 0);
    const quoteId = `Q-${String(quotes.size + 1).padStart(4, '0')}`;
    const result = { quoteId, customer, lines, totalUsd: totalCents / 100, status: 'draft' };
    quotes.set(quoteId, result);
    return ok(structuredClone(result));
  },
);

await server.connect(new StdioServerTransport());
