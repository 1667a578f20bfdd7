import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/shared/json.js';
import { consoleApi, type ConsoleApi } from '../../../src/main/host/api/index.js';
import { openWarden, type Warden } from '../../../src/main/host/warden.js';
import { everythingServer, writeRoster } from '../mcp/servers.js';
import { tempDir } from '../../helpers/temp.js';

// Tool results that hold an image, resource links and an embedded resource, from the MCP
// project's reference server over stdio: what a program receives, what the standard loop's
// model reads, what the ledger records, and what the console API hands out.

/** The logo the server's get-tiny-image returns, read from its source. */
const MCP_TINY_IMAGE = readFileSync(
  join(
    dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')),
    'dist/tools/get-tiny-image.js',
  ),
  'utf8',
).match(/MCP_TINY_IMAGE = "([A-Za-z0-9+/=]+)"/)![1]!;
const TINY = Buffer.from(MCP_TINY_IMAGE, 'base64');
const TINY_SHA = createHash('sha256').update(TINY).digest('hex');

let temp: ReturnType<typeof tempDir>;
let warden: Warden;
let api: ConsoleApi;

beforeAll(async () => {
  temp = tempDir('warden-media-');
  const tools =
    'tools:\n' +
    '  - { name: everything.get-tiny-image, access: read }\n' +
    '  - { name: everything.get-resource-links, access: read }\n' +
    '  - { name: everything.get-resource-reference, access: read }\n';
  const roster = writeRoster(
    temp.dir,
    { everything: everythingServer },
    {
      'viewer.yaml': `id: viewer\nrole: looks at pictures\n${tools}`,
      'viewer.js': `export default async (task, warden) => {
  const image = await warden.tool('everything.get-tiny-image', {});
  const links = await warden.tool('everything.get-resource-links', { count: 2 });
  const doc = await warden.tool('everything.get-resource-reference', { resourceType: 'Text', resourceId: 2 });
  return { image: image.content, links: links.content, doc: doc.content.map((p) => p.type) };
};
`,
      'looker.yaml': `id: looker\nrole: describes pictures\n${tools}`,
    },
  );
  mkdirSync(join(roster, 'models'));
  writeFileSync(
    join(roster, 'models', 'looker.yaml'),
    [
      'rules:',
      '  - when: { agent: looker, turn: 0 }',
      '    reply: { toolCalls: [{ name: everything.get-tiny-image }] }',
      '  - when: { agent: looker }',
      "    reply: { text: '{{last}}' }",
      '',
    ].join('\n'),
  );
  warden = await openWarden({ rosterDir: roster, dataDir: join(temp.dir, 'data') });
  api = consoleApi(warden);
}, 60_000);

afterAll(async () => {
  api?.close();
  await warden?.close();
  temp?.cleanup();
});

const results = () => [...warden.ledger.reader.each({ type: 'tool.result' })];

describe('a tool result with an image and resource links', () => {
  it('reaches an agent program as MCP content parts: the image with its base64 data, links with uri and name', async () => {
    const run = await warden.runtime.run('viewer', {});
    expect(run.status).toBe('ok');
    const output = run.output as { image: JsonValue[]; links: JsonValue[]; doc: string[] };
    expect(output.image).toEqual([
      { type: 'text', text: "Here's the image you requested:" },
      { type: 'image', mimeType: 'image/png', data: MCP_TINY_IMAGE },
      { type: 'text', text: 'The image above is the MCP logo.' },
    ]);
    expect(output.links).toEqual([
      expect.objectContaining({ type: 'text' }),
      expect.objectContaining({ type: 'resource_link', uri: expect.stringMatching(/1$/), name: 'Blob Resource 1' }),
      expect.objectContaining({
        type: 'resource_link',
        uri: expect.stringMatching(/2$/),
        name: 'Text Resource 2',
        mimeType: 'text/plain',
      }),
    ]);
    expect(output.doc).toEqual(['text', 'resource', 'text']);
  });

  it('is recorded part by part: the image by SHA-256, size and type, its bytes kept under that hash', async () => {
    const [image, links, doc] = results()
      .slice(0, 3)
      .map((e) => e.payload);
    expect(image).toMatchObject({ ok: true });
    expect(image!.result).toBeUndefined();
    expect(image!.content).toEqual([
      { type: 'text', text: "Here's the image you requested:" },
      { type: 'image', mimeType: 'image/png', sha256: TINY_SHA, bytes: TINY.length },
      { type: 'text', text: 'The image above is the MCP logo.' },
    ]);
    expect(JSON.stringify(image)).not.toContain(MCP_TINY_IMAGE.slice(0, 64));
    expect(existsSync(join(temp.dir, 'data', 'blobs', TINY_SHA.slice(0, 2), TINY_SHA))).toBe(true);
    expect(await warden.ledger.blobs.get(TINY_SHA)).toEqual(TINY);
    expect(links!.content![1]).toEqual({
      type: 'resource_link',
      uri: expect.stringMatching(/1$/),
      name: 'Blob Resource 1',
      description: expect.any(String),
      mimeType: expect.any(String),
    });
    expect(doc!.content![1]).toEqual({
      type: 'resource',
      uri: expect.stringMatching(/2$/),
      mimeType: 'text/plain',
      text: expect.stringContaining('Resource 2'),
    });
  });

  it('is handed out by the console API only as the ledger recorded it, and refused once its copy is changed', async () => {
    const image = results()[0]!;
    await expect(api.call('tool.content', { seq: image.seq, index: 1 }, 'test')).resolves.toEqual({
      mimeType: 'image/png',
      sha256: TINY_SHA,
      bytes: TINY.length,
      data: MCP_TINY_IMAGE,
    });
    await expect(api.call('tool.content', { seq: image.seq, index: 0 }, 'test')).rejects.toThrow(/holds no bytes/);
    await expect(api.call('tool.content', { seq: 1, index: 0 }, 'test')).rejects.toThrow(/is not a tool result/);
    await expect(api.call('tool.content', { seq: image.seq, index: 'x' }, 'test')).rejects.toMatchObject({
      code: 'E_USAGE',
    });
    writeFileSync(join(temp.dir, 'data', 'blobs', TINY_SHA.slice(0, 2), TINY_SHA), Buffer.from('not the logo'));
    await expect(api.call('tool.content', { seq: image.seq, index: 1 }, 'test')).rejects.toMatchObject({
      code: 'E_LEDGER_TAMPERED',
    });
    // Put back for the tests after this one.
    writeFileSync(join(temp.dir, 'data', 'blobs', TINY_SHA.slice(0, 2), TINY_SHA), TINY);
  });

  it('reaches a model in the standard loop as text that names the image, without its bytes', async () => {
    const run = await warden.runtime.run('looker', {});
    expect(run.status).toBe('ok');
    const told = JSON.parse(run.output as string) as { content: JsonValue[] };
    expect(told.content[1]).toEqual({ type: 'image', mimeType: 'image/png', bytes: TINY.length });
    expect(run.output).not.toContain(MCP_TINY_IMAGE.slice(0, 64));
  });

  it('keeps the ledger verifiable: the chain holds the hash the copy is checked against', async () => {
    expect((await warden.ledger.verify()).ok).toBe(true);
  });
});
