import { randomUUID } from 'node:crypto';
import { WardenError } from '../../shared/errors.js';
import { canonicalJson, type JsonValue } from '../../shared/json.js';
import type { EventPayload } from '../../shared/events.js';
import type { ApprovalEvents, Ledger } from '../ledger/index.js';
import { sha256Hex } from '../ledger/hash.js';

/** An approval request as the ledger holds it, with its decision if there is one. */
export interface Approval {
  approvalId: string;
  runId: string;
  agentId: string;
  seq: number;
  requestedAt: string;
  request: EventPayload<'approval.requested'>;
  decision: EventPayload<'approval.decided'> | null;
}

/** What a person decides. */
export interface ApprovalDecision {
  approvalId: string;
  decision: 'approved' | 'rejected';
  by: string;
  reason?: string;
}

/** How a rejected call is described, to its agent and on the run's end. */
export function rejectedWhy(by: string, reason: string | undefined): string {
  return `rejected by ${by}: ${reason ?? ''}`;
}

/** SHA-256 of the canonical JSON of a call's arguments: what a decision is bound to. */
export function argsHash(args: JsonValue): string {
  return sha256Hex(canonicalJson(args));
}

/**
 * The approval queue, as a projection of the ledger: a request is an `approval.requested`
 * event, a decision an `approval.decided` event bound to the request's argument hash. A
 * request is decided at most once, checked inside the write transaction, so the console and
 * the CLI deciding at the same moment cannot both win.
 */
export class ApprovalBook {
  constructor(
    private readonly ledger: Ledger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Records a request; the run then waits for {@link decisionOf} to answer. */
  async request(
    runId: string,
    agentId: string,
    call: Omit<EventPayload<'approval.requested'>, 'approvalId' | 'argsSha256' | 'expiresAt'>,
    expireAfterMinutes: number,
  ): Promise<Approval> {
    const approvalId = `apr-${randomUUID().slice(0, 8)}`;
    const payload: EventPayload<'approval.requested'> = {
      ...call,
      approvalId,
      argsSha256: argsHash(call.args),
      expiresAt: new Date(this.clock().getTime() + expireAfterMinutes * 60_000).toISOString(),
    };
    const event = await this.ledger.append({ type: 'approval.requested', runId, agentId, payload });
    return { approvalId, runId, agentId, seq: event.seq, requestedAt: event.ts, request: payload, decision: null };
  }

  /** A person's decision. Refused for an unknown, already decided or expired request, or a rejection without a reason. */
  async decide(input: ApprovalDecision): Promise<Approval> {
    if (input.decision === 'rejected' && !input.reason?.trim()) {
      throw new WardenError('E_USAGE', `rejecting ${input.approvalId} needs a reason`);
    }
    let found: Approval | null = null;
    await this.ledger.appendIf(() => {
      const approval = this.get(input.approvalId);
      if (!approval) throw new WardenError('E_APPROVAL', `no approval ${input.approvalId}`);
      if (approval.decision) {
        throw new WardenError(
          'E_APPROVAL',
          `approval ${input.approvalId} was already ${approval.decision.decision} by ${approval.decision.by}`,
        );
      }
      if (approval.request.expiresAt <= this.clock().toISOString()) {
        throw new WardenError('E_APPROVAL', `approval ${input.approvalId} expired at ${approval.request.expiresAt}`);
      }
      found = approval;
      return {
        type: 'approval.decided',
        runId: approval.runId,
        agentId: approval.agentId,
        payload: {
          approvalId: input.approvalId,
          decision: input.decision,
          argsSha256: approval.request.argsSha256,
          by: input.by,
          ...(input.reason ? { reason: input.reason } : {}),
        },
      };
    });
    return this.get((found as Approval | null)?.approvalId ?? input.approvalId)!;
  }

  /** Marks a request expired (by the runtime, when it times out or its run was interrupted). Once only. */
  async expire(approvalId: string, why: string): Promise<void> {
    await this.ledger
      .appendIf(() => {
        const approval = this.get(approvalId);
        if (!approval || approval.decision) throw new WardenError('E_APPROVAL', 'already decided');
        return {
          type: 'approval.decided',
          runId: approval.runId,
          agentId: approval.agentId,
          payload: {
            approvalId,
            decision: 'expired',
            argsSha256: approval.request.argsSha256,
            by: 'warden',
            reason: why,
          },
        };
      })
      .catch((error: unknown) => {
        if (!(error instanceof WardenError && error.code === 'E_APPROVAL')) throw error;
      });
  }

  /** One request and its decision (read by seq from the ledger's approval projection). */
  get(approvalId: string): Approval | null {
    const found = this.ledger.approvalFacts.find(approvalId);
    return found ? toApproval(found) : null;
  }

  /** The decision on a request, if one was made (by anyone, in any process). */
  decisionOf(approvalId: string): EventPayload<'approval.decided'> | null {
    return this.ledger.approvalFacts.find(approvalId)?.decision?.payload ?? null;
  }

  /** Requests still waiting for a person, oldest first. */
  pending(): Approval[] {
    return this.ledger.approvalFacts.pending().map(toApproval);
  }

  /** The latest decided requests, newest decision first. */
  decided(limit: number): Approval[] {
    return this.ledger.approvalFacts.decided(limit).map(toApproval);
  }
}

function toApproval({ request: event, decision }: ApprovalEvents): Approval {
  const request = event.payload;
  return {
    approvalId: request.approvalId,
    runId: event.runId!,
    agentId: event.agentId!,
    seq: event.seq,
    requestedAt: event.ts,
    request,
    decision: decision?.payload ?? null,
  };
}
