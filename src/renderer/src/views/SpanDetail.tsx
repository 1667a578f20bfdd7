import type { ReactNode } from 'react';
import type { JsonValue } from '../../../shared/json.js';
import { usd } from '../../../shared/money.js';
import type { TraceSpan } from '../../../shared/trace.js';
import type { WardenClient } from '../client.js';
import { spanDuration, utcMillis } from '../format.js';
import { useStore } from '../store.js';
import { ModelContent } from './ModelContent.js';
import { ToolContent, type Part } from './ToolContent.js';
import { ErrorLine, Fact, Json, text } from './SpanParts.js';
import type { TraceRow } from './trace-rows.js';

const money = (value: JsonValue | undefined) => (typeof value === 'number' ? usd(value) : '—');

/**
 * Everything a trace holds of one span: when it ran and how it ended, then by kind the prompt
 * and reply of a model call, the arguments and result of a tool call with its policy decision
 * and who approved it when, a handoff's brief, a run's input and end; its annotations; and
 * all its fields as the ledger holds them.
 */
export function SpanDetail(props: {
  client: WardenClient;
  row: TraceRow;
  originMs: number;
  /** Whether the waterfall's axis is zoomed to this span. */
  zoomed: boolean;
  onZoom: (key: string | null) => void;
}) {
  const { client, row, originMs, zoomed, onZoom } = props;
  const { span } = row;
  // A model's or tool's name starts with its kind, which the badge already says.
  const name = span.name.startsWith(`${span.kind} `) ? span.name.slice(span.kind.length + 1) : span.name;
  return (
    <section className="span-detail" aria-label="Span detail" data-span-detail={row.key}>
      <header className="bar">
        <h3>
          <span className={`wf-kind kind-${span.kind}`}>{span.kind}</span> {name}
        </h3>
        <span className={`status ${span.status}`} data-detail-status>
          {span.status}
        </span>
        {row.depth > 0 && (
          <button className="link zoom" onClick={() => onZoom(zoomed ? null : row.key)}>
            {zoomed ? 'show the whole run' : 'zoom the axis to this span (z)'}
          </button>
        )}
      </header>
      <dl className="facts">
        <Fact name="started">
          {utcMillis(span.start)} (+{spanDuration(Math.max(0, Date.parse(span.start) - originMs))})
        </Fact>
        <Fact name="duration">
          <span data-detail-duration>
            {row.open ? `${spanDuration(row.lengthMs)} so far` : spanDuration(row.lengthMs)}
          </span>
        </Fact>
      </dl>
      <KindContent client={client} span={span} />
      {span.annotations.length > 0 && (
        <>
          <h4>Notes</h4>
          <ul className="annotations">
            {span.annotations.map((n) => (
              <li key={n.seq} data-internal={n.internal || undefined}>
                <span className="muted">+{spanDuration(Math.max(0, Date.parse(n.ts) - originMs))}</span> {n.text}
                {n.internal && <span className="muted"> (bookkeeping)</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <details className="raw">
        <summary>All fields</summary>
        <pre>{JSON.stringify(span.content, null, 2)}</pre>
      </details>
    </section>
  );
}

function KindContent({ client, span }: { client: WardenClient; span: TraceSpan }) {
  const c = span.content;
  switch (span.kind) {
    case 'model':
      return <ModelContent content={c} />;
    case 'tool':
      return <ToolCall client={client} span={span} />;
    case 'policy':
      return (
        <dl className="facts">
          <Fact name="decision">{text(c.decision)}</Fact>
          <Fact name="rule">
            <code>{text(c.rule)}</code>
          </Fact>
          <Fact name="why">{text(c.reason)}</Fact>
        </dl>
      );
    case 'approval':
      return <Approval span={span} />;
    case 'draft':
      return (
        <dl className="facts">
          <Fact name="draft">{text(c.draftId)}</Fact>
          <Fact name="rule">
            <code>{text(c.rule)}</code>
          </Fact>
          <Fact name="amount">{money(c.amountUsd)}</Fact>
        </dl>
      );
    case 'execution':
      return <p className="muted">Run by its MCP server in {spanDuration(Number(c.latencyMs ?? 0))}.</p>;
    case 'handoff':
      return <Handoff span={span} />;
    case 'run':
      return <Run span={span} />;
  }
}

/** A tool call: its arguments, the policy's decision and who approved it, then its result. */
function ToolCall({ client, span }: { client: WardenClient; span: TraceSpan }) {
  const c = span.content;
  const policy = span.children.find((s) => s.kind === 'policy');
  const approval = span.children.find((s) => s.kind === 'approval');
  const parts = Array.isArray(c.content) ? (c.content as unknown as Part[]) : [];
  return (
    <>
      <dl className="facts">
        <Fact name="tool">
          <code>
            {text(c.server)}.{text(c.tool)}
          </code>
        </Fact>
        {policy && (
          <Fact name="policy">
            <span data-policy>
              {text(policy.content.decision)} by <code>{text(policy.content.rule)}</code>: {text(policy.content.reason)}
            </span>
          </Fact>
        )}
        {approval && <Fact name="approval">{decisionLine(approval)}</Fact>}
        {typeof c.costUsd === 'number' && <Fact name="cost">{usd(c.costUsd)}</Fact>}
        {c.simulated === true && <Fact name="simulated">an eval run's write: recorded, never executed</Fact>}
      </dl>
      <h4>Arguments</h4>
      <div data-args>
        <Json value={c.args} />
      </div>
      {'ok' in c && <h4>Result{c.truncated === true ? ' (cut to keep the ledger lean)' : ''}</h4>}
      <ErrorLine error={c.error} />
      <div data-result>
        <Json value={c.result} />
      </div>
      {parts.length > 0 && typeof c.resultSeq === 'number' && (
        <ToolContent client={client} seq={c.resultSeq} parts={parts} />
      )}
    </>
  );
}

/** "approved by cfo@acme at 2026-03-02 09:00:05.320 UTC: known payee", or still waiting. */
function decisionLine(approval: TraceSpan): ReactNode {
  const c = approval.content;
  if (c.decision === undefined)
    return <span data-decision>waiting for a person since {utcMillis(approval.start)}</span>;
  return (
    <span data-decision>
      {text(c.decision)} by <strong>{text(c.by)}</strong> at {utcMillis(text(c.decidedAt) || approval.start)}
      {c.decisionReason ? `: ${text(c.decisionReason)}` : ''}
    </span>
  );
}

function Approval({ span }: { span: TraceSpan }) {
  const c = span.content;
  return (
    <dl className="facts">
      <Fact name="decision">{decisionLine(span)}</Fact>
      <Fact name="amount">{money(c.amountUsd)}</Fact>
      <Fact name="asked by">
        <code>{text(c.rule)}</code>
        {/* A decider's reason took the request's place in `reason`. */}
        {c.decisionReason === undefined && `: ${text(c.reason)}`}
      </Fact>
      <Fact name="expires">{c.expiresAt ? utcMillis(text(c.expiresAt)) : '—'}</Fact>
      <Fact name="approval">{text(c.approvalId)}</Fact>
      <Fact name="arguments' SHA-256">
        <code>{text(c.argsSha256)}</code>
      </Fact>
    </dl>
  );
}

/** A run the console can open on its own in the run list. */
function OpenRun({ runId }: { runId: string }) {
  const selectRun = useStore((s) => s.selectRun);
  return (
    <button className="link" onClick={() => selectRun(runId)}>
      open run {runId}
    </button>
  );
}

function Handoff({ span }: { span: TraceSpan }) {
  const c = span.content;
  return (
    <>
      <dl className="facts">
        <Fact name="to">
          {text(c.toAgentId)} (hop {text(c.hop)}) <OpenRun runId={text(c.childRunId)} />
        </Fact>
        <Fact name="intent">{text(c.intent)}</Fact>
      </dl>
      {(['context', 'constraints', 'verification'] as const).map((field) =>
        c[field] === undefined ? null : (
          <div key={field}>
            <h4>{field[0]!.toUpperCase() + field.slice(1)}</h4>
            <Json value={c[field]} />
          </div>
        ),
      )}
    </>
  );
}

function Run({ span }: { span: TraceSpan }) {
  const c = span.content;
  const shown = useStore((s) => s.selectedRunId);
  return (
    <>
      <dl className="facts">
        {c.parentRunId !== undefined && (
          <Fact name="handed off by">
            {text(c.parentRunId)} (hop {text(c.hop)})
          </Fact>
        )}
        {span.id !== shown && (
          <Fact name="run">
            <OpenRun runId={span.id} />
          </Fact>
        )}
      </dl>
      <h4>Input</h4>
      <div data-input>
        <Json value={c.input} />
      </div>
      <ErrorLine error={c.error} />
      {c.output !== undefined && <h4>Output{c.truncated === true ? ' (cut)' : ''}</h4>}
      <Json value={c.output} />
    </>
  );
}
