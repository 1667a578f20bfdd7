import type { EventOf } from '../../../../shared/events.js';
import { cut } from '../format.js';
import type {
  ApprovalRow,
  CircuitRow,
  DenialRow,
  DraftRow,
  EvalRow,
  GuardrailRow,
  HoldRow,
  LimitRow,
  Listing,
  ManifestChange,
  PromptChange,
  ReportModel,
} from '../model.js';
import type { ReportScope } from './scope.js';

/** Tool arguments and prompt texts are cut to this many characters in a section's rows. */
const TEXT_CHARS = 300;

/** Approval requests in the period with their decisions (read on to the checkpoint), and the drafts. */
export function approvalSections(scope: ReportScope): Pick<ReportModel, 'approvals' | 'drafts'> {
  const decisions = new Map<string, EventOf<'approval.decided'>>();
  for (const event of scope.read('approval.decided', true)) {
    decisions.set(event.payload.approvalId, event);
  }
  const tally = { approved: 0, rejected: 0, expired: 0, pending: 0 };
  const approvals = scope.list(
    scope.read('approval.requested'),
    (event): ApprovalRow => {
      const p = event.payload;
      const decided = decisions.get(p.approvalId);
      const d = decided ? decided.payload : null;
      return {
        ...scope.ref(event),
        approvalId: p.approvalId,
        tool: `${p.server}.${p.tool}`,
        amountUsd: p.amountUsd ?? null,
        rule: p.rule,
        reason: p.reason,
        args: cut(JSON.stringify(p.args), TEXT_CHARS),
        decision: d?.decision ?? null,
        decidedBy: d?.by ?? null,
        decisionReason: d?.reason ?? null,
        decidedAt: decided?.ts ?? null,
        msToDecision: decided ? Date.parse(decided.ts) - Date.parse(event.ts) : null,
      };
    },
    (event) => {
      const decided = decisions.get(event.payload.approvalId);
      tally[decided ? decided.payload.decision : 'pending'] += 1;
    },
  );
  const drafts = scope.list(scope.read('draft.recorded'), (event): DraftRow => {
    const p = event.payload;
    return {
      ...scope.ref(event),
      draftId: p.draftId,
      tool: `${p.server}.${p.tool}`,
      amountUsd: p.amountUsd ?? null,
      rule: p.rule,
      args: cut(JSON.stringify(p.args), TEXT_CHARS),
    };
  });
  return { approvals: { ...approvals, ...tally }, drafts };
}

/** Denials, guardrail trips, circuit breakers, cap hits, and holds on agents. */
export function controlSections(
  scope: ReportScope,
): Pick<ReportModel, 'denials' | 'guardrails' | 'circuits' | 'limits' | 'holds'> {
  const denials = scope.list(
    filter(scope.read('policy.decided'), (e) => e.payload.decision === 'deny'),
    (event): DenialRow => {
      const p = event.payload;
      return {
        ...scope.ref(event),
        callId: p.callId,
        tool: scope.toolOf(event.runId, p.callId),
        rule: p.rule,
        reason: p.reason,
      };
    },
  );
  const guardrails = scope.list(scope.read('guardrail.tripped'), (event): GuardrailRow => {
    const p = event.payload;
    return { ...scope.ref(event), guardrail: p.guardrail, detail: cut(p.detail, TEXT_CHARS), callId: p.callId ?? null };
  });
  const circuits = scope.list(scope.read('circuit.tripped'), (event): CircuitRow => {
    const p = event.payload;
    return { ...scope.ref(event), hop: p.hop, hopLimit: p.hopLimit, chain: p.chain };
  });
  const limits = scope.list(scope.read('sandbox.limit'), (event): LimitRow => {
    const p = event.payload;
    return { ...scope.ref(event), limit: p.limit, cpuMs: p.cpuMs, wallMs: p.wallMs };
  });
  const held = [...scope.read('agent.paused'), ...scope.read('agent.suspended'), ...scope.read('agent.resumed')];
  const kinds = { paused: 0, suspended: 0, resumed: 0 };
  const holds = scope.list(
    held.sort((a, b) => a.seq - b.seq),
    (event): HoldRow => {
      const p: { by?: string; reason?: string; evalRunId?: string } = event.payload;
      return {
        ...scope.ref(event),
        kind: event.type.slice('agent.'.length) as HoldRow['kind'],
        by: p.by ?? null,
        reason: p.reason ?? null,
        evalRunId: p.evalRunId ?? null,
      };
    },
    (event) => (kinds[event.type.slice('agent.'.length) as HoldRow['kind']] += 1),
  );
  return { denials, guardrails, circuits, limits, holds: { ...holds, ...kinds } };
}

/** The eval suite runs of the period, with the ids of their failing cases. */
export function evalSection(scope: ReportScope): ReportModel['evals'] {
  let below = 0;
  const runs = scope.list(
    scope.read('eval.run'),
    (event): EvalRow => {
      // v1 has no errored count, threshold or starter; v2 has them all.
      const p = event.payload;
      return {
        ...scope.ref(event),
        evalRunId: p.evalRunId,
        suite: p.suite,
        total: p.total,
        passed: p.passed,
        errored: p.errored ?? null,
        accuracy: p.accuracy,
        minAccuracy: p.minAccuracy ?? null,
        by: p.by ?? null,
        failing: scope.failingCases(event, p.evalRunId, p.total),
      };
    },
    (event) => {
      const p = event.payload;
      if (p.minAccuracy !== undefined && p.accuracy < p.minAccuracy) below += 1;
    },
  );
  return { ...runs, below };
}

/** Manifest files and prompts that changed in the period. */
export function changeSections(scope: ReportScope): {
  manifests: Listing<ManifestChange>;
  prompts: Listing<PromptChange>;
} {
  const manifests = scope.list(scope.read('manifest.changed'), (event): ManifestChange => {
    const p = event.payload;
    return { ...scope.ref(event), file: p.file, sha256: p.sha256 };
  });
  const prompts = scope.list(scope.read('prompt.changed'), (event): PromptChange => {
    const p = event.payload;
    return {
      ...scope.ref(event),
      version: p.version,
      sha256: p.sha256,
      by: p.by,
      reason: p.reason,
      text: cut(p.text, TEXT_CHARS),
    };
  });
  return { manifests, prompts };
}

function* filter<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}
