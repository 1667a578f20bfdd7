import { WardenError } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import { SANDBOX_OUTPUT_LIMITS, type HostFunction } from '../../shared/sandbox.js';

/** What the host does when an agent program calls `warden.*`. The runtime supplies one per run. */
export interface HostBridge {
  call(fn: HostFunction, args: JsonValue[]): Promise<JsonValue>;
  log?(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

/**
 * A run's scratch memory behind `warden.memory`: answers the memory.* host functions, and
 * returns undefined for every other one. It holds at most `limit` characters (each key and the
 * JSON of its value) at once: a set past that is refused with E_SANDBOX_TOO_LARGE and changes
 * nothing, so a program capped at 64 MB cannot keep hundreds of MB in the host.
 */
export function runMemory(
  limit: number = SANDBOX_OUTPUT_LIMITS.memory,
): (fn: HostFunction, args: JsonValue[]) => JsonValue | undefined {
  const memory = new Map<string, { value: JsonValue; size: number }>();
  let held = 0;
  return (fn, args) => {
    switch (fn) {
      case 'memory.get':
        return memory.get(String(args[0]))?.value ?? null;
      case 'memory.set': {
        const key = String(args[0]);
        const value = args[1] ?? null;
        const size = key.length + JSON.stringify(value).length;
        const after = held - (memory.get(key)?.size ?? 0) + size;
        if (after > limit) {
          throw new WardenError(
            'E_SANDBOX_TOO_LARGE',
            `warden.memory holds at most ${limit} characters (keys and the JSON of values) per run; setting "${key.slice(0, 100)}" would make it ${after}`,
          );
        }
        memory.set(key, { value, size });
        held = after;
        return null;
      }
      case 'memory.delete': {
        const key = String(args[0]);
        held -= memory.get(key)?.size ?? 0;
        return memory.delete(key);
      }
      default:
        return undefined;
    }
  };
}

/**
 * The bridge of a program run with no roster (`warden sandbox run`): model, tool and handoff
 * have nothing to reach and reject with E_NO_ROSTER; memory is a scratch store for this run.
 */
export function noRosterBridge(log?: HostBridge['log']): HostBridge {
  const memory = runMemory();
  return {
    log,
    async call(fn, args) {
      const remembered = memory(fn, args);
      if (remembered !== undefined) return remembered;
      throw new WardenError('E_NO_ROSTER', `warden.${fn} needs a roster: run the program as an agent of a roster`);
    },
  };
}
