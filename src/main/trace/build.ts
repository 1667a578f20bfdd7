import type { AnyEvent, LedgerEvent } from '../../shared/events.js';
import type { JsonValue } from '../../shared/json.js';
import { asAnyEvent } from '../../shared/narrow.js';
import {
  TRACE_VERSION,
  type Annotation,
  type SpanKind,
  type SpanStatus,
  type Trace,
  type TraceSpan,
} from '../../shared/trace.js';
import type { LedgerReader } from '../ledger/read.js';
import { annotationOf } from './annotations.js';

/** A span while it is built: times as epoch milliseconds (a model call's start has fractions). */
export interface Draft {
  id: string;
  kind: SpanKind;
  name: string;
  startMs: number;
  endMs: number | null;
  status: SpanStatus;
  content: Record<string, JsonValue>;
  annotations: Annotation[];
  children: Draft[];
}

/** What a tool call's parts need to find each other as its events come in. */
interface ToolState {
  span: Draft;
  decision: 'allow' | 'deny' | 'ask' | 'draft' | null;
  approval: Draft | null;
}

/** Handoff chains are bounded by hop limits; this only keeps a damaged ledger from looping. */
const MAX_DEPTH = 64;

/**
 * Builds a run's trace from its ledger events, read in chain order with the typed reader.
 * Returns null when the ledger holds no run of that id. A handoff's child run is built the same
 * way and nested under the handoff.
 */
export function buildTrace(reader: LedgerReader, runId: string): Trace | null {
  const root = buildRun(reader, runId, new Set());
  return root && { version: TRACE_VERSION, runId, root: finish(root) };
}

function buildRun(reader: LedgerReader, runId: string, seen: Set<string>): Draft | null {
  if (seen.has(runId) || seen.size >= MAX_DEPTH) return null;
  seen.add(runId);
  let run: Draft | null = null;
  const tools = new Map<string, ToolState>();
  const approvals = new Map<string, ToolState>();
  for (const stored of reader.each({ runId })) {
    const event = asAnyEvent(stored);
    if (event.type === 'run.started') {
      run = span(runId, 'run', stored.agentId ?? 'run', at(event), 'running', startContent(event.payload));
      const owner = event.payload.owner;
      if (owner)
        run.annotations.push({
          seq: stored.seq,
          ts: stored.ts,
          type: event.type,
          internal: true,
          text: `run by ${owner.host} pid ${owner.pid}`,
        });
      continue;
    }
    if (!run) continue; // events before the start: none are written so
    step(reader, run, event, stored, { tools, approvals, seen });
  }
  if (run && run.endMs === null) {
    // Waiting for a person, on one of its own calls or in a handoff it waits on.
    const waiting =
      [...approvals.values()].some((t) => t.approval?.status === 'waiting') ||
      run.children.some((c) => c.kind === 'handoff' && c.status === 'waiting');
    run.status = waiting ? 'waiting' : 'running';
  }
  return run;
}

