import { WardenError } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import type { HostFunction } from '../../shared/sandbox.js';

/** What the host does when an agent program calls `warden.*`. The runtime supplies one per run. */
export interface HostBridge {
  call(fn: HostFunction, args: JsonValue[]): Promise<JsonValue>;
  log?(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

/**
 * A run's scratch memory behind `warden.memory`: answers the memory.* host functions, and
 * returns undefined for every other one.
 */
export function runMemory(): (fn: HostFunction, args: JsonValue[]) => JsonValue | undefined {
  const memory = new Map<string, JsonValue>();
  return (fn, args) => {
    switch (fn) {
      case 'memory.get':
        return memory.get(String(args[0])) ?? null;
      case 'memory.set':
        memory.set(String(args[0]), args[1] ?? null);
        return null;
      case 'memory.delete':
        return memory.delete(String(args[0]));
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
