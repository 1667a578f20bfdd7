import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem, loadRoster, type RosterProblem } from '../../../src/main/roster/load.js';
import { useRosters } from './fixture.js';

const rosters = useRosters();
afterEach(() => rosters.cleanup());

/** Loads a roster that must be invalid and returns its problems as the lines `roster check` prints. */
function problemsOf(files: Record<string, string | null>, keys?: (v: string) => string | undefined): string[] {
  const result = loadRoster(rosters.write(files), keys ? { keys } : {});
  if (result.ok) throw new Error('expected the roster to be invalid, but it loaded');
  return result.problems.map((p: RosterProblem) => formatProblem(p));
}

const mcp = (doc: unknown) => JSON.stringify(doc);
const agent = (id: string, ...tools: string[]) =>
  `id: ${id}\nrole: Tests\ntools:\n${tools.map((t) => `  - name: ${t}\n    access: read\n`).join('')}`;
const noKeys = () => undefined;

describe('mcp.json in the shapes MCP clients write', () => {
  it("reads Claude Desktop's mcpServers, with no type", () => {
    const dir = rosters.write({
      'mcp.json': mcp({
        mcpServers: {
          fs: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { A: 'b' } },
          remote: { url: 'https://remote.example/mcp', headers: { 'X-Key': 'k' } },
        },
      }),
    });
    const result = loadRoster(dir);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.roster.mcp.mcpServers).toEqual({
      fs: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { A: 'b' } },
      remote: { url: 'https://remote.example/mcp', headers: { 'X-Key': 'k' } },
    });
  });

  it("reads VS Code's servers with type stdio, http and sse, and an empty inputs list", () => {
    const dir = rosters.write({
      'mcp.json': mcp({
        inputs: [],
        servers: {
          memory: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
          tracker: { type: 'http', url: 'https://tracker.example/mcp' },
          legacy: { type: 'sse', url: 'https://legacy.example/sse', headers: { Authorization: 'Bearer x' } },
        },
      }),
    });
    const result = loadRoster(dir);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.roster.mcp.mcpServers).toEqual({
      memory: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: {} },
      tracker: { type: 'http', url: 'https://tracker.example/mcp', headers: {} },
      legacy: { type: 'sse', url: 'https://legacy.example/sse', headers: { Authorization: 'Bearer x' } },
    });
  });

  it('names an unknown field of an entry, with the server, in one problem', () => {
    expect(problemsOf({ 'mcp.json': mcp({ mcpServers: { erp: { command: 'node', arg: ['x.js'] } } }) })).toEqual([
      'mcp.json: mcpServers.erp: unknown field "arg"',
    ]);
    expect(
      problemsOf({ 'mcp.json': mcp({ servers: { erp: { type: 'http', url: 'https://e.example', env: {} } } }) }),
    ).toEqual(['mcp.json: servers.erp: unknown field "env"']);
  });

  it('names a type it does not speak, and an entry of neither shape', () => {
    expect(problemsOf({ 'mcp.json': mcp({ mcpServers: { erp: { type: 'ws', url: 'ws://e' } } }) })).toEqual([
      expect.stringMatching(/^mcp\.json: mcpServers\.erp\.type: expected one of "stdio"\|"http"\|"sse"/),
    ]);
    expect(problemsOf({ 'mcp.json': mcp({ mcpServers: { erp: { args: [] } } }) })).toEqual([
      'mcp.json: mcpServers.erp: expected {command, args, env, cwd} (stdio) or {url, headers} (http, sse), got {"args":[]}',
    ]);
  });

  it('makes one bad entry one problem, however many tools of however many agents name its server', () => {
    const lines = problemsOf({
      'mcp.json': mcp({ mcpServers: { erp: { command: '' }, crm: { command: 'node' } } }),
      'agents/a.yaml': agent('a', 'erp.post', 'erp.get', 'crm.find'),
      'agents/b.yaml': agent('b', 'erp.get'),
    });
    expect(lines).toEqual([expect.stringMatching(/^mcp\.json: mcpServers\.erp\.command: /)]);
  });

  it('makes a server missing from mcp.json one problem, at the first tool that names it', () => {
    const lines = problemsOf({
      'agents/a.yaml': agent('a', 'erp.get', 'crm.find', 'crm.update'),
      'agents/b.yaml': agent('b', 'crm.find'),
    });
    expect(lines).toEqual([
      'agents/a.yaml: tools[1].name: server "crm" is not in mcp.json (nor is it for 2 more tool(s), in agents/b.yaml)',
    ]);
  });

  it('does not blame the agents when mcp.json cannot be read at all', () => {
    const lines = problemsOf({ 'mcp.json': '{ "mcpServers": ', 'agents/a.yaml': agent('a', 'erp.get', 'erp.put') });
    expect(lines).toEqual([expect.stringMatching(/^mcp\.json: is not valid JSON/)]);
  });

  it('refuses VS Code inputs and ${input:…}, naming the field', () => {
    const lines = problemsOf({
      'mcp.json': mcp({
        inputs: [{ type: 'promptString', id: 'api-key', password: true }],
        servers: { erp: { type: 'stdio', command: 'node', env: { KEY: '${input:api-key}' } } },
      }),
      'agents/a.yaml': agent('a', 'erp.get'),
    });
    expect(lines).toEqual([
      expect.stringMatching(/^mcp\.json: inputs: Warden does not prompt for values \("api-key"\)/),
      expect.stringMatching(/^mcp\.json: servers\.erp\.env\.KEY: \$\{input:api-key\} is a VS Code prompt/),
    ]);
  });

  it('refuses a file with both mcpServers and servers', () => {
    expect(problemsOf({ 'mcp.json': mcp({ mcpServers: { erp: { command: 'node' } }, servers: {} }) })).toEqual([
      'mcp.json: servers: the file has mcpServers too: keep the servers in one of them',
    ]);
  });
});

