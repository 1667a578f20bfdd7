import type { SignedCheckpoint } from '../../../shared/audit.js';
import type { KpiGroup, Kpis, SpendLine } from '../../kpis/kpis.js';

/**
 * The typed content of a ledger report, built once (report-data.ts) and drawn twice (HTML and
 * PDF). Every string here may have come from an agent or a tool: renderers treat it as text.
 */

/** The version of the report's content; bumped when a section changes meaning. */
export const REPORT_FORMAT_VERSION = 1;

/** The rows of one section, in ledger order: the first `rows.length` of `total`. */
export interface Listing<T> {
  total: number;
  /** How many of them happened in eval runs (whose writes are simulated). */
  inEvalRuns: number;
  rows: T[];
}

/** Where an event sits: its seq, time, agent and run, and whether the run was an eval run. */
export interface EventRef {
  seq: number;
  ts: string;
  agentId: string | null;
  runId: string | null;
  /** The run was a case of an eval suite (its writes were simulated). */
  eval: boolean;
}

/** An approval request and, when one was recorded up to the checkpoint, its decision. */
export interface ApprovalRow extends EventRef {
  approvalId: string;
  tool: string;
  amountUsd: number | null;
  rule: string;
  reason: string;
  args: string;
  decision: 'approved' | 'rejected' | 'expired' | null;
  decidedBy: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
  msToDecision: number | null;
}

/** A draft the agent could only propose: a human had to execute it. */
export interface DraftRow extends EventRef {
  draftId: string;
  tool: string;
  amountUsd: number | null;
  rule: string;
  args: string;
}

/** A tool call the gateway denied. */
export interface DenialRow extends EventRef {
  callId: string;
  /** The tool asked for, from the run's `tool.requested`; null when not found. */
  tool: string | null;
  rule: string;
  reason: string;
}

/** A guardrail that tripped (an injection in a tool result, a bad argument). */
export interface GuardrailRow extends EventRef {
  guardrail: string;
  detail: string;
  callId: string | null;
}

/** A handoff chain stopped at its hop limit. */
export interface CircuitRow extends EventRef {
  hop: number;
  hopLimit: number;
  chain: string[];
}

/** A sandbox cap an agent program hit. */
export interface LimitRow extends EventRef {
  limit: string;
  cpuMs: number;
  wallMs: number;
}

/** An agent held (paused by a person, suspended by its eval suite) or let go again. */
export interface HoldRow extends EventRef {
  kind: 'paused' | 'suspended' | 'resumed';
  by: string | null;
  reason: string | null;
  evalRunId: string | null;
}

/** One run of an agent's eval suite. */
export interface EvalRow extends EventRef {
  evalRunId: string;
  suite: string;
  total: number;
  passed: number;
  errored: number | null;
  accuracy: number;
  minAccuracy: number | null;
  by: string | null;
  /** Ids of the cases that failed, as their `eval.case` events say. */
  failing: string[];
}

/** A manifest file that changed. */
export interface ManifestChange extends EventRef {
  file: string;
  sha256: string;
}

/** A new version of an agent's prompt. */
export interface PromptChange extends EventRef {
  version: number;
  sha256: string;
  by: string;
  reason: string;
  /** The prompt's text, cut to a readable length. */
  text: string;
}

/** A prompt version an agent's runs started with in the period. */
export interface PromptInForce {
  agentId: string;
  /** null: runs that name no version (the manifest's prompt as it stood). */
  version: number | null;
  runs: number;
  first: string;
  last: string;
}

/** An agent's manifest as the roster holds it now. */
export interface CurrentManifest {
  id: string;
  name: string | null;
  role: string;
  tier: string;
  unit: string | null;
  owner: string;
  autonomy: string;
  model: string;
  lifecycle: string;
  tools: { name: string; access: 'read' | 'write'; amountArg: string | null }[];
  budget: { usdPerDay: number | null; tokensPerDay: number | null };
  evalSuite: string | null;
  minAccuracy: number;
}

/** One agent in the report's scope. */
export interface AgentRow {
  agentId: string;
  name: string | null;
  tier: string | null;
  unit: string | null;
  workRuns: number;
  evalRuns: number;
  kpis: Kpis | null;
  spendUsd: number;
  budgetUsd: number | null;
}

/** Runs of one status. */
export interface StatusCount {
  status: string;
  runs: number;
}

/** One event in the appendix. */
export interface AppendixRow {
  seq: number;
  ts: string;
  runId: string | null;
  agentId: string | null;
  type: string;
  v: number;
  /** The payload's JSON, cut to a readable length. */
  payload: string;
  /** The payload's JSON had more characters than shown. */
  cut: boolean;
  hash: string;
}

/** A JSONL export written beside the report, which holds the period's events. */
export interface AppendixExport {
  /** Its file name, in the report's folder. */
  file: string;
  agentId: string | null;
  count: number;
  chainHead: { seq: number; hash: string } | null;
  /** SHA-256 of the file as written: the report names exactly that file. */
  sha256: string;
  bytes: number;
}

/** The appendix: the events themselves, or JSONL exports that hold them. */
export type Appendix =
  | { kind: 'inline'; rows: AppendixRow[] }
  | { kind: 'exports'; count: number; limit: number; exports: AppendixExport[] };

/** A ledger report. */
export interface ReportModel {
  formatVersion: typeof REPORT_FORMAT_VERSION;
  organisation: string;
  generatedAt: string;
  wardenVersion: string;
  /** `from` inclusive, `to` exclusive; open ends are the ledger's first event and the generation time. */
  period: { from: string; to: string; days: number; openStart: boolean; openEnd: boolean };
  filters: { agentId: string | null; unit: string | null };
  /** The agents the filters let in; null when every agent is in. */
  scopeAgents: string[] | null;
  checkpoint: SignedCheckpoint;
  /** Where the key that signed the checkpoint lives: sealed by an OS keychain, or beside the data. */
  signingKey: { sealed: boolean; description: string } | null;
  /** Events in scope, up to the checkpoint's size. */
  eventCount: number;
  runs: { work: StatusCount[]; eval: StatusCount[]; workTotal: number; evalTotal: number };
  kpis: Kpis;
  spend: { agents: SpendLine[]; units: SpendLine[] };
  agents: AgentRow[];
  kpisByAgent: KpiGroup[];
  manifests: { changes: Listing<ManifestChange>; current: CurrentManifest[] | null };
  prompts: {
    changes: Listing<PromptChange>;
    atStart: { agentId: string; version: number; since: string }[];
    inForce: PromptInForce[];
  };
  approvals: Listing<ApprovalRow> & { approved: number; rejected: number; expired: number; pending: number };
  drafts: Listing<DraftRow>;
  denials: Listing<DenialRow>;
  guardrails: Listing<GuardrailRow>;
  circuits: Listing<CircuitRow>;
  limits: Listing<LimitRow>;
  holds: Listing<HoldRow> & { suspended: number; paused: number; resumed: number };
  /** `below`: suite runs under the agent's minimum accuracy. */
  evals: Listing<EvalRow> & { below: number };
  appendix: Appendix;
}
