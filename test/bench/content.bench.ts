import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger, LEDGER_FILE } from '../../src/main/ledger/index.js';
import type { NewEvent } from '../../src/shared/events.js';
import type { JsonValue } from '../../src/shared/json.js';
import type { ChatMessage, ToolDefinition } from '../../src/shared/models.js';
import { report } from './stats.js';

/**
 * What keeping the content costs: the ledger's size per run, and append speed, for runs shaped
 * like real agent work (a 2 KB system prompt and 12 tools sent on every turn, a conversation
 * that grows by a tool call and its result each turn, one large result in four runs), written
 * three ways: without content (model.called v1 as before), with the content store, and the
 * size the same prompts and replies would take kept whole in every event.
 */
const RUNS = Number(process.env.WARDEN_BENCH_CONTENT_RUNS ?? 2_000);
const TURNS = 5;

const SYSTEM: ChatMessage = {
  role: 'system',
  content: `You are the payables agent of Acme Supplies. ${'Pay only approved invoices; check the vendor, the amount and the purchase order. '.repeat(24)}`,
};
const TOOLS: ToolDefinition[] = Array.from({ length: 12 }, (_, i) => ({
  name: `books.tool_${i}`,
  description: `Tool ${i} of the books server: reads or writes the ledger of accounts payable.`,
  inputSchema: { type: 'object', properties: { invoiceId: { type: 'string' }, amountUsd: { type: 'number' } } },
}));

/** The events of one run, its content staged on `ledger` when `keep`; and the bytes its content would take inline. */
function run(ledger: Ledger, n: number, keep: boolean): { events: NewEvent[]; inlineBytes: number } {
  const runId = `run-c${n}`;
  const agentId = 'payables';
  const events: NewEvent[] = [
    {
      type: 'run.started',
      runId,
      agentId,
      payload: { input: { invoice: `INV-${n}` }, hop: 0, tier: 'reconciliation' },
    },
  ];
  const messages: ChatMessage[] = [SYSTEM, { role: 'user', content: `Pay invoice INV-${n} if it is approved.` }];
  let inlineBytes = 0;
  for (let turn = 0; turn < TURNS; turn++) {
    const call = { id: `t${turn}`, name: 'books.tool_1', arguments: { invoiceId: `INV-${n}`, amountUsd: 100 + turn } };
    const reply = { text: turn === TURNS - 1 ? 'Paid.' : null, toolCalls: turn === TURNS - 1 ? [] : [call] };
    inlineBytes += JSON.stringify({ messages, tools: TOOLS, reply }).length;
    events.push({
      type: 'model.called',
      runId,
      agentId,
      payload: {
        provider: 'scripted',
        model: 'demo',
        inputTokens: 900 + turn * 80,
        outputTokens: 40,
        costUsd: 0.002,
        latencyMs: 800,
        ...(keep
          ? {
              request: { messages: messages.map((m) => ledger.content(m)), tools: ledger.content(TOOLS) },
              reply: ledger.content(reply),
            }
          : {}),
      },
    });
    if (turn === TURNS - 1) break;
    const large = n % 4 === 0 && turn === 1;
    const result: JsonValue = large
      ? { rows: Array.from({ length: 300 }, (_, i) => ({ invoice: `INV-${n}-${i}`, amountUsd: i })) }
      : { status: 'ok', invoiceId: `INV-${n}`, approved: true };
    events.push({
      type: 'tool.result',
      runId,
      agentId,
      payload: {
        callId: `call-${n}-${turn}`,
        ok: true,
        latencyMs: 20,
        ...(large && keep ? { resultRef: ledger.content(result) } : { result: large ? { truncated: true } : result }),
      },
    });
    messages.push(
      { role: 'assistant', content: '', toolCalls: [call] },
      { role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify(result) },
    );
  }
  events.push({ type: 'run.finished', runId, agentId, payload: { status: 'ok', output: { paid: true } } });
  return { events, inlineBytes };
}

async function write(
  keep: boolean,
): Promise<{ bytesPerRun: number; eventsPerSecond: number; inlinePerRun: number; contentBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-content-'));
  const ledger = Ledger.open(dir);
  let inline = 0;
  let events = 0;
  const started = performance.now();
  try {
    for (let n = 0; n < RUNS; n++) {
      const built = run(ledger, n, keep);
      inline += built.inlineBytes;
      events += built.events.length;
      await ledger.appendMany(built.events);
    }
    const seconds = (performance.now() - started) / 1000;
    ledger.flushWal();
    const contentBytes = keep ? [...ledger.contents.rows()].reduce((sum, r) => sum + r.bytes, 0) : 0;
    ledger.close();
    const size =
      statSync(join(dir, LEDGER_FILE)).size +
      (statSync(join(dir, `${LEDGER_FILE}-wal`), { throwIfNoEntry: false })?.size ?? 0);
    return { bytesPerRun: size / RUNS, eventsPerSecond: events / seconds, inlinePerRun: inline / RUNS, contentBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function contentBenchmarks(): Promise<void> {
  console.log(`\ncontent: ${RUNS} runs of ${TURNS} model calls each`);
  const without = await write(false);
  const kept = await write(true);
  report('ledger bytes per run, without content (before)', without.bytesPerRun, 'B', 'baseline');
  report('ledger bytes per run, with the content store', kept.bytesPerRun, 'B', 'prompts and replies whole');
  report('  of which content bodies per run', kept.contentBytes / RUNS, 'B', 'each body once');
  report('the same content kept whole in every event, per run', kept.inlinePerRun, 'B', 'what hashing saves');
  report('appends without content', without.eventsPerSecond, 'ev/s', 'baseline');
  report('appends with content', kept.eventsPerSecond, 'ev/s', 'close to baseline');
}
