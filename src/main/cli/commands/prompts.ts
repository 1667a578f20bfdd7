import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../../../shared/errors.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { Ledger } from '../../ledger/index.js';
import { PromptStore, type PromptVersion } from '../../prompts/store.js';
import { int, parse, str } from '../args.js';
import { EXIT, type CliIO, type CommandRun } from '../io.js';
import { readText } from './input.js';

const FLAGS = {
  agent: { type: 'string' },
  version: { type: 'string' },
  text: { type: 'string' },
  reason: { type: 'string' },
  to: { type: 'string' },
  by: { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Opens the data folder's prompt store for one command. */
async function withStore<T>(dataDir: string | undefined, use: (store: PromptStore) => Promise<T>): Promise<T> {
  const ledger = Ledger.open(resolve(dataDir ?? defaultDataDir()), { mode: 'existing' });
  try {
    return await use(new PromptStore(ledger));
  } finally {
    ledger.close();
  }
}

function line(v: PromptVersion): string {
  return `${v.agentId}  v${v.version}  ${v.ts}  ${v.sha256.slice(0, 12)}  by ${v.by}: ${v.reason}`;
}

/** `warden prompts list [--agent A]`: every version of every agent's prompt (or one agent's). */
export const promptsList: CommandRun = async (argv, io) => {
  const name = 'warden prompts list';
  const parsed = parse(name, argv, FLAGS, 0);
  const agent = str(parsed, 'agent', name);
  return withStore(str(parsed, 'data-dir', name), async (store) => {
    const versions = agent ? store.history(agent) : store.all();
    if (agent && versions.length === 0) throw new UsageError(`${name}: --agent: ${agent} has no prompt in this ledger`);
    if (parsed.values.json === true) io.out(JSON.stringify({ versions: versions.map(({ text: _t, ...v }) => v) }));
    else if (versions.length === 0) io.out('No prompts recorded yet (they are recorded when Warden opens a roster).');
    else for (const v of versions) io.out(line(v));
    return EXIT.ok;
  });
};

/** `warden prompts show AGENT [--version N]`: the text of the current (or a given) version. */
export const promptsShow: CommandRun = async (argv, io) => {
  const name = 'warden prompts show';
  const parsed = parse(name, argv, FLAGS, 1);
  const agent = agentOf(name, parsed.positionals);
  const version = int(parsed, 'version', name, 1, Number.MAX_SAFE_INTEGER);
  return withStore(str(parsed, 'data-dir', name), async (store) => {
    const found =
      version === undefined ? store.current(agent) : store.history(agent).find((v) => v.version === version);
    if (!found)
      throw new UsageError(
        `${name}: ${agent} has ${version === undefined ? 'no prompt' : `no prompt version ${version}`}`,
      );
    print(io, parsed.values.json === true, found);
    return EXIT.ok;
  });
};

/** `warden prompts set AGENT --text TEXT|@file --reason WHY`: a new version, on the record. */
export const promptsSet: CommandRun = async (argv, io) => {
  const name = 'warden prompts set';
  const parsed = parse(name, argv, FLAGS, 1);
  const agent = agentOf(name, parsed.positionals);
  const raw = str(parsed, 'text', name, true);
  const text = raw.startsWith('@') ? readText(raw.slice(1)) : raw;
  const reason = str(parsed, 'reason', name);
  if (!reason?.trim()) throw new UsageError(`${name}: --reason is required: say why, for the record`);
  return withStore(str(parsed, 'data-dir', name), async (store) => {
    requireKnown(name, store, agent);
    print(io, parsed.values.json === true, await store.set(agent, text, byOf(parsed, name), reason));
    return EXIT.ok;
  });
};

/** `warden prompts rollback AGENT --to N --reason WHY`: an earlier version made current again. */
export const promptsRollback: CommandRun = async (argv, io) => {
  const name = 'warden prompts rollback';
  const parsed = parse(name, argv, FLAGS, 1);
  const agent = agentOf(name, parsed.positionals);
  const to = int(parsed, 'to', name, 1, Number.MAX_SAFE_INTEGER);
  if (to === undefined) throw new UsageError(`${name}: --to N is required (warden prompts list shows the versions)`);
  const reason = str(parsed, 'reason', name);
  if (!reason?.trim()) throw new UsageError(`${name}: --reason is required: say why, for the record`);
  return withStore(str(parsed, 'data-dir', name), async (store) => {
    requireKnown(name, store, agent);
    print(io, parsed.values.json === true, await store.rollback(agent, to, byOf(parsed, name), reason));
    return EXIT.ok;
  });
};

function agentOf(name: string, positionals: string[]): string {
  const agent = positionals[0];
  if (!agent) throw new UsageError(`${name}: name the agent`);
  return agent;
}

function requireKnown(name: string, store: PromptStore, agent: string): void {
  if (!store.current(agent))
    throw new UsageError(`${name}: ${agent} has no prompt in this ledger (is it on the roster?)`);
}

function byOf(parsed: { values: Record<string, unknown> }, name: string): string {
  return str(parsed as never, 'by', name) ?? `cli:${userInfo().username}`;
}

function print(io: CliIO, json: boolean, v: PromptVersion): void {
  if (json) io.out(JSON.stringify(v));
  else io.out(`${line(v)}\n\n${v.text}`);
}
