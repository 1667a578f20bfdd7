import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { UsageError, WardenError } from '../../../shared/errors.js';
import { definitionHash, ToolVetting, type ToolFlag } from '../../gateway/tool-vetting.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { openMcp } from '../../host/mcp.js';
import { redactSecrets } from '../../host/secrets.js';
import { Ledger } from '../../ledger/index.js';
import type { ToolInfo } from '../../mcp/connection.js';
import { keysFromEnv } from '../../models/factory.js';
import { formatProblem, loadServers, problemsLine, type RosterProblem } from '../../roster/load.js';
import { parse, str } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';

const NAME = 'warden mcp tools';

/** A tool as `mcp tools` reports it: its definition, and the finding on it if its definition is flagged. */
type ToolLine = ToolInfo & { flag?: Omit<ToolFlag, 'server' | 'tool'> };

/**
 * `warden mcp tools --roster R`: each MCP server of a roster, its status and its tools. Each
 * tool's definition is checked for injected instructions (and a finding recorded); a flagged
 * tool is marked, with who accepted it if anyone did. Exit 1 if a server fails to start (or
 * its mcp.json entry is wrong) or a flagged tool waits for acceptance. Only mcp.json is needed:
 * with no agents, invalid manifests or no warden.yaml the tools are listed all the same, and
 * one line (or `rosterProblems` in JSON) says what `warden roster check` would find.
 */
