import { basename } from 'node:path';
import { UsageError } from '../../../shared/errors.js';
import { DEFAULT_CAPS, type SandboxCaps } from '../../../shared/sandbox.js';
import { noRosterBridge } from '../../sandbox/bridge.js';
import { SandboxPool } from '../../sandbox/pool.js';
import { int, parse, str } from '../args.js';
import { readJsonInput, readText } from './input.js';
import { EXIT, type CommandRun } from '../io.js';

const NAME = 'warden sandbox run';

/** `warden sandbox run FILE`: one agent program in the sandbox, with no roster. */
export const sandboxRun: CommandRun = async (argv, io) => {
  const parsed = parse(
    NAME,
    argv,
    {
      input: { type: 'string' },
      'memory-mb': { type: 'string' },
      'cpu-ms': { type: 'string' },
      'wall-ms': { type: 'string' },
      json: { type: 'boolean' },
    },
    1,
  );
  const file = parsed.positionals[0];
  if (!file) throw new UsageError(`${NAME}: name the program file to run`);
  const source = readText(file);
  const input = readJsonInput(NAME, str(parsed, 'input', NAME));
  const caps: SandboxCaps = {
    memoryMb: int(parsed, 'memory-mb', NAME, 8, 16_384) ?? DEFAULT_CAPS.memoryMb,
    cpuMs: int(parsed, 'cpu-ms', NAME, 1, 3_600_000) ?? DEFAULT_CAPS.cpuMs,
    wallMs: int(parsed, 'wall-ms', NAME, 1, 86_400_000) ?? DEFAULT_CAPS.wallMs,
  };
  const json = parsed.values.json === true;
  const logs: { level: string; message: string }[] = [];
  const pool = new SandboxPool({ size: 1 });
  try {
    const outcome = await pool.run({
      program: { source, filename: basename(file) },
      input,
      caps,
      bridge: noRosterBridge((level, message) => {
        if (json) logs.push({ level, message });
        else io.err(`[${level}] ${message}`);
      }),
    });
    if (json) {
      io.out(JSON.stringify({ result: null, error: null, limit: null, ...outcome, logs }));
    } else if (outcome.status === 'ok') {
      io.out(JSON.stringify(outcome.result, null, 2));
    } else {
      const what = outcome.status === 'limit' ? `limit (${outcome.limit})` : outcome.status;
      io.err(
        `${what}: ${outcome.error?.message ?? ''} [${outcome.error?.code ?? ''}] after ${outcome.cpuMs} ms CPU, ${outcome.wallMs} ms wall`,
      );
    }
    return outcome.status === 'ok' ? EXIT.ok : EXIT.checkFailed;
  } finally {
    await pool.close();
  }
};
