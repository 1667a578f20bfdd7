import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpConnection } from '../../../src/main/mcp/connection.js';
import { tempDir } from '../../helpers/temp.js';

// What a connection hands on of a result's parts, from an SDK server in this process.

const temp = tempDir('warden-mcp-content-');
afterAll(() => temp.cleanup());

const BYTES = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
const ONE_LINE = BYTES.toString('base64');
/** The same base64 as MIME writes it: lines of 76 characters. */
const WRAPPED = ONE_LINE.replace(/.{76}/g, '$&\r\n');

async function connect(): Promise<McpConnection> {
  const server = new McpServer({ name: 'pictures', version: '1.0.0' });
  server.registerTool('wrapped', { description: 'Parts with line-wrapped base64', inputSchema: {} }, async () => ({
    content: [
      { type: 'image', data: WRAPPED, mimeType: 'image/png', annotations: { audience: ['user'] } },
      { type: 'resource', resource: { uri: 'file:///a.bin', mimeType: 'application/octet-stream', blob: WRAPPED } },
      { type: 'resource_link', uri: 'file:///b.txt', name: 'b', _meta: { note: 'left out' } },
    ],
  }));
  const [client, side] = InMemoryTransport.createLinkedPair();
  await server.connect(side);
  return new McpConnection(
    'pictures',
    { command: 'unused', args: [], env: {} },
    { logDir: join(temp.dir, 'logs'), env: {}, transport: () => client },
  );
}

describe("a result's parts, as a connection hands them on", () => {
  it('keeps every kind of part, base64 without its line breaks, annotations and _meta left out', async () => {
    expect(WRAPPED).toContain('\r\n');
    const connection = await connect();
    try {
      const result = await connection.callTool('wrapped', {});
      expect(result.content).toEqual([
        { type: 'image', data: ONE_LINE, mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'file:///a.bin', mimeType: 'application/octet-stream', blob: ONE_LINE } },
        { type: 'resource_link', uri: 'file:///b.txt', name: 'b' },
      ]);
    } finally {
      await connection.close();
    }
  });
});
