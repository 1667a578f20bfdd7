import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { checkSchema, formatProblem, readDocument, type RosterProblem } from '../documents/files.js';
import { unpricedBudgets } from '../models/prices.js';
import { keysFromEnv, providerProblems, type KeySource } from '../models/factory.js';
import { loadScriptRules } from '../models/scripted.js';
import { missingServers, readMcpFile, unsetVariables, type AgentFile } from './mcp-file.js';

export { formatProblem, type RosterProblem } from '../documents/files.js';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  AgentManifestSchema,
  WardenConfigSchema,
  EvalCaseSchema,
  type AgentManifest,
  type EvalCase,
  type McpConfig,
  type WardenConfig,
} from '../../shared/roster.js';

/** A roster folder, read and checked. */
export interface Roster {
  dir: string;
  config: WardenConfig;
  mcp: McpConfig;
  agents: AgentManifest[];
  /** Agent programs (agents/<id>.js) by agent id. */
  programs: Map<string, string>;
  /** Golden datasets (evals/<agent>.jsonl) by agent id. */
  evals: Map<string, EvalCase[]>;
}

/**
 * Reads a roster folder and checks every file against its schema and the files against each
 * other (an agent's tools name servers in mcp.json, its business unit is in warden.yaml).
 * Collects every problem rather than stopping at the first, so one check fixes a roster.
 * `keys` is where model providers' API keys and mcp.json's `${VAR}` are looked for (the
 * environment by default): an unset one is a problem here, not a failure in the middle of a
 * run. With `keys: null` they are not checked: the desktop app opens first and asks after.
 */
export function loadRoster(
  dir: string,
  options: { keys?: KeySource | null } = {},
): { ok: true; roster: Roster } | { ok: false; problems: RosterProblem[] } {
  const problems: RosterProblem[] = [];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { ok: false, problems: [{ file: dir, path: '', message: 'is not a folder' }] };
  }
  const config = readChecked(dir, 'warden.yaml', 'yaml', WardenConfigSchema, problems, true);
  const mcpFile = readMcpFile(dir, problems);
  const mcp = mcpFile.mcp;

  const agents: AgentManifest[] = [];
  const agentFiles: AgentFile[] = [];
  const programs = new Map<string, string>();
  const agentDir = join(dir, 'agents');
  const files = existsSync(agentDir) ? readdirSync(agentDir).sort() : [];
  if (!files.some((f) => f.endsWith('.yaml') || f.endsWith('.yml'))) {
    problems.push({ file: 'agents/', path: '', message: 'holds no agent manifests (agents/<id>.yaml)' });
  }
  for (const name of files) {
    if (!/\.ya?ml$/.test(name)) continue;
    const file = `agents/${name}`;
    const agent = readChecked(dir, file, 'yaml', AgentManifestSchema, problems, true);
    if (!agent) continue;
    const stem = name.replace(/\.ya?ml$/, '');
    if (agent.id !== stem) {
      problems.push({ file, path: 'id', message: `expected "${stem}" (the file's name), got "${agent.id}"` });
    }
    if (
      config &&
      agent.businessUnit &&
      config.businessUnits.length > 0 &&
      !config.businessUnits.some((u) => u.id === agent.businessUnit)
    ) {
      problems.push({
        file,
        path: 'businessUnit',
        message: `"${agent.businessUnit}" is not a business unit in warden.yaml`,
      });
    }
    const program = join(agentDir, `${stem}.js`);
    if (existsSync(program)) programs.set(agent.id, readFileSync(program, 'utf8'));
    agents.push(agent);
    agentFiles.push({ file, agent });
  }
  problems.push(...missingServers(agentFiles, mcpFile));
  const evals = readEvals(dir, new Set(agents.map((a) => a.id)), problems);
  // The scripted model's rules are part of the roster: check them with everything else.
  const scripts = loadScriptRules(dir);
  if (!scripts.ok) problems.push(...scripts.problems);
  const keys = options.keys === undefined ? keysFromEnv(process.env) : options.keys;
  if (config) problems.push(...providerProblems(config, agents, keys));
  if (keys) problems.push(...unsetVariables(agentFiles, mcpFile, keys));
  if (config) problems.push(...unpricedBudgets(config, agents));
  if (problems.length > 0 || !config) return { ok: false, problems };
  return { ok: true, roster: { dir, config, mcp, agents, programs, evals } };
}

