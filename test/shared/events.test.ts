import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, checkEventPayload, latestVersion } from '../../src/shared/events.js';

describe('the event union', () => {
  it('is closed: an unknown type is refused', () => {
    expect(checkEventPayload('agent.teleported', 1, {})).toEqual({
      ok: false,
      message: 'unknown event type "agent.teleported"',
    });
  });

  it('is versioned: a version a type does not have is refused', () => {
    expect(checkEventPayload('run.log', 99, { level: 'info', message: 'x' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no version 99/),
    });
  });

  it('names the field of a bad payload', () => {
    const result = checkEventPayload('model.called', 1, {
      provider: 'scripted',
      model: 'demo',
      inputTokens: -1,
      outputTokens: 0,
      costUsd: 0,
      latencyMs: 1,
    });
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^model\.called v1: payload\.inputTokens: /),
    });
  });

  it('refuses fields a payload does not declare, so nothing unplanned (a secret) rides along', () => {
    expect(checkEventPayload('agent.paused', 1, { by: 'ops', apiKey: 'sk-123' }).ok).toBe(false);
  });

  it('accepts a valid payload of every type at its newest version', () => {
    const samples: Record<string, unknown> = {
      'run.started': { input: { invoice: 'INV-1' }, hop: 0, tier: 'reconciliation' },
      'run.finished': { status: 'rejected', error: { code: 'E_POLICY_REJECTED', message: 'rejected by ops: no' } },
      'roster.opened': { organisation: 'Acme Supplies', units: [{ id: 'finance', name: 'Finance' }] },
      'run.log': { level: 'info', message: 'x' },
      'model.called': {
        provider: 'scripted',
        model: 'demo',
        inputTokens: 10,
        outputTokens: 5,
        costUsd: 0,
        latencyMs: 3,
      },
      'model.failed': {
        provider: 'anthropic',
        model: 'claude',
        error: { code: 'E_MODEL', message: 'anthropic unreachable: ECONNREFUSED' },
        latencyMs: 12,
      },
      'tool.requested': { callId: 'c1', server: 'erp', tool: 'post', args: { amount: 5 } },
      'policy.decided': { callId: 'c1', decision: 'ask', rule: 'doa.approve', reason: '$4,200 needs approval' },
      'approval.requested': {
        approvalId: 'a1',
        callId: 'c1',
        server: 'erp',
        tool: 'post',
        args: {},
        argsSha256: 'c'.repeat(64),
        amountUsd: 4200,
        rule: 'doa.approval',
        reason: '$4,200.00 needs approval',
        expiresAt: '2026-11-23T00:00:00.000Z',
      },
      'approval.decided': { approvalId: 'a1', decision: 'approved', argsSha256: 'c'.repeat(64), by: 'cao' },
      'draft.recorded': {
        draftId: 'd1',
        callId: 'c2',
        server: 'books',
        tool: 'post_payment',
        args: {},
        amountUsd: 18000,
        rule: 'doa.human-executes',
      },
      'mcp.failed': { server: 'books', phase: 'exit', error: { code: 'E_MCP_CLOSED', message: 'exited' } },
      'content.pruned': {
        before: '2026-06-01T00:00:00.000Z',
        throughSeq: 120,
        by: 'cli:auditor',
        reason: 'kept 180 days',
        pieces: 3,
        bytes: 2048,
      },
      'alert.raised': { kind: 'circuit', message: 'hop limit' },
      'run.parked': {
        approvalId: 'a1',
        messages: [
          { role: 'user', content: '{}' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_0_0', name: 'books.post_payment', arguments: {} }],
          },
        ],
        toolCalls: [{ id: 'call_0_0', name: 'books.post_payment', arguments: {} }],
        index: 0,
        step: 0,
      },
      'run.adopted': { owner: { host: 'vm', pid: 42 } },
      'tool.result': { callId: 'c1', ok: true, result: { id: 7 }, latencyMs: 12 },
      handoff: {
        toAgentId: 'quoting',
        childRunId: 'r2',
        hop: 1,
        intent: 'quote',
        context: {},
        constraints: [],
        verification: 'total matches',
      },
      'circuit.tripped': { hop: 6, hopLimit: 5, chain: ['a', 'b'] },
      'guardrail.tripped': { guardrail: 'prompt-injection', detail: 'ignore previous instructions' },
      'sandbox.limit': { limit: 'cpu', cpuMs: 1001, wallMs: 1003 },
      'agent.paused': { by: 'cao' },
      'agent.resumed': { by: 'cao', reason: 'fixed' },
      'agent.suspended': { reason: 'accuracy 0.90 below 0.95', evalRunId: 'e1' },
      'eval.run': {
        evalRunId: 'e1',
        suite: 'intake',
        total: 20,
        passed: 18,
        errored: 1,
        accuracy: 0.9,
        minAccuracy: 0.95,
        meanLatencyMs: 41.5,
        costUsd: 0.02,
        by: 'cli',
      },
      'eval.case': {
        evalRunId: 'e1',
        suite: 'intake',
        caseId: 'c-1',
        runId: 'run-1',
        grader: 'json-subset',
        passed: false,
        output: { amountUsd: 42 },
        expected: { amountUsd: 4200 },
        diff: ['$.amountUsd: expected 4200, got 42'],
        latencyMs: 30,
        costUsd: 0.001,
      },
      'manifest.changed': { file: 'agents/intake.yaml', sha256: 'a'.repeat(64) },
      'prompt.changed': { version: 2, sha256: 'b'.repeat(64), text: 'Be brief.', by: 'cao', reason: 'tone' },
      'provider.key.stored': {
        provider: 'anthropic',
        variable: 'ANTHROPIC_API_KEY',
        protection: 'keychain',
        by: 'console:desktop',
      },
      'provider.key.removed': { provider: 'anthropic', variable: 'ANTHROPIC_API_KEY', by: 'console:desktop' },
      'secret.stored': { variable: 'GITHUB_TOKEN', servers: ['github'], protection: 'keychain', by: 'console:desktop' },
      'secret.removed': { variable: 'GITHUB_TOKEN', by: 'console:desktop' },
      'host.error': {
        origin: 'unhandledRejection',
        error: { code: 'E_INTERNAL', message: 'socket hang up' },
        action: 'continued',
      },
      'provider.tested': {
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        ok: false,
        latencyMs: 212,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        error: {
          code: 'E_MODEL',
          message: 'model provider "anthropic" (anthropic:claude-haiku-4-5): HTTP 401: invalid',
        },
        by: 'cli:ops',
      },
      'mcp.tool.flagged': {
        server: 'crm',
        tool: 'lookup',
        sha256: 'd'.repeat(64),
        field: 'description',
        match: 'ignore previous instructions',
        why: 'tells the agent to ignore its instructions',
      },
      'mcp.tool.accepted': {
        server: 'crm',
        tool: 'lookup',
        sha256: 'd'.repeat(64),
        by: 'cli:ops',
        reason: 'vendor text',
      },
    };
    expect(Object.keys(samples).sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES) {
      expect(checkEventPayload(type, latestVersion(type), samples[type]), type).toMatchObject({ ok: true });
    }
  });

  it('still reads the older versions of types that gained one', () => {
    expect(checkEventPayload('run.started', 1, { input: {}, hop: 0, eval: true }).ok).toBe(true);
    expect(checkEventPayload('run.started', 2, { input: {}, hop: 0, eval: true }).ok).toBe(false);
    expect(
      checkEventPayload('eval.run', 1, { evalRunId: 'e1', suite: 's', total: 2, passed: 1, accuracy: 0.5 }).ok,
    ).toBe(true);
    expect(checkEventPayload('tool.result', 1, { callId: 'c1', ok: true, latencyMs: 1, costUsd: 1 }).ok).toBe(false);
    expect(latestVersion('run.started')).toBe(2);
    // run.finished v1 and v2 events never held `rejected`; v3 may.
    expect(checkEventPayload('run.finished', 2, { status: 'rejected' }).ok).toBe(false);
    expect(checkEventPayload('run.finished', 2, { status: 'ok', truncated: true }).ok).toBe(true);
    expect(latestVersion('run.finished')).toBe(3);
  });
});