export const mcpTools: CommandRun = async (argv, io) => {
  const parsed = parse(
    NAME,
    argv,
    { roster: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    0,
  );
  const dir = str(parsed, 'roster', NAME, true);
  // Only mcp.json must be right: the tools are listed before any agent is written.
  const loaded = loadServers(dir);
  if (!loaded.ok) {
    throw new UsageError(`${NAME}: ${problemsLine(dir, loaded.problems)}`);
  }
  const { roster, invalid, names, problems } = loaded.servers;
  const dataDir = resolve(str(parsed, 'data-dir', NAME) ?? defaultDataDir());
  const ledger = Ledger.open(dataDir);
  // The servers' stderr goes to logs: the roster's secrets are taken out of it first.
  redactSecrets(ledger, roster, [keysFromEnv(process.env)]);
  const manager = openMcp(roster, ledger, { dataDir, env: process.env });
  const vetting = new ToolVetting(ledger);
  try {
    // Servers start side by side: one slow server does not hold up the others.
    const servers = await Promise.all(
      names.map(async (name) => {
        const problem = invalid.get(name);
        if (problem) {
          const error = { code: 'E_MCP_CONFIG', message: formatProblem(problem) };
          return { name, status: 'failed' as const, error, tools: [] as ToolInfo[] };
        }
        try {
          const tools = await manager.connection(name).listTools();
          return { name, status: 'ready' as const, tools };
        } catch (error) {
          const e = error as { code?: string; message: string };
          return {
            name,
            status: 'failed' as const,
            error: { code: e.code ?? 'E_MCP_START', message: e.message },
            tools: [] as ToolInfo[],
          };
        }
      }),
    );
    const flags = vetting.flags();
    const withFlags = servers.map((server) => ({
      ...server,
      tools: server.tools.map((tool): ToolLine => {
        const sha256 = definitionHash(tool);
        const found = flags.find((f) => f.server === server.name && f.tool === tool.name && f.sha256 === sha256);
        if (!found) return tool;
        const { sha256: hash, field, match, why, seq, ts, accepted } = found;
        return { ...tool, flag: { sha256: hash, field, match, why, seq, ts, accepted } };
      }),
    }));
    if (parsed.values.json === true) {
      io.out(JSON.stringify({ roster: dir, servers: withFlags, rosterProblems: problems }));
    } else {
      for (const server of withFlags) {
        // Why a server failed may go on in indented lines (the end of its stderr).
        const [why, ...more] = (server.error?.message ?? 'unknown error').split('\n');
        const detail =
          server.status === 'failed'
            ? ` (${more.length > 0 ? why!.replace(/:$/, '') : why})`
            : `, ${server.tools.length} tool(s)`;
        io.out(`${server.name}: ${server.status}${detail}`);
        if (server.status === 'failed') for (const line of more) io.out(line);
        for (const tool of server.tools) {
          // A flagged description is not printed: the finding names the words that were flagged.
          io.out(`  ${server.name}.${tool.name}  ${tool.flag ? '' : oneLine(tool.description)}`.trimEnd());
          if (tool.flag) io.out(`    ${flagLine(`${server.name}.${tool.name}`, tool.flag)}`);
        }
      }
      if (servers.length === 0) io.out(`${dir}/mcp.json names no MCP servers.`);
      if (problems.length > 0) io.err(rosterNote(dir, problems));
    }
    const waiting = withFlags.some((s) => s.tools.some((t) => t.flag && !t.flag.accepted));
    return servers.every((s) => s.status === 'ready') && !waiting ? EXIT.ok : EXIT.checkFailed;
  } finally {
    await manager.close();
    ledger.close();
  }
};

/**
 * `warden mcp accept SERVER.TOOL --reason TEXT`: an owner accepts the flagged definition of a
 * tool as it was recorded (bound to its hash), so the gateway lets the tool be called and its
 * description reach the model. A changed definition is flagged again and needs its own.
 */
export const mcpAccept: CommandRun = async (argv, io) => {
  const name = 'warden mcp accept';
  const parsed = parse(
    name,
    argv,
    { 'data-dir': { type: 'string' }, by: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
    1,
  );
  const target = parsed.positionals[0] ?? '';
  const dot = target.indexOf('.');
  if (dot <= 0 || dot === target.length - 1)
    throw new UsageError(`${name}: name the tool as SERVER.TOOL (warden mcp tools lists them)`);
  const reason = str(parsed, 'reason', name);
  if (!reason?.trim())
    throw new UsageError(`${name}: --reason is required: say why this definition is safe, for the record`);
  const by = str(parsed, 'by', name) ?? `cli:${userInfo().username}`;
  const ledger = Ledger.open(resolve(str(parsed, 'data-dir', name) ?? defaultDataDir()), { mode: 'existing' });
  try {
    let accepted: { flag: ToolFlag; recorded: boolean };
    try {
      accepted = await new ToolVetting(ledger).accept(target.slice(0, dot), target.slice(dot + 1), by, reason);
    } catch (error) {
      if (error instanceof WardenError && error.code === 'E_USAGE') throw new UsageError(`${name}: ${error.message}`);
      throw error;
    }
    const { flag, recorded } = accepted;
    if (parsed.values.json === true) io.out(JSON.stringify({ ...flag, recorded }));
    else if (!recorded)
      io.out(`${target} was already accepted by ${flag.accepted?.by ?? '?'}: ${flag.accepted?.reason ?? ''}`);
    else io.out(`${target} accepted by ${by} (definition ${flag.sha256.slice(0, 12)}). Agents may call it.`);
    return EXIT.ok;
  } finally {
    ledger.close();
  }
};

/** One line on a flagged tool: what was found where, and what to do about it. */
function flagLine(tool: string, flag: NonNullable<ToolLine['flag']>): string {
  const found = `its ${flag.field} ${flag.why}: "${oneLine(flag.match)}"`;
  return flag.accepted
    ? `accepted by ${flag.accepted.by} (${flag.accepted.reason}); ${found}`
    : `FLAGGED: ${found}. Refused until accepted: warden mcp accept ${tool} --reason TEXT`;
}

/** The one line on a roster with problems: the tools are listed anyway, and this says where to look. */
function rosterNote(dir: string, problems: readonly RosterProblem[]): string {
  const first = problems[0] ? formatProblem(problems[0]) : '';
  const more = problems.length > 1 ? ` and ${problems.length - 1} more` : '';
  return `Roster ${dir} has problems (${first}${more}); agents cannot run until they are fixed: warden roster check ${dir}`;
}

function oneLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