describe('roster check: variables mcp.json reads', () => {
  const servers = {
    mcpServers: {
      erp: { command: 'node', args: ['erp.js', '--db=${ERP_DB}'], env: { ERP_TOKEN: '${ERP_TOKEN}' } },
      crm: {
        type: 'http',
        url: 'https://crm.example/${CRM_TENANT}/mcp',
        headers: { Authorization: 'Bearer ${CRM_TOKEN}' },
      },
      spare: { command: 'node', env: { UNUSED: '${NOT_USED_BY_ANY_AGENT}' } },
      fallback: { command: 'node', env: { MODE: '${ERP_MODE:-test}' } },
    },
  };
  const files = {
    'mcp.json': mcp(servers),
    'agents/a.yaml': agent('a', 'erp.get', 'crm.find', 'fallback.x'),
    'agents/b.yaml': agent('b', 'erp.get'),
  };

  it('names each unset variable of a server an agent uses, as for a missing model key', () => {
    expect(problemsOf(files, noKeys)).toEqual([
      'mcp.json: mcpServers.erp.args[1]: environment variable ERP_DB is not set (read by server erp, needed by agent a, b)',
      'mcp.json: mcpServers.erp.env.ERP_TOKEN: environment variable ERP_TOKEN is not set (read by server erp, needed by agent a, b)',
      'mcp.json: mcpServers.crm.url: environment variable CRM_TENANT is not set (read by server crm, needed by agent a)',
      'mcp.json: mcpServers.crm.headers.Authorization: environment variable CRM_TOKEN is not set (read by server crm, needed by agent a)',
    ]);
  });

  it('passes once they are set, in the environment by default', () => {
    const set = { ERP_DB: 'db', ERP_TOKEN: 't', CRM_TENANT: 'acme', CRM_TOKEN: 'c' };
    expect(loadRoster(rosters.write(files), { keys: (v) => set[v as keyof typeof set] }).ok).toBe(true);
    const saved = { ...process.env };
    Object.assign(process.env, set);
    try {
      expect(loadRoster(rosters.write(files)).ok).toBe(true);
    } finally {
      for (const name of Object.keys(set)) if (!(name in saved)) delete process.env[name];
    }
  });

  it('leaves them to the desktop app when keys are not checked', () => {
    expect(loadRoster(rosters.write(files), { keys: null }).ok).toBe(true);
  });
});
