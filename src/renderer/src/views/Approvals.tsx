import { useEffect, useState } from 'react';
import type { ApprovalView } from '../../../shared/api.js';
import type { WardenClient } from '../client.js';
import { usd } from '../../../shared/money.js';
import { clock, summary } from '../format.js';
import type { LedgerEvent } from '../../../shared/events.js';
import { useStore } from '../store.js';

/** The approval queue: what each agent asks, the rule that asked, and a decision (A approves, R rejects). */
export function Approvals({ client, refresh }: { client: WardenClient; refresh: () => void }) {
  const approvals = useStore((s) => s.approvals);
  const [focused, setFocused] = useState(0);
  const current = approvals[Math.min(focused, approvals.length - 1)];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).tagName === 'INPUT' || (e.target as HTMLElement).tagName === 'TEXTAREA') return;
      if (e.key === 'j') setFocused((f) => Math.min(f + 1, approvals.length - 1));
      if (e.key === 'k') setFocused((f) => Math.max(f - 1, 0));
      if (e.key === 'a' && current) document.getElementById(`approve-${current.approvalId}`)?.click();
      if (e.key === 'r' && current) document.getElementById(`reason-${current.approvalId}`)?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [approvals, current]);

  return (
    <section>
      <header className="bar">
        <h2>Approvals</h2>
        <span className="muted">j/k to move, a to approve, r to reject with a reason</span>
      </header>
      {approvals.length === 0 && <p className="empty">Nothing is waiting for a decision.</p>}
      {approvals.map((a, i) => (
        <ApprovalCard
          key={a.approvalId}
          approval={a}
          focused={a === current}
          onFocus={() => setFocused(i)}
          client={client}
          refresh={refresh}
        />
      ))}
    </section>
  );
}

function ApprovalCard(props: {
  approval: ApprovalView;
  focused: boolean;
  onFocus: () => void;
  client: WardenClient;
  refresh: () => void;
}) {
  const { approval: a, client, refresh } = props;
  const notify = useStore((s) => s.notify);
  const [reason, setReason] = useState('');
  const decide = async (decision: 'approved' | 'rejected') => {
    try {
      await client.call('approvals.decide', { approvalId: a.approvalId, decision, ...(reason ? { reason } : {}) });
      notify('ok', `${a.approvalId} ${decision}`);
    } catch (error) {
      notify('error', (error as Error).message);
    }
    refresh();
  };
  return (
    <article className={`card${props.focused ? ' focused' : ''}`} onClick={props.onFocus} data-approval={a.approvalId}>
      <div className="card-head">
        <strong>{a.tool}</strong>
        <span className="amount">{usd(a.amountUsd)}</span>
      </div>
      <div className="muted">
        {a.agentId} · run {a.runId} · asked by rule <code>{a.rule}</code> · expires{' '}
        {a.expiresAt.slice(0, 16).replace('T', ' ')}
      </div>
      <p>{a.reason}</p>
      <pre>{JSON.stringify(a.args, null, 2)}</pre>
      <RunContext client={client} runId={a.runId} />
      <div className="actions">
        <button id={`approve-${a.approvalId}`} className="primary" onClick={() => void decide('approved')}>
          Approve
        </button>
        <input
          id={`reason-${a.approvalId}`}
          placeholder="Reason to reject (required)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button disabled={!reason.trim()} onClick={() => void decide('rejected')}>
          Reject
        </button>
      </div>
    </article>
  );
}

/** What the run did before it asked: its trajectory so far, fetched when opened. */
function RunContext({ client, runId }: { client: WardenClient; runId: string }) {
  const [steps, setSteps] = useState<LedgerEvent[] | null>(null);
  return (
    <details
      className="context"
      onToggle={(e) => {
        if ((e.target as HTMLDetailsElement).open && !steps)
          void client.call('run.trajectory', { runId }).then(setSteps);
      }}
    >
      <summary>The run so far</summary>
      <ol>
        {(steps ?? []).map((step) => (
          <li key={step.seq}>
            <span className="muted">{clock(step.ts)}</span> <code>{step.type}</code> {summary(step)}
          </li>
        ))}
      </ol>
    </details>
  );
}
