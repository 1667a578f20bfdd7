import { WardenError } from '../../shared/errors.js';
import { EXIT, processIO, type CliIO, type Command } from './io.js';

/** Commands by their words. */
const COMMANDS: Record<string, Command> = {
  'sandbox run': {
    usage: 'warden sandbox run FILE [--input JSON|@file] [--memory-mb N] [--cpu-ms N] [--wall-ms N] [--json]',
    summary: 'run one agent program in the sandbox, under its caps',
    load: async () => (await import('./commands/sandbox.js')).sandboxRun,
  },
  'ledger verify': {
    usage:
      'warden ledger verify [--data-dir D | --file F] [--since OLD] [--key FINGERPRINT] [--json]\n' +
      "    (--data-dir: the chain, the folder's signed checkpoints and stored Merkle tree; --file: an export and its checkpoint;\n" +
      '     --since OLD: a checkpoint file from warden ledger checkpoint, or an earlier export, that must still hold)',
    summary:
      'recompute the hash chain and check it against signed checkpoints, so a ledger cut short or rewritten fails; exit 0 intact, 1 tampered',
    load: async () => (await import('./commands/ledger.js')).ledgerVerify,
  },
  'ledger checkpoint': {
    usage: 'warden ledger checkpoint --out F [--data-dir D] [--json]',
    summary:
      'sign a checkpoint of the ledger (its size and Merkle root) into a file to give an auditor; verify --since F later catches a rewrite, even with the same key',
    load: async () => (await import('./commands/checkpoint.js')).ledgerCheckpoint,
  },
  'ledger export': {
    usage:
      'warden ledger export --format jsonl|csv|otlp|html|pdf --out F [--from T] [--to T] [--agent A] [--run R] [--type T] [--unit U] [--roster R] [--data-dir D] [--json]\n' +
      '    (--run: jsonl, csv and otlp; --type: jsonl and csv only; --unit and --roster: html and pdf reports only;\n' +
      '     otlp: one OTLP/JSON trace a line per root run, --agent, --from and --to choosing root runs)',
    summary:
      'export events with their hashes (JSONL verifies offline), runs as OpenTelemetry traces (OTLP/JSON), or a report for auditors in HTML or PDF, anchored to a signed checkpoint',
    load: async () => (await import('./commands/ledger.js')).ledgerExport,
  },
  'ledger prove': {
    usage: 'warden ledger prove --seq N --out P [--data-dir D] [--json]',
    summary:
      'write the proof that one event is in the ledger, to a signed checkpoint (show one approval, not the whole ledger)',
    load: async () => (await import('./commands/audit.js')).ledgerProve,
  },
  'ledger verify-proof': {
    usage: 'warden ledger verify-proof P [--key FINGERPRINT] [--json]',
    summary: 'check an inclusion proof offline: the signature, the event, its path to the root; exit 1 if it fails',
    load: async () => (await import('./commands/audit.js')).ledgerVerifyProof,
  },
  init: {
    usage: 'warden init DIR [--force] [--json]',
    summary:
      'make a small working roster in a new or empty folder (one agent and its program, one MCP server, the scripted model) and say what to run next',
    load: async () => (await import('./commands/init.js')).init,
  },
  run: {
    usage: 'warden run --roster R --agent A --input JSON|@file [--data-dir D] [--json]',
    summary:
      'run one task and wait for it to finish, approvals included; exit 0 succeeded, 1 failed (a failed tool call included), 3 a person rejected a call',
    load: async () => (await import('./commands/run.js')).run,
  },
  demo: {
    usage: 'warden demo [--data-dir D] [--json]',
    summary: 'run the offline demo roster on its sample tasks and summarise what happened',
    load: async () => (await import('./commands/demo.js')).demo,
  },
  serve: {
    usage: 'warden serve [--roster R] [--data-dir D] [--port N]',
    summary: 'the console in a browser on 127.0.0.1; prints a one-time link (the demo roster by default)',
    load: async () => (await import('./commands/serve.js')).serve,
  },
  'runs list': {
    usage: 'warden runs list [--agent A] [--status S] [--limit N] [--eval] [--data-dir D] [--json]',
    summary:
      'the latest runs of work (--eval: of eval suites), newest first (50 unless --limit): agent, status, start, duration, cost and tokens; --status waiting for those a person is asked about, running for the rest not finished',
    load: async () => (await import('./commands/runs.js')).runsList,
  },
  'runs show': {
    usage: 'warden runs show ID [--internal] [--data-dir D] [--json]',
    summary:
      "a run's trace: its model calls, tool calls (policy, waiting for a person, MCP execution) and handoffs, nested, with start and duration; --json gives the tree of spans with their content",
    load: async () => (await import('./commands/runs.js')).runsShow,
  },
  'approvals list': {
    usage: 'warden approvals list [--data-dir D] [--json]',
    summary: 'the approval requests waiting for a person',
    load: async () => (await import('./commands/approvals.js')).approvalsList,
  },
  'approvals approve': {
    usage: 'warden approvals approve ID [--by NAME] [--data-dir D] [--json]',
    summary: 'approve a request; the waiting run goes on',
    load: async () => (await import('./commands/approvals.js')).approvalsApprove,
  },
  'approvals reject': {
    usage: 'warden approvals reject ID --reason TEXT [--by NAME] [--data-dir D] [--json]',
    summary: 'reject a request, with the reason on record (a run whose process has exited ends rejected)',
    load: async () => (await import('./commands/approvals.js')).approvalsReject,
  },
  eval: {
    usage: 'warden eval --roster R [--agent A] [--data-dir D] [--json]',
    summary: 'run golden eval suites; exit 1 when an agent falls below its minimum accuracy (it is suspended)',
    load: async () => (await import('./commands/eval.js')).evalCommand,
  },
  kpis: {
    usage: 'warden kpis [--from T] [--to T] [--by agent|tier|unit] [--roster R] [--data-dir D] [--json]',
    summary: 'time to resolution, intervention rate, cost per resolved task and spend (last 30 days by default)',
    load: async () => (await import('./commands/kpis.js')).kpis,
  },
  'agents resume': {
    usage: 'warden agents resume ID [--reason TEXT] [--by NAME] [--data-dir D] [--json]',
    summary: 'let a paused or suspended agent run again, with who and why on record',
    load: async () => (await import('./commands/agents.js')).agentsResume,
  },
  'prompts list': {
    usage: 'warden prompts list [--agent A] [--data-dir D] [--json]',
    summary: "every version of the agents' system prompts: who changed each, when and why",
    load: async () => (await import('./commands/prompts.js')).promptsList,
  },
  'prompts show': {
    usage: 'warden prompts show AGENT [--version N] [--data-dir D] [--json]',
    summary: 'the text of the prompt an agent runs with (or of an earlier version)',
    load: async () => (await import('./commands/prompts.js')).promptsShow,
  },
  'prompts set': {
    usage: 'warden prompts set AGENT --text TEXT|@file --reason WHY [--by NAME] [--data-dir D] [--json]',
    summary: "change an agent's prompt: a new version in the ledger, with who and why",
    load: async () => (await import('./commands/prompts.js')).promptsSet,
  },
  'prompts rollback': {
    usage: 'warden prompts rollback AGENT --to N --reason WHY [--by NAME] [--data-dir D] [--json]',
    summary: 'make an earlier version current again (itself a new version; history is never rewritten)',
    load: async () => (await import('./commands/prompts.js')).promptsRollback,
  },
  'mcp tools': {
    usage: 'warden mcp tools --roster R [--data-dir D] [--json]',
    summary:
      "list each MCP server of a roster's mcp.json (no agents needed), its status and its tools, flagging tool definitions that read like instructions; exit 1 if a server fails to start or a flagged tool waits for acceptance",
    load: async () => (await import('./commands/mcp.js')).mcpTools,
  },
  'mcp accept': {
    usage: 'warden mcp accept SERVER.TOOL --reason TEXT [--by NAME] [--data-dir D] [--json]',
    summary:
      "accept a tool's flagged definition (exactly as recorded, by its hash): agents may call it and the model sees its description",
    load: async () => (await import('./commands/mcp.js')).mcpAccept,
  },
  'providers test': {
    usage: 'warden providers test --roster R [--provider NAME] [--by NAME] [--data-dir D] [--json]',
    summary: 'send one short request to each provider the agents use (keys from the environment); exit 1 if any fails',
    load: async () => (await import('./commands/providers.js')).providersTest,
  },
  'roster check': {
    usage: 'warden roster check R | --roster R [--json]',
    summary: 'check warden.yaml, mcp.json and agents/*.yaml; every problem on one line',
    load: async () => (await import('./commands/roster.js')).rosterCheck,
  },
};

