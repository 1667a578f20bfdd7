import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../../shared/errors.js';
import { parse } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';

const NAME = 'warden init';

/** The starter roster shipped with Warden, which `warden init` copies. */
export const STARTER_ROSTER = fileURLToPath(new URL('../../../../resources/starter', import.meta.url));

/** What each file of the starter roster is, as init lists it. */
const FILES: Record<string, string> = {
  'warden.yaml': 'the rules over every agent: money thresholds, guardrails, defaults',
  'mcp.json': "the MCP server the agent's tools live on",
  'mcp/supplies.mjs': 'that server: an office-supplies catalog that takes orders',
  'agents/purchaser.yaml': 'the agent: its role, its tools, what it may do on its own, its caps',
  'agents/purchaser.js': "its program, run in Warden's sandbox",
  'models/starter.yaml': 'the rules of the scripted model (offline, no API key)',
};

/**
 * `warden init DIR`: writes a small working roster (one agent with a program, one MCP server,
 * the scripted model) into a new or empty folder, and says what to run next. A folder that
 * holds anything is left alone unless `--force` is given.
 */
export const init: CommandRun = async (argv, io) => {
  const parsed = parse(NAME, argv, { force: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  const dir = parsed.positionals[0];
  if (!dir) throw new UsageError(`${NAME}: name the folder to make the roster in, e.g. warden init my-roster`);
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new UsageError(`${NAME}: ${dir} is a file, not a folder`);
    if (readdirSync(target).length > 0 && parsed.values.force !== true) {
      throw new UsageError(
        `${NAME}: ${dir} is not empty; name a new folder, or add --force to write the starter files into it (files of the same names are replaced)`,
      );
    }
  }
  mkdirSync(target, { recursive: true });
  cpSync(STARTER_ROSTER, target, { recursive: true, force: true });
  const order = Object.keys(FILES);
  const files = filesUnder(STARTER_ROSTER).sort((a, b) => rank(order, a) - rank(order, b));
  const r = shellWord(dir);
  const next = [
    { command: `warden roster check ${r}`, why: 'checks every file; run it again after each change' },
    { command: `warden mcp tools --roster ${r}`, why: 'starts the MCP server and lists its tools' },
    {
      command: `warden run --roster ${r} --agent purchaser --input '{"item":"paper","quantity":10}'`,
      why: 'an order of $245: under $1,000, it runs on its own',
    },
    {
      command: `warden run --roster ${r} --agent purchaser --input '{"item":"chair","quantity":4}'`,
      why: 'an order of $1,240: it waits for you; in another terminal, warden approvals list, then warden approvals approve ID',
    },
    { command: `warden serve --roster ${r}`, why: 'the console in a browser: runs, approvals, the ledger' },
  ];
  if (parsed.values.json === true) {
    io.out(JSON.stringify({ roster: target, files, next: next.map((n) => n.command) }));
    return EXIT.ok;
  }
  const width = Math.max(...files.map((f) => f.length));
  io.out(`Made a roster in ${target}:`);
  for (const file of files) io.out(`  ${file.padEnd(width)}  ${FILES[file] ?? ''}`.trimEnd());
  io.out('');
  io.out('Next:');
  for (const step of next) io.out(`  ${step.command}\n      ${step.why}`);
  io.out('');
  io.out('Each file says in its comments what its fields do; docs/roster.md in Warden has them all.');
  return EXIT.ok;
};

/** The files under a folder, relative to it, with forward slashes, in a stable order. */
function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(root, path) : [relative(root, path).split('\\').join('/')];
    });
}

/** Where a file comes in the listing: described files in their order, any other after them. */
function rank(order: string[], file: string): number {
  const at = order.indexOf(file);
  return at < 0 ? order.length : at;
}

/** A path as a POSIX shell reads it back: quoted when it holds anything but plain characters. */
function shellWord(text: string): string {
  return /^[\w./@:+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
