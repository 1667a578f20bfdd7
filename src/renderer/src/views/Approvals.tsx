import { useEffect, useState } from 'react';
import type { ApprovalView } from '../../../shared/api.js';
import { usd } from '../../../shared/money.js';
import type { WardenClient } from '../client.js';
import { useStore } from '../store.js';
import { useNow, useTrace } from './use-trace.js';
import { Waterfall } from './Waterfall.js';

/** Whether a key press was typed into a field (where letters are text, not commands). */
function typing(e: KeyboardEvent): boolean {
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes((e.target as HTMLElement).tagName);
}

/**
 * The approval queue: what each agent asks, the rule that asked, the run so far as a small
 * trace, and a decision. j and k move between cards, a approves, r goes to the reason (Enter
 * there rejects with it). Approving more than warden.yaml's `approvals.confirmAboveUsd` takes a
 * second a (or Enter); Escape takes it back.
 */
export function Approvals({ client, refresh }: { client: WardenClient; refresh: () => void }) {
  const approvals = useStore((s) => s.approvals);
  const notify = useStore((s) => s.notify);
  const [focused, setFocused] = useState(0);
  // The approval whose approve waits for its second keypress.
  const [armed, setArmed] = useState<string | null>(null);
  // Until the setting comes, every approval with an amount asks to be confirmed.
  const [confirmAboveUsd, setConfirmAboveUsd] = useState(0);
  const current = approvals[Math.min(focused, approvals.length - 1)];

  useEffect(() => {
    client.call('approvals.settings', {}).then(
      (s) => setConfirmAboveUsd(s.confirmAboveUsd),
      () => undefined,
    );
  }, [client]);

  const decide = async (a: ApprovalView, decision: 'approved' | 'rejected', reason = '') => {
    setArmed(null);
    try {
      await client.call('approvals.decide', { approvalId: a.approvalId, decision, ...(reason ? { reason } : {}) });
      notify('ok', `${a.approvalId} ${decision}`);
    } catch (error) {
      notify('error', (error as Error).message);
    }
    refresh();
  };
  // An approve: at once, or (above the amount) the first time only arms the confirmation.
  const approve = (a: ApprovalView) => {
    const large = a.amountUsd !== null && a.amountUsd > confirmAboveUsd;
    if (large && armed !== a.approvalId) setArmed(a.approvalId);
    else void decide(a, 'approved');
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
      const move = (by: number) => {
        setArmed(null);
        setFocused((f) => Math.max(0, Math.min(f + by, approvals.length - 1)));
      };
      if (e.key === 'j') move(1);
      else if (e.key === 'k') move(-1);
      else if (e.key === 'Escape') setArmed(null);
      else if (!current) return;
      else if (e.key === 'a') approve(current);
      else if (e.key === 'Enter' && armed === current.approvalId) {
        // Enter on a focused button would click it as well: the confirmation is taken once.
        e.preventDefault();
        approve(current);
      } else if (e.key === 'r') {
        // Focus moves before the key would be typed: the reason does not start with an "r".
        e.preventDefault();
        document.getElementById(`reason-${current.approvalId}`)?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <section>
      <header className="bar">
        <h2>Approvals</h2>
        <span className="muted">
          j/k to move, a to approve (twice above {usd(confirmAboveUsd)}), r to give a reason and Enter to reject
        </span>
      </header>
      {approvals.length === 0 && <p className="empty">Nothing is waiting for a decision.</p>}
      {approvals.map((a, i) => (
        <ApprovalCard
          key={a.approvalId}
          approval={a}
          focused={a === current}
          armed={armed === a.approvalId}
          onFocus={() => setFocused(i)}
          onApprove={() => {
            setFocused(i);
            approve(a);
          }}
          onReject={(reason) => void decide(a, 'rejected', reason)}
          client={client}
        />
      ))}
    </section>
  );
}

function ApprovalCard(props: {
  approval: ApprovalView;
  focused: boolean;
  armed: boolean;
  onFocus: () => void;
  onApprove: () => void;
  onReject: (reason: string) => void;
  client: WardenClient;
}) {
  const { approval: a, armed } = props;
  const [reason, setReason] = useState('');
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
      <RunSoFar client={props.client} runId={a.runId} />
      {armed && (
        <p className="confirm-hint" role="alert">
          Approve {usd(a.amountUsd)}? Press a or Enter again to approve, Escape to cancel.
        </p>
      )}
      <div className="actions">
        <button
          id={`approve-${a.approvalId}`}
          type="button"
          className={armed ? 'primary confirm' : 'primary'}
          onClick={props.onApprove}
        >
          {armed ? `Confirm ${usd(a.amountUsd)}` : 'Approve'}
        </button>
        <form
          className="reject"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) props.onReject(reason);
          }}
        >
          <input
            id={`reason-${a.approvalId}`}
            aria-label="Reason to reject"
            placeholder="Reason to reject (required)"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit" disabled={!reason.trim()}>
            Reject
          </button>
        </form>
      </div>
    </article>
  );
}

/** What the run did before it asked, as a small trace that follows it while it waits. */
function RunSoFar({ client, runId }: { client: WardenClient; runId: string }) {
  const { trace, problem } = useTrace(client, runId, false);
  const now = useNow(trace !== null && trace.root.end === null, 1000);
  if (problem) return <p className="notice error">{problem}</p>;
  if (!trace) return <p className="muted">Loading the run so far…</p>;
  return <Waterfall trace={trace} now={now} compact />;
}
