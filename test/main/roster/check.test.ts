import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/main/cli/main.js';
import { useRosters } from './fixture.js';

const rosters = useRosters();
afterEach(() => rosters.cleanup());

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err };
}

describe('warden roster check', () => {
  it('a valid roster exits 0 and says what it holds', async () => {
    const dir = rosters.write({});
    const r = await cli('roster', 'check', dir);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([`Roster ${dir} is valid: 1 agent(s) (a), 1 MCP server(s).`]);
    expect(r.err).toEqual([]);
  });

  it('an invalid roster exits 2 with one line per problem: <dir>/<file>: <path>: <message>', async () => {
    const dir = rosters.write({
      'agents/a.yaml': 'id: a\nrole: r\ntools:\n  - name: erp.post\n    access: delete\n',
      'agents/b.yaml': 'id: b\n',
    });
    const r = await cli('roster', 'check', dir);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual([
      `${dir}/agents/a.yaml: tools[0].access: expected one of "read"|"write", got "delete"`,
      `${dir}/agents/b.yaml: role: expected string (missing)`,
    ]);
  });

  it('--json prints the result as one object, valid or not', async () => {
    const good = await cli('roster', 'check', rosters.write({}), '--json');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out.join(''))).toEqual({ ok: true, agents: ['a'] });
    const bad = await cli('roster', 'check', rosters.write({ 'agents/a.yaml': 'id: a\n' }), '--json');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out.join(''))).toEqual({
      ok: false,
      problems: [{ file: 'agents/a.yaml', path: 'role', message: 'expected string (missing)' }],
    });
  });

  it('takes the folder as --roster R too, as the other commands do, but not twice', async () => {
    const dir = rosters.write({});
    const r = await cli('roster', 'check', '--roster', dir);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([`Roster ${dir} is valid: 1 agent(s) (a), 1 MCP server(s).`]);
    const twice = await cli('roster', 'check', dir, '--roster', dir);
    expect(twice.code).toBe(2);
    expect(twice.err).toEqual(['warden roster check: name the roster folder once, as R or as --roster R']);
  });

  it('names a ${VAR} of mcp.json that is not set, next to a missing model key, and one line for a bad server', async () => {
    delete process.env.WARDEN_TEST_UNSET_TOKEN;
    delete process.env.WARDEN_TEST_UNSET_MODEL_KEY;
    const dir = rosters.write({
      'warden.yaml': 'providers:\n  anthropic: { apiKeyEnv: WARDEN_TEST_UNSET_MODEL_KEY }\n',
      'mcp.json': JSON.stringify({
        mcpServers: {
          erp: { command: 'node', args: ['erp.js'], env: { TOKEN: '${WARDEN_TEST_UNSET_TOKEN}' } },
          crm: { url: 'https://crm.example/mcp', header: {} },
        },
      }),
      'agents/a.yaml':
        'id: a\nrole: r\nmodel: anthropic:claude-sonnet-4-5\ntools:\n  - { name: erp.get, access: read }\n  - { name: crm.find, access: read }\n  - { name: crm.update, access: write }\n',
    });
    const r = await cli('roster', 'check', dir);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      `${dir}/mcp.json: mcpServers.crm: unknown field "header"`,
      `${dir}/warden.yaml: providers.anthropic.apiKeyEnv: environment variable WARDEN_TEST_UNSET_MODEL_KEY is not set (its API key, needed by agent a (anthropic:claude-sonnet-4-5))`,
      `${dir}/mcp.json: mcpServers.erp.env.TOKEN: environment variable WARDEN_TEST_UNSET_TOKEN is not set (read by server erp, needed by agent a)`,
    ]);
  });

  it('no folder named is bad usage (exit 2)', async () => {
    const r = await cli('roster', 'check');
    expect(r.code).toBe(2);
    expect(r.err).toEqual(['warden roster check: name the roster folder']);
  });

  it('a folder that does not exist exits 2', async () => {
    const missing = join(rosters.write({}), 'nope');
    const r = await cli('roster', 'check', missing);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain('is not a folder');
  });

  // BUG (src/main/cli/commands/roster.ts): every problem is printed as `${dir}/${formatProblem(p)}`,
  // but loadRoster's "is not a folder" problem already has file = dir, so the line reads
  // "/x/nope//x/nope: is not a folder".
  it('a folder that does not exist is named once', async () => {
    const missing = join(rosters.write({}), 'nope');
    const r = await cli('roster', 'check', missing);
    expect(r.err).toEqual([`${missing}: is not a folder`]);
  });
});
