import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  McpFileSchema,
  McpServerNameSchema,
  mcpServerSchemaFor,
  type AgentManifest,
  type McpConfig,
  type McpServer,
} from '../../shared/roster.js';
import { checkSchema, readDocument, type RosterProblem } from '../documents/files.js';
import { serverValues, serverVariables } from '../../shared/mcp-variables.js';
import type { KeySource } from '../models/factory.js';

/** mcp.json, read entry by entry. */
export interface McpFile {
  /** The servers whose entries are right. */
  mcp: McpConfig;
  /** Servers whose entries are wrong, each with its (first) problem, already recorded once. */
  broken: Map<string, RosterProblem>;
  /** Every server the file names, in its order. */
  names: string[];
  /** False when the file as a whole could not be read (its problem is recorded): which servers it has is unknown. */
  readable: boolean;
  /** Where the file keeps its servers: `mcpServers` (Claude Desktop, Claude Code) or `servers` (VS Code). */
  key: 'mcpServers' | 'servers';
}

const FILE = 'mcp.json';
/** VS Code's `${input:id}`: a value VS Code asks the person for when the server starts. */
const INPUT = /\$\{input:([^}]*)\}/;

/**
 * Reads a roster's mcp.json in the shapes MCP clients write it (`mcpServers` or VS Code's
 * `servers`; entries with or without `type`). Each entry is checked on its own: a bad one is
 * one problem and is left out, and the others load. A missing file is a roster with no servers.
 */
export function readMcpFile(dir: string, problems: RosterProblem[]): McpFile {
  const found: McpFile = { mcp: { mcpServers: {} }, broken: new Map(), names: [], readable: true, key: 'mcpServers' };
  if (!existsSync(join(dir, FILE))) return found;
  const data = readDocument(join(dir, FILE), FILE, 'json', problems);
  if (data === undefined) return { ...found, readable: false };
  if (!isObject(data)) {
    problems.push({ file: FILE, path: '', message: 'expected an object: {"mcpServers": {...}}' });
    return { ...found, readable: false };
  }
  // Unknown top-level fields are named, but do not hide the servers from the rest of the check.
  checkSchema(FILE, data, McpFileSchema, problems);
  const key = 'servers' in data && !('mcpServers' in data) ? 'servers' : 'mcpServers';
  if ('servers' in data && 'mcpServers' in data) {
    problems.push({
      file: FILE,
      path: 'servers',
      message: 'the file has mcpServers too: keep the servers in one of them',
    });
  }
  const inputs = data.inputs;
  if (Array.isArray(inputs) && inputs.length > 0) {
    const ids = inputs.map((i) => (isObject(i) && typeof i.id === 'string' ? `"${i.id}"` : '?')).join(', ');
    problems.push({
      file: FILE,
      path: 'inputs',
      message: `Warden does not prompt for values (${ids}): set an environment variable and write \${VAR} where \${input:…} is`,
    });
  }
  const map = data[key];
  if (map === undefined) {
    problems.push({
      file: FILE,
      path: 'mcpServers',
      message: 'expected the servers: {"mcpServers": {"<name>": {...}}}',
    });
    return { ...found, key };
  }
  if (!isObject(map)) return { ...found, key, readable: false };
  for (const [name, entry] of Object.entries(map)) {
    found.names.push(name);
    const where = `${key}.${name}`;
    const own: RosterProblem[] = [];
    const parsed = checkSchema(FILE, entry, mcpServerSchemaFor(entry), own);
    for (const p of own) p.path = p.path ? `${where}.${p.path}` : where;
    if (!McpServerNameSchema.safeParse(name).success) {
      own.unshift({ file: FILE, path: where, message: 'expected a server name of letters, digits, _ and -' });
    }
    const input = parsed && inputReference(where, parsed);
    if (input) own.push(input);
    problems.push(...own);
    if (own[0]) found.broken.set(name, own[0]);
    else if (parsed) found.mcp.mcpServers[name] = parsed;
  }
  return { ...found, key };
}

/** A `${input:…}` in an entry's values, which only VS Code can fill in. */
function inputReference(where: string, entry: McpServer): RosterProblem | null {
  for (const [field, value] of serverValues(entry)) {
    const match = INPUT.exec(value);
    if (match) {
      return {
        file: FILE,
        path: `${where}.${field}`,
        message: `\${input:${match[1]}} is a VS Code prompt, which Warden does not show: set an environment variable and write \${VAR}`,
      };
    }
  }
  return null;
}

/** One agent's manifest and its file, for checks across files. */
export interface AgentFile {
  file: string;
  agent: AgentManifest;
}

/**
 * Agents' tools whose server mcp.json does not have: one problem per server, at its first
 * mention, however many tools name it. A server whose entry is wrong, or a file that could not
 * be read, is already a problem of its own and is not repeated here.
 */
export function missingServers(agents: readonly AgentFile[], file: McpFile): RosterProblem[] {
  if (!file.readable) return [];
  const mentions = new Map<string, { file: string; index: number }[]>();
  for (const { file: name, agent } of agents) {
    agent.tools.forEach((tool, index) => {
      const server = tool.name.split('.')[0]!;
      if (Object.hasOwn(file.mcp.mcpServers, server) || file.broken.has(server)) return;
      mentions.set(server, [...(mentions.get(server) ?? []), { file: name, index }]);
    });
  }
  return [...mentions].map(([server, [first, ...more]]) => {
    const files = [...new Set(more.map((m) => m.file))].filter((f) => f !== first!.file);
    const also =
      more.length > 0
        ? ` (nor is it for ${more.length} more tool(s)${files.length ? `, in ${files.join(', ')}` : ''})`
        : '';
    return {
      file: first!.file,
      path: `tools[${first!.index}].name`,
      message: `server "${server}" is not in mcp.json${also}`,
    };
  });
}

/**
 * `${VAR}` in the entries of servers some agent uses whose variable is not set, as an unset
 * model key is: one problem per variable, at its first use, naming the servers and agents.
 * A variable with a default (`${VAR:-x}`) is never missing.
 */
export function unsetVariables(agents: readonly AgentFile[], file: McpFile, keys: KeySource): RosterProblem[] {
  const users = new Map<string, string[]>();
  for (const { agent } of agents) {
    for (const tool of agent.tools) {
      const server = tool.name.split('.')[0]!;
      const ids = users.get(server) ?? [];
      if (!ids.includes(agent.id)) users.set(server, [...ids, agent.id]);
    }
  }
  const unset = new Map<string, { path: string; servers: string[]; agents: string[] }>();
  for (const [server, entry] of Object.entries(file.mcp.mcpServers)) {
    const agentIds = users.get(server);
    if (!agentIds) continue;
    for (const { variable, field, fallback } of serverVariables(entry)) {
      if (fallback || keys(variable)) continue;
      const seen = unset.get(variable) ?? { path: `${file.key}.${server}.${field}`, servers: [], agents: [] };
      if (!seen.servers.includes(server)) seen.servers.push(server);
      for (const id of agentIds) if (!seen.agents.includes(id)) seen.agents.push(id);
      unset.set(variable, seen);
    }
  }
  return [...unset].map(([variable, { path, servers, agents: ids }]) => ({
    file: FILE,
    path,
    message: `environment variable ${variable} is not set (read by server ${servers.join(', ')}, needed by agent ${ids.join(', ')})`,
  }));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
