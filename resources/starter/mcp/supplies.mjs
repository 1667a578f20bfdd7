// An MCP server for the purchaser: an office-supplies catalog that takes orders. Warden starts
// it as mcp.json says (`node mcp/supplies.mjs`, in the roster folder) and speaks MCP to it over
// stdin and stdout, so nothing else may write to stdout; what it writes to stderr goes to
// logs/mcp-supplies.log in Warden's data folder.
//
// It imports the MCP SDK and zod. Warden lends its own copies to a server it starts with `node`,
// so this runs with no `npm install` here; another MCP client needs
// `npm install @modelcontextprotocol/sdk zod` in this folder first.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const CATALOG = [
  { sku: 'PAP-A4-500', name: 'A4 paper, box of 5 reams', unitPriceUsd: 24.5 },
  { sku: 'TNR-K-1', name: 'Black toner cartridge', unitPriceUsd: 89 },
  { sku: 'CHR-ERG', name: 'Ergonomic desk chair', unitPriceUsd: 310 },
  { sku: 'DSK-STAND', name: 'Standing desk', unitPriceUsd: 640 },
];

/** Orders of this process: they are gone when it stops (a real server would keep them). */
const orders = [];

/** A tool's answer: JSON text for any client, and the same object as structured content. */
const ok = (result) => ({ content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result });
/** Bad input is a tool error the agent can read, never a crash. */
const refuse = (text) => ({ content: [{ type: 'text', text }], isError: true });

const server = new McpServer({ name: 'supplies', version: '1.0.0' });

server.registerTool(
  'find_item',
  {
    description: 'Finds the first catalog item whose name or sku contains the query (case-insensitive).',
    inputSchema: { query: z.string().describe('Part of an item name or sku, e.g. "paper" or "TNR"') },
    outputSchema: {
      found: z.boolean(),
      sku: z.string().optional(),
      name: z.string().optional(),
      unitPriceUsd: z.number().optional(),
    },
    annotations: { readOnlyHint: true },
  },
  async ({ query }) => {
    const needle = query.trim().toLowerCase();
    const item = CATALOG.find((i) => i.name.toLowerCase().includes(needle) || i.sku.toLowerCase().includes(needle));
    return ok(item ? { found: true, ...item } : { found: false });
  },
);

server.registerTool(
  'place_order',
  {
    description: 'Places an order for a quantity of one item; the total must equal quantity x unit price.',
    inputSchema: {
      sku: z.string(),
      quantity: z.number().int().positive(),
      totalUsd: z.number().nonnegative().describe('The order total in USD, which the buyer commits to pay'),
    },
    outputSchema: {
      orderId: z.string(),
      sku: z.string(),
      name: z.string(),
      quantity: z.number(),
      totalUsd: z.number(),
      status: z.literal('placed'),
    },
  },
  async ({ sku, quantity, totalUsd }) => {
    const item = CATALOG.find((i) => i.sku === sku);
    if (!item) return refuse(`no item with sku ${sku}`);
    // In whole cents, so that 3 x 24.50 is 73.50 and not 73.49999.
    const expected = (Math.round(item.unitPriceUsd * 100) * quantity) / 100;
    if (Math.abs(expected - totalUsd) > 0.005)
      return refuse(`the total for ${quantity} x ${sku} is ${expected}, not ${totalUsd}`);
    const order = {
      orderId: `ORD-${String(orders.length + 1).padStart(4, '0')}`,
      sku,
      name: item.name,
      quantity,
      totalUsd,
      status: 'placed',
    };
    orders.push(order);
    console.error(`placed ${order.orderId}: ${quantity} x ${sku}, $${totalUsd}`);
    return ok(order);
  },
);

await server.connect(new StdioServerTransport());
