import type { ApprovalBook } from '../gateway/approvals.js';
import type { Ledger } from '../ledger/index.js';
import type { McpManager } from '../mcp/manager.js';
import type { ModelProvider } from '../models/provider.js';
import type { Roster } from '../roster/load.js';
import type { SandboxPool } from '../sandbox/pool.js';

/**
 * Everything a runtime needs from the world, as one object: the CLI, the console host and
 * tests each build their own (real ledger and sandbox, fake clock, in-process tools...).
 */
export interface RuntimeEnv {
  roster: Roster;
  ledger: Ledger;
  approvals: ApprovalBook;
  sandbox: SandboxPool;
  mcp: McpManager;
  /** The provider for the part of `provider:model` before the colon. */
  model(provider: string): ModelProvider;
  clock?: () => Date;
  /** Runs in flight at once; more wait in a queue. Default 8. */
  concurrency?: number;
  /** How often a waiting run looks for decisions made by other processes. Default 200 ms. */
  pollMs?: number;
}