/** Every command's words (`ledger verify`), as `warden --help` lists them. */
export function commandNames(): string[] {
  return Object.keys(COMMANDS);
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'warden: run, govern and audit a roster of AI agents',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  warden ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run warden <command> --help for its flags. Data lives in the OS app data folder;',
    'WARDEN_DATA_DIR or --data-dir points elsewhere.',
    'Exit codes: 0 success, 1 a check failed, 2 bad usage or bad input, 3 a person rejected what a run asked for.',
  ].join('\n');
}

/** Runs the `warden` command with its arguments; resolves with the exit code. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.err : io.out)(help());
    return argv.length === 0 ? EXIT.badInput : EXIT.ok;
  }
  // Two-word commands (ledger verify) first, then one-word ones (run, demo).
  const twoWords = COMMANDS[`${argv[0]} ${argv[1] ?? ''}`];
  const command = twoWords ?? COMMANDS[argv[0]!];
  if (!command) {
    const group = Object.keys(COMMANDS).filter((k) => k.startsWith(`${argv[0]} `));
    if (group.length > 0 && (argv[1] === undefined || argv[1] === '--help' || argv[1] === '-h')) {
      // Asked for help: stdout. Named a group with no command: the same text, as an error.
      (argv[1] === undefined ? io.err : io.out)(
        group.map((k) => `${COMMANDS[k]!.usage}\n    ${COMMANDS[k]!.summary}`).join('\n'),
      );
      return argv[1] === undefined ? EXIT.badInput : EXIT.ok;
    }
    const what = group.length > 0 ? `"${argv[0]} ${argv[1]}"` : `"${argv[0]}"`;
    io.err(`warden: unknown command ${what}; run warden --help`);
    return EXIT.badInput;
  }
  const rest = argv.slice(twoWords ? 2 : 1);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.usage}\n\n${command.summary}`);
    return EXIT.ok;
  }
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (error) {
    if (error instanceof WardenError) {
      // The user's mistake: one line naming it, no stack trace.
      io.err(error.message.startsWith('warden ') ? error.message : `warden: ${error.message}`);
      // A ledger that no longer holds what it signed is a failed check, not a mistake of the user's.
      return error.code === 'E_LEDGER_TAMPERED' ? EXIT.checkFailed : EXIT.badInput;
    }
    throw error;
  }
}
