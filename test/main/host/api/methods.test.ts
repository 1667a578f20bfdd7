import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { consoleHandlers, hostParts } from '../../../../src/main/host/api/handlers.js';
import { parseParams, type Handlers } from '../../../../src/main/host/api/methods.js';
import type { HostParts } from '../../../../src/main/host/api/methods.js';
import { openWarden, type Warden } from '../../../../src/main/host/warden.js';
import { API, type AgentView, type Method, type Params } from '../../../../src/shared/api.js';
import { API_METHODS } from '../../../../src/shared/api-methods.js';
import { useTempDirs } from '../../cli/helpers.js';

// The console API's handlers, called through their typed table on the demo roster over a fresh
// data folder: no runs, no sandbox, no MCP server started.
const temp = useTempDirs();
let warden: Warden;
let parts: HostParts;
let handlers: Handlers;

beforeAll(async () => {
  const dir = temp.make('warden-methods-');
  warden = await openWarden({ rosterDir: 'resources/demo', dataDir: join(dir, 'data') });
  parts = hostParts(warden);
  handlers = consoleHandlers(parts);
});
afterAll(async () => {
  parts.insights.close();
  await warden.close();
  temp.cleanup();
});

/** Calls a method's handler as the API does (params parsed first) and checks its result against the method's result schema. */
async function call<M extends Method>(method: M, params: Params<M>): Promise<unknown> {
  const result = await handlers[method](parseParams(method, params), 'test');
  const schema: z.ZodType = API[method].result;
  const parsed = schema.safeParse(result);
  expect(parsed.success, `${method}: ${parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)}`).toBe(
    true,
  );
  return result;
}

describe('the console API handler table', () => {
  it('has a handler for every method of the contract, and nothing else', () => {
    const methods = Object.keys(API).sort();
    expect(Object.keys(handlers).sort()).toEqual(methods);
    expect([...API_METHODS].sort()).toEqual(methods);
  });

  it('types each handler by its schemas', () => {
    expectTypeOf<ReturnType<Handlers['roster.list']>>().toEqualTypeOf<AgentView[] | Promise<AgentView[]>>();
    expectTypeOf<Parameters<Handlers['runs.page']>[0]['limit']>().toEqualTypeOf<number>();
    expectTypeOf<Parameters<Handlers['ledger.checkpoint']>[0]>().toEqualTypeOf<{ sign: boolean }>();
  });

  it('answers the roster, runs, approvals and tools as their result schemas say', async () => {
    const agents = await call('roster.list', {});
    expect(agents).toHaveLength(warden.roster.agents.length);
    await call('runs.page', { limit: 10 });
    await call('runs.page', { limit: 10, eval: true });
    await call('approvals.list', { state: 'pending' });
    await call('approvals.list', { state: 'decided' });
    await call('tools.flagged', {});
  });

  it('answers pausing, prompts and providers as their result schemas say, the writes recorded by the caller', async () => {
    const agentId = warden.roster.agents[0]!.id;
    await call('agent.pause', { agentId, reason: 'checking the table' });
    expect(await call('roster.list', {})).toContainEqual(expect.objectContaining({ id: agentId, status: 'paused' }));
    await call('agent.resume', { agentId });
    const [first] = (await call('prompts.history', { agentId })) as { version: number }[];
    expect(first).toMatchObject({ version: 1 });
    expect(await call('prompts.set', { agentId, text: 'Be brief.', reason: 'shorter' })).toMatchObject({
      version: 2,
      by: 'test',
    });
    await call('prompts.rollback', { agentId, to: 1, reason: 'back' });
    await call('providers.list', {});
  });

  it('answers the ledger, its checkpoints and proofs, evals and KPIs as their result schemas say', async () => {
    const page = (await call('ledger.page', { limit: 5 })) as { events: unknown[] };
    expect(page.events.length).toBeGreaterThan(0);
    expect(await call('ledger.verify', {})).toMatchObject({ ok: true });
    await call('ledger.checkpoint', { sign: true });
    await call('ledger.proof', { seq: 1 });
    expect(await call('ledger.facets', {})).toMatchObject({ types: expect.arrayContaining(['agent.paused']) });
    await call('ledger.page', { limit: 5, eval: false });
    expect(await call('ledger.seqAt', { ts: '2000-01-01T00:00:00.000Z' })).toEqual({ seq: 1 });
    expect(await call('ledger.seqAt', { ts: '2999-01-01T00:00:00.000Z' })).toEqual({ seq: null });
    await call('evals.overview', {});
    const to = new Date().toISOString().replace(/\.\d{3}Z$/, '.000Z');
    await call('kpis.report', { from: '2026-01-01T00:00:00.000Z', to, by: 'tier' });
  });

  it('refuses params its schema refuses before any handler runs, naming the field', () => {
    expect(() => parseParams('agent.pause', { agentId: 42 })).toThrow(/agent\.pause: agentId/);
    expect(() => parseParams('runs.page', { limit: 0 })).toThrow(/runs\.page: limit/);
    expect(() => parseParams('runs.page', { status: 'busy' })).toThrow(/runs\.page: status/);
    expect(() => parseParams('ledger.seqAt', { ts: 'yesterday' })).toThrow(/ledger\.seqAt: ts: expected an ISO-8601/);
  });
});
