import { afterEach } from 'vitest';
import type { ContentPart } from '../../../src/shared/content.js';
import type { JsonValue } from '../../../src/shared/json.js';
import { AgentManifestSchema, WardenConfigSchema } from '../../../src/shared/roster.js';
import { ApprovalBook } from '../../../src/main/gateway/approvals.js';
import type { GovernedRun, RunEvent } from '../../../src/main/gateway/run.js';
import type { ToolCallEnv } from '../../../src/main/gateway/tool-call.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { tempDir } from '../../helpers/temp.js';

// The tool-call path with in-memory parts: a ledger on a temp folder, an MCP stand-in that
// records what it was asked, a spend of the test's choosing, and a plain run object.

const config = WardenConfigSchema.parse({});
const agent = AgentManifestSchema.parse({
  id: 'reconciliation',
  role: 'Matches payments and posts entries',
  tools: [
    { name: 'books.list_open_invoices', access: 'read' },
    { name: 'books.post_payment', access: 'write', amountArg: 'amountUsd' },
  ],
  budget: { usdPerDay: 5 },
});

const opened: { close(): void; cleanup(): void }[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) {
    o.close();
    o.cleanup();
  }
});

/** A governed tool call's parts: its env, its run, the calls the MCP stand-in was asked, its ledger. */
export function parts(
  options: { spentUsd?: number; result?: JsonValue; content?: ContentPart[]; eval?: boolean } = {},
) {
  const temp = tempDir('warden-tool-call-');
  const ledger = Ledger.open(temp.dir);
  opened.push({ close: () => ledger.close(), cleanup: temp.cleanup });
  const calls: { server: string; tool: string; args: Record<string, JsonValue> }[] = [];
  const budgetSpent: string[] = [];
  const approvals = new ApprovalBook(ledger);
  const env: ToolCallEnv = {
    config,
    mcp: {
      connection: (server: string) =>
        ({
          callTool: async (tool: string, args: Record<string, JsonValue>) => {
            calls.push({ server, tool, args });
            if (options.content) return { content: options.content, isError: false };
            return { content: [], structuredContent: options.result ?? { ok: true }, isError: false };
          },
        }) as never,
      refusal: async () => null,
    },
    approvals,
    content: { keep: (bytes) => ledger.blobs.put(bytes), holdsSecret: (text) => ledger.holdsSecret(text) },
    spend: { today: () => ({ tokens: 0, usd: options.spentUsd ?? 0 }), add: () => undefined },
    pollMs: 5,
    clock: () => new Date(),
    waitWhilePaused: async () => undefined,
    onBudgetSpent: async (_run, why) => {
      budgetSpent.push(why);
    },
  };
  const stamp = (e: RunEvent) => ({ ...e, runId: 'run-1', agentId: agent.id }) as never;
  const run: GovernedRun = {
    runId: 'run-1',
    agent,
    tainted: false,
    abort: new AbortController(),
    ...(options.eval ? { eval: { toolResults: {} } } : {}),
    record: async (e) => void (await ledger.append(stamp(e))),
    recordAll: async (es) => void (await ledger.appendMany(es.map(stamp))),
    note: (e) => void ledger.appendLazy(stamp(e)).catch(() => undefined),
    content: (value) => ledger.content(value),
  };
  const types = async () => {
    await ledger.append({ type: 'run.log', payload: { level: 'info', message: 'flush' } });
    return [...ledger.reader.each()].map((e) => e.type).filter((t) => t !== 'run.log');
  };
  return { env, run, calls, budgetSpent, approvals, ledger, types };
}