/** Adds one event of a run to its spans. */
function step(
  reader: LedgerReader,
  run: Draft,
  event: AnyEvent,
  stored: LedgerEvent,
  state: { tools: Map<string, ToolState>; approvals: Map<string, ToolState>; seen: Set<string> },
): void {
  const { tools, approvals } = state;
  const ts = at(event);
  switch (event.type) {
    case 'run.finished': {
      const { status, ...rest } = event.payload;
      run.endMs = ts;
      run.status = status;
      Object.assign(run.content, defined(rest));
      return;
    }
    case 'model.called':
    case 'model.failed': {
      const { request, ...p } = event.payload;
      const model = span(String(event.seq), 'model', `model ${p.provider}:${p.model}`, ts - p.latencyMs, 'ok', {});
      model.endMs = ts;
      const contents = reader.contents;
      const asked = request && {
        messages: request.messages.map((ref) => contents.resolve(ref)),
        tools: request.tools ? contents.resolve(request.tools) : [],
      };
      if (event.type === 'model.failed') {
        model.status = 'error';
        model.content = defined({ ...p, request: asked });
      } else {
        const { reply, ...rest } = event.payload;
        model.content = defined({ ...rest, request: asked, reply: reply && contents.resolve(reply) });
      }
      run.children.push(model);
      return;
    }
    case 'tool.requested': {
      const { callId, server, tool, args } = event.payload;
      const call = span(callId, 'tool', `tool ${server}.${tool}`, ts, 'running', { server, tool, args });
      tools.set(callId, { span: call, decision: null, approval: null });
      run.children.push(call);
      return;
    }
    case 'policy.decided': {
      const call = tools.get(event.payload.callId);
      if (!call) break;
      const { decision, rule, reason } = event.payload;
      call.decision = decision;
      const part = span(`${call.span.id}:policy`, 'policy', `policy ${rule}: ${decision}`, ts, 'ok', {
        decision,
        rule,
        reason,
      });
      part.endMs = ts;
      call.span.children.push(part);
      if (decision === 'deny') call.span.status = 'denied';
      return;
    }
    case 'approval.requested': {
      const call = tools.get(event.payload.callId);
      if (!call) break;
      const { approvalId, amountUsd, rule, reason, expiresAt, argsSha256 } = event.payload;
      const content = defined({ approvalId, rule, reason, expiresAt, argsSha256, amountUsd });
      call.approval = span(approvalId, 'approval', 'waiting for a person', ts, 'waiting', content);
      call.span.children.push(call.approval);
      call.span.status = 'waiting';
      approvals.set(approvalId, call);
      return;
    }
    case 'approval.decided': {
      const call = approvals.get(event.payload.approvalId);
      if (!call?.approval) break;
      const { decision, by, reason } = event.payload;
      const part = call.approval;
      part.endMs = ts;
      part.status = decision === 'approved' ? 'ok' : decision;
      part.name = `${decision} by ${by}`;
      Object.assign(part.content, defined({ decision, by, reason, decidedAt: event.ts }));
      call.span.status = decision === 'approved' ? 'running' : decision;
      return;
    }
    case 'draft.recorded': {
      const call = tools.get(event.payload.callId);
      if (!call) break;
      const { draftId, rule, amountUsd } = event.payload;
      const part = span(
        draftId,
        'draft',
        'drafted for a person to execute',
        ts,
        'drafted',
        defined({ draftId, rule, amountUsd }),
      );
      part.endMs = ts;
      call.span.children.push(part);
      call.span.status = 'drafted';
      return;
    }
    case 'tool.result': {
      const call = tools.get(event.payload.callId);
      if (!call) break;
      const { resultRef, ...p } = event.payload;
      toolResult(call, resultRef ? { ...p, result: reader.contents.resolve(resultRef) } : p, ts);
      return;
    }
    case 'handoff': {
      const p = event.payload;
      const hand = span(`${p.childRunId}:handoff`, 'handoff', `handoff to ${p.toAgentId}`, ts, 'running', { ...p });
      const child = buildRun(reader, p.childRunId, state.seen);
      if (child) {
        hand.children.push(child);
        hand.endMs = child.endMs;
        hand.status = child.status;
      }
      run.children.push(hand);
      return;
    }
    default:
      break;
  }
  const note = annotationOf(event);
  if (!note) return;
  const callId = 'callId' in event.payload ? event.payload.callId : undefined;
  const target = (typeof callId === 'string' && tools.get(callId)?.span) || run;
  target.annotations.push({ seq: stored.seq, ts: stored.ts, ...note });
}

/** A tool call's result: its end, its content, and (when its server ran it) the execution part. */
function toolResult(
  call: ToolState,
  p: Omit<Extract<AnyEvent, { type: 'tool.result' }>['payload'], 'resultRef'>,
  ts: number,
): void {
  const { callId: _callId, ok, latencyMs, ...rest } = p;
  const tool = call.span;
  tool.endMs = ts;
  Object.assign(tool.content, defined({ ok, latencyMs, ...rest }));
  const approved = call.approval?.status === 'ok';
  const executed = !p.simulated && (call.decision === 'allow' || (call.decision === 'ask' && approved));
  if (executed) {
    // The server's own time, ending at the result; never before the decision it followed.
    const after = Math.max(...tool.children.map((c) => c.endMs ?? tool.startMs), tool.startMs);
    const exec = span(
      `${tool.id}:execution`,
      'execution',
      `mcp ${String(tool.content.server)}`,
      Math.max(ts - latencyMs, after),
      ok ? 'ok' : 'error',
      { latencyMs },
    );
    exec.endMs = ts;
    tool.children.push(exec);
  }
  if (p.simulated) tool.status = 'simulated';
  else if (tool.status === 'running' || tool.status === 'waiting') tool.status = ok ? 'ok' : 'error';
}

/** What a run's start says of it: its input and place in a chain (its owning process is bookkeeping). */
function startContent(p: Extract<AnyEvent, { type: 'run.started' }>['payload']): Record<string, JsonValue> {
  const { owner: _owner, roster: _roster, ...rest } = p;
  return defined(rest);
}

function span(
  id: string,
  kind: SpanKind,
  name: string,
  startMs: number,
  status: SpanStatus,
  content: Record<string, JsonValue>,
): Draft {
  return { id, kind, name, startMs, endMs: null, status, content, annotations: [], children: [] };
}

/** An event's time as epoch milliseconds. */
function at(event: { ts: string }): number {
  return Date.parse(event.ts);
}

/** The fields that hold a value (optional payload fields read as undefined). */
function defined(record: Record<string, JsonValue | undefined>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out;
}

/** A built span in the shared shape: times in ISO-8601, durations to a hundredth of a millisecond. */
function finish(d: Draft): TraceSpan {
  const duration = d.endMs === null ? null : Math.round(Math.max(0, d.endMs - d.startMs) * 100) / 100;
  return {
    id: d.id,
    kind: d.kind,
    name: d.name,
    start: new Date(Math.floor(d.startMs)).toISOString(),
    end: d.endMs === null ? null : new Date(Math.floor(d.endMs)).toISOString(),
    durationMs: duration,
    status: d.status,
    content: d.content,
    annotations: d.annotations,
    children: d.children.map(finish),
  };
}