/** A roster's MCP servers as `warden mcp tools` lists them, whatever state the rest of the roster is in. */
export interface RosterServers {
  /** The roster, or (when it has problems) its mcp.json and warden.yaml alone, with no agents. */
  roster: Roster;
  /** Servers whose mcp.json entries are wrong, each with its problem. */
  invalid: Map<string, RosterProblem>;
  /** Every server mcp.json names, in its order. */
  names: string[];
  /** The roster's problems, as `warden roster check` would list them (none when it is valid). */
  problems: RosterProblem[];
}

/**
 * Reads a roster for its MCP servers only, so that a person sees the tools before writing a
 * manifest: no agents, invalid manifests or a missing warden.yaml (the defaults) leave the
 * servers readable. Fails only when the folder or mcp.json itself cannot be read.
 */
export function loadServers(
  dir: string,
): { ok: true; servers: RosterServers } | { ok: false; problems: RosterProblem[] } {
  const full = loadRoster(dir);
  const own: RosterProblem[] = [];
  if (!full.ok && full.problems[0]?.file === dir) return full;
  const file = readMcpFile(dir, own);
  if (!file.readable) return { ok: false, problems: own };
  const roster = full.ok
    ? full.roster
    : {
        dir,
        config: readChecked(dir, 'warden.yaml', 'yaml', WardenConfigSchema, [], false) ?? WardenConfigSchema.parse({}),
        mcp: file.mcp,
        agents: [],
        programs: new Map<string, string>(),
        evals: new Map<string, EvalCase[]>(),
      };
  const problems = full.ok ? [] : full.problems;
  return { ok: true, servers: { roster, invalid: file.broken, names: file.names, problems } };
}

/** evals/<agent>.jsonl: one case a line; a problem names the file, the line and the field. */
function readEvals(dir: string, agentIds: Set<string>, problems: RosterProblem[]): Map<string, EvalCase[]> {
  const evals = new Map<string, EvalCase[]>();
  const folder = join(dir, 'evals');
  if (!existsSync(folder)) return evals;
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.jsonl')) continue;
    const file = `evals/${name}`;
    const agentId = name.slice(0, -'.jsonl'.length);
    if (!agentIds.has(agentId)) {
      problems.push({ file, path: '', message: `names no agent of the roster (expected agents/${agentId}.yaml)` });
      continue;
    }
    const cases: EvalCase[] = [];
    const seen = new Set<string>();
    readFileSync(join(folder, name), 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (!text.trim()) return;
        const where = `${file}:${i + 1}`;
        let data: unknown;
        try {
          data = JSON.parse(text);
        } catch (error) {
          problems.push({ file: where, path: '', message: `is not valid JSON: ${(error as Error).message}` });
          return;
        }
        const found = checkSchema(where, data, EvalCaseSchema, problems);
        if (!found) return;
        if (seen.has(found.id))
          problems.push({ file: where, path: 'id', message: `"${found.id}" is used by an earlier case` });
        seen.add(found.id);
        cases.push(found);
      });
    evals.set(agentId, cases);
  }
  return evals;
}

function readChecked<S extends z.ZodType>(
  dir: string,
  file: string,
  kind: 'yaml' | 'json',
  schema: S,
  problems: RosterProblem[],
  required: boolean,
): z.infer<S> | null {
  if (!existsSync(join(dir, file))) {
    if (required) problems.push({ file, path: '', message: 'is missing' });
    return null;
  }
  const data = readDocument(join(dir, file), file, kind, problems);
  return data === undefined ? null : checkSchema(file, data, schema, problems);
}

/** A roster's problems in one line: the first, and how many more `warden roster check` would show. */
export function problemsLine(dir: string, problems: readonly RosterProblem[]): string {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: warden roster check ${dir})` : '';
  return `roster ${dir}: ${problems[0] ? formatProblem(problems[0]) : 'is not valid'}${more}`;
}
