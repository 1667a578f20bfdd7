import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import {
  AgentManifestSchema,
  McpConfigSchema,
  WardenConfigSchema,
  type AgentManifest,
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
}

/** One thing wrong with a roster: the file, the field path, and what was expected. */
export interface RosterProblem {
  file: string;
  path: string;
  message: string;
}

/** Formats a problem as the one line a user sees: `agents/intake.yaml: tools[0].access: expected …`. */
export function formatProblem(p: RosterProblem): string {
  return p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}

/**
 * Reads a roster folder and checks every file against its schema and the files against each
 * other (an agent's tools name servers in mcp.json, its business unit is in warden.yaml).
 * Collects every problem rather than stopping at the first, so one check fixes a roster.
 */
export function loadRoster(dir: string): { ok: true; roster: Roster } | { ok: false; problems: RosterProblem[] } {
  const problems: RosterProblem[] = [];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { ok: false, problems: [{ file: dir, path: '', message: 'is not a folder' }] };
  }
  const config = readChecked(dir, 'warden.yaml', 'yaml', WardenConfigSchema, problems, true);
  const mcp = readChecked(dir, 'mcp.json', 'json', McpConfigSchema, problems, false) ?? { mcpServers: {} };

  const agents: AgentManifest[] = [];
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
    agent.tools.forEach((tool, i) => {
      const server = tool.name.split('.')[0]!;
      if (!Object.hasOwn(mcp.mcpServers, server)) {
        problems.push({ file, path: `tools[${i}].name`, message: `server "${server}" is not in mcp.json` });
      }
    });
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
  }
  if (problems.length > 0 || !config) return { ok: false, problems };
  return { ok: true, roster: { dir, config, mcp, agents, programs } };
}

function readChecked<S extends z.ZodType>(
  dir: string,
  file: string,
  kind: 'yaml' | 'json',
  schema: S,
  problems: RosterProblem[],
  required: boolean,
): z.infer<S> | null {
  const path = join(dir, file);
  if (!existsSync(path)) {
    if (required) problems.push({ file, path: '', message: 'is missing' });
    return null;
  }
  const text = readFileSync(path, 'utf8');
  let data: unknown;
  if (kind === 'json') {
    try {
      data = JSON.parse(text);
    } catch (error) {
      problems.push({ file, path: '', message: `is not valid JSON: ${(error as Error).message}` });
      return null;
    }
  } else {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { prettyErrors: false, lineCounter });
    const error = doc.errors[0];
    if (error) {
      const at = lineCounter.linePos(error.pos[0]);
      problems.push({
        file,
        path: at ? `line ${at.line}, column ${at.col}` : '',
        message: `is not valid YAML: ${error.message.split('\n')[0]}`,
      });
      return null;
    }
    data = doc.toJS() ?? {};
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    problems.push({ file, path: formatPath(issue.path), message: describe(issue, valueAt(data, issue.path)) });
  }
  return null;
}

/** `tools[0].access`, as a person writes a path into a document. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = data;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  let message = issue.message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, '');
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (value === undefined)
    return message.includes('received undefined') ? message.replace(/, received undefined$/, ' (missing)') : message;
  if (!/received/.test(message)) message += `, got ${JSON.stringify(value)}`;
  return message;
}
