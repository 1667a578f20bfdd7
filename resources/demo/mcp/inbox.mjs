// Acme Supplies' inbound mailbox, read-only, for the intake agent. A real stdio MCP server over
// the fixed messages of data/inbox.json. Bodies are returned verbatim, hostile ones included:
// spotting a prompt injection is the gateway's guardrails' job, not the mailbox's.
// stdout is the MCP protocol: nothing else may write to it.
import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const attachment = z.object({
  filename: z.string(),
  contentType: z.string(),
  extracted: z.record(z.string(), z.unknown()).describe('Fields read from the attachment (kind, ids, amounts)'),
});
const message = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  body: z.string(),
  receivedAt: z.string(),
  attachments: z.array(attachment),
});
const summary = message.pick({ id: true, from: true, subject: true, receivedAt: true });

// Resolved against this file, not the working directory, so the server runs from anywhere.
const data = z
  .object({ mailbox: z.string(), messages: z.array(message) })
  .parse(JSON.parse(readFileSync(new URL('../data/inbox.json', import.meta.url), 'utf8')));

/** A tool's answer: the JSON text for any client, the same object as structured content. */
const ok = (result) => ({ content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result });
/** A refusal of bad input: a tool error the model can read, never a crash. */
const refuse = (text) => ({ content: [{ type: 'text', text }], isError: true });

const server = new McpServer({ name: 'acme-inbox', version: '1.0.0' });

server.registerTool(
  'list_messages',
  {
    description: `Lists the messages in the ${data.mailbox} mailbox, oldest first (id, from, subject, receivedAt).`,
    inputSchema: {},
    outputSchema: { messages: z.array(summary) },
    annotations: { readOnlyHint: true },
  },
  async () =>
    ok({
      messages: data.messages.map(({ id, from, subject, receivedAt }) => ({ id, from, subject, receivedAt })),
    }),
);

server.registerTool(
  'read_message',
  {
    description: 'Reads one message in full: headers, body and attachments with their extracted fields.',
    inputSchema: { id: z.string().describe('Message id from list_messages, e.g. msg-001') },
    outputSchema: message.shape,
    annotations: { readOnlyHint: true },
  },
  async ({ id }) => {
    const found = data.messages.find((m) => m.id === id);
    if (!found) return refuse(`unknown message ${id}: ids are ${data.messages.map((m) => m.id).join(', ')}`);
    return ok(structuredClone(found));
  },
);

await server.connect(new StdioServerTransport());
