import { hostname } from 'node:os';
import { WardenError } from '../../shared/errors.js';
import type { ModelTextPiece } from '../../shared/api.js';
import type { JsonValue } from '../../shared/json.js';
import { agentModel, type AgentManifest } from '../../shared/roster.js';
import type { Approval } from '../gateway/approvals.js';
import {
  createRunContext,
  startedEvent,
  type EvalTag,
  type Origin,
  type RunContext,
  type RunEvent,
} from './context.js';
import type { RuntimeEnv } from './env.js';
import { newId } from '../ledger/ids.js';
import { resumeLoop } from './loop.js';
import { runToEnd, type RunResult } from './finish.js';
import { recoverInterrupted } from './recovery.js';
import { PausedAgents, waitWhilePaused, type Hold } from './pauses.js';
import { PromptStore } from '../prompts/store.js';
import { pricesWithDefaults } from '../models/prices.js';
import { parseModelRef } from '../models/provider.js';
import { SpendTracker, type DaySpend } from './spend.js';
import { callModel, type Steps } from './steps.js';
import { approvedCall, governedToolCall, type ToolCallEnv } from '../gateway/tool-call.js';
import { orphanedRun } from '../gateway/parked.js';
import type { GovernedRun } from '../gateway/run.js';
import { handoff, type HandoffEnv } from './handoff.js';
import { RunQueue } from './queue.js';

export type { RunResult } from './finish.js';

/** How a run is started. */
export interface StartOptions {
  /** Runs it as an eval case: writes are simulated, and a paused or suspended agent still runs it. */
  eval?: EvalTag;
}

const DEFAULT_CONCURRENCY = 8;

/**
 * Runs agents: each run's program in the sandbox (or the standard loop), every tool call
 * through the gateway, every step in the ledger. Holds the queue (8 runs in flight by
 * default), the paused agents and the kill switch. Handoff children run inside their
 * parent's slot, so a full queue of parents can never wait forever on their children.
 */
export class Runtime {
  private readonly clock: () => Date;
  private readonly spend: SpendTracker;
  private readonly toolEnv: ToolCallEnv;
  private readonly steps: Steps;
  private readonly running = new Map<string, RunContext>();
  private readonly results = new Map<string, Promise<RunResult>>();
  private readonly queue: RunQueue;
  private readonly paused: PausedAgents;
  /** Agents' system prompts, versioned in the ledger. */
  readonly prompts: PromptStore;
  private readonly textListeners = new Set<(piece: ModelTextPiece) => void>();
  private readonly owner = { host: hostname(), pid: process.pid };

  private constructor(private readonly env: RuntimeEnv) {
    this.clock = env.clock ?? (() => new Date());
    this.queue = new RunQueue(env.concurrency ?? DEFAULT_CONCURRENCY);
    this.spend = new SpendTracker(env.ledger, this.clock);
    this.prompts = new PromptStore(env.ledger);
    this.paused = new PausedAgents(
      env.ledger,
      env.roster.agents.map((a) => a.id),
    );
    this.toolEnv = {
      config: env.roster.config,
      mcp: env.mcp,
      approvals: env.approvals,
      content: { keep: (bytes) => env.ledger.blobs.put(bytes), holdsSecret: (text) => env.ledger.holdsSecret(text) },
      spend: this.spend,
      pollMs: env.pollMs ?? 200,
      clock: this.clock,
      waitWhilePaused: (run) => waitWhilePaused(run, this.paused, env.pollMs ?? 200),
      onBudgetSpent: (run, why) => this.budgetSpent(run, why),
    };
    const modelEnv = {
      model: env.model,
      defaultModel: agentModel({}, env.roster.config),
      // Well-known models' list prices under warden.yaml's own (warden.yaml wins).
      prices: pricesWithDefaults(env.roster.config),
      spend: this.spend,
      onBudgetSpent: (run: RunContext, why: string) => this.budgetSpent(run, why),
      onText: (run: RunContext, callId: string, text: string) => {
        for (const listener of this.textListeners) listener({ runId: run.runId, agentId: run.agent.id, callId, text });
      },
    };
    this.steps = {
      model: (run, messages, tools) => callModel(modelEnv, run, messages, tools),
      tool: (run, name, args, onApproval) => governedToolCall(this.toolEnv, run, name, args, onApproval),
      handoff: (run, to, request) => handoff(this.handoffEnv(), run, to, request),
    };
  }

  /**
   * Opens a runtime on a roster and a ledger. Runs left in flight by a process that died are
   * marked interrupted first, and their pending approvals expire: nothing disappears silently.
   */
  static async open(env: RuntimeEnv): Promise<Runtime> {
    const runtime = new Runtime(env);
    // The manifests' prompts enter the prompt store (a changed one as a new version).
    await runtime.prompts.adoptManifests(env.roster.agents);
    const recovery = await recoverInterrupted(env.ledger, env.approvals);
    // A parked run whose approval was decided while nobody ran it: carry it on now.
    for (const parked of recovery.parked) {
      if (parked.decided && runtime.canAdopt(parked.runId)) void runtime.adopt(parked.runId).catch(() => undefined);
    }
    return runtime;
  }

  /** The agents of the roster. */
  get agents(): AgentManifest[] {
    return this.env.roster.agents;
  }

  /** Starts a run; resolves with its id once `run.started` is in the ledger. */
  async start(agentId: string, input: JsonValue, options: StartOptions = {}): Promise<string> {
    const agent = this.agent(agentId);
    const hold = this.paused.hold(agent.id);
    if (hold && !options.eval)
      throw new WardenError('E_AGENT_PAUSED', `${agent.id} is ${hold}: it starts no new runs until it is resumed`);
    this.checkModelReady(agent);
    const run = await this.begin(agent, input, {
      hop: 0,
      chain: [agent.id],
      ...(options.eval ? { eval: options.eval } : {}),
    });
    this.results.set(
      run.runId,
      this.queue.run(() => this.execute(run)),
    );
    return run.runId;
  }

  /** Why an agent's model cannot be called yet (its provider's key not entered), or null. */
  modelProblem(agentId: string): string | null {
    const agent = this.agent(agentId);
    const { provider } = parseModelRef(agentModel(agent, this.env.roster.config));
    const why = this.env.model(provider).unavailable?.();
    return why ? `${agent.id} cannot run: model provider "${provider}": ${why}` : null;
  }

  /** Refuses a run whose model cannot be called yet, before it starts. */
  private checkModelReady(agent: AgentManifest): void {
    const problem = this.modelProblem(agent.id);
    if (problem) throw new WardenError('E_MODEL', problem);
  }

  /** Starts a run and waits for its end (approvals included). */
  async run(agentId: string, input: JsonValue, options: StartOptions = {}): Promise<RunResult> {
    return this.wait(await this.start(agentId, input, options));
  }

  /** Waits for a run started by this runtime. */
  wait(runId: string): Promise<RunResult> {
    const result = this.results.get(runId);
    if (!result) return Promise.reject(new WardenError('E_USAGE', `no run ${runId} in this process`));
    return result;
  }

  /** Stops a run (and the children it handed off to): it ends as cancelled. */
  stop(runId: string): void {
    for (const run of this.running.values()) {
      if (run.runId === runId || run.parentRunId === runId) run.abort.abort();
    }
  }

  /** Pauses an agent: it starts no new runs, and its runs wait before their next tool call. */
  async pause(agentId: string, by: string, reason?: string): Promise<void> {
    await this.paused.pause(this.agent(agentId).id, by, reason);
  }

  /** Resumes a paused agent; its waiting runs go on. */
  async resume(agentId: string, by: string, reason?: string): Promise<void> {
    await this.paused.resume(this.agent(agentId).id, by, reason);
  }

  /** The kill switch: pauses every agent at once. */
  async pauseAll(by: string, reason = 'kill switch'): Promise<void> {
    for (const agent of this.agents) await this.pause(agent.id, by, reason);
  }

  /** Agents with a run in flight in this process. */
  runningAgents(): Set<string> {
    return new Set([...this.running.values()].map((run) => run.agent.id));
  }

  /** What an agent's work has spent today (UTC, by the runtime's clock), in tokens and USD. */
  spentToday(agentId: string): DaySpend {
    return this.spend.today(agentId);
  }

  /** Whether an agent is paused or suspended (by this process or another). */
  isPaused(agentId: string): boolean {
    return this.paused.has(agentId);
  }

  /** How an agent is held (paused by a person or a budget, or suspended by its evals), or null. */
  hold(agentId: string): Hold | null {
    return this.paused.hold(agentId);
  }

  /** Suspends an agent that fell below its eval threshold, raising the alert. */
  async suspend(agentId: string, reason: string, evalRunId: string): Promise<void> {
    await this.paused.suspend(this.agent(agentId).id, reason, evalRunId);
  }

  /**
   * Lets go of every run without ending it, for a process that exits: nothing more is
   * written; a run parked on an approval stays parked for whoever decides, and any other is
   * marked interrupted when Warden next starts.
   */
  async detach(): Promise<void> {
    for (const run of this.running.values()) {
      run.detached = true;
      run.abort.abort();
    }
    await Promise.allSettled([...this.results.values()]);
  }

  /** Calls `listener` with every approval request this runtime makes, as it is made. */
  onApprovalRequested(listener: (approval: Approval) => void): void {
    this.toolEnv.onApprovalRequested = listener;
  }

  /** Whether a run is executing in this runtime now. */
  isRunning(runId: string): boolean {
    return this.running.has(runId);
  }

  /** Text models stream for work runs, as it arrives; returns a function that stops it. */
  onModelText(listener: (piece: ModelTextPiece) => void): () => void {
    this.textListeners.add(listener);
    return () => this.textListeners.delete(listener);
  }

  /** Waits for every run this runtime started. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.results.values()]);
  }

  private agent(agentId: string): AgentManifest {
    const agent = this.agents.find((a) => a.id === agentId);
    if (!agent)
      throw new WardenError(
        'E_AGENT_UNKNOWN',
        `no agent "${agentId}" in the roster (agents: ${this.agents.map((a) => a.id).join(', ')})`,
      );
    return agent;
  }

  private async begin(agent: AgentManifest, input: JsonValue, origin: Origin): Promise<RunContext> {
    const run = this.context(newId('run'), agent, input, origin);
    await run.record(this.started(run));
    return run;
  }

  /** The `run.started` event of a run. */
  private started(run: RunContext): RunEvent {
    return startedEvent(run, this.env.roster.dir, this.owner);
  }

  private context(runId: string, agent: AgentManifest, input: JsonValue, origin: Origin): RunContext {
    return createRunContext(this.env.ledger, { runId, agent, input, prompt: this.promptOf(agent), ...origin });
  }

  /** The prompt a run of this agent starts with: the store's current version. */
  private promptOf(agent: AgentManifest): RunContext['prompt'] {
    const current = this.prompts.current(agent.id);
    return current
      ? { text: current.text, version: current.version }
      : { text: agent.prompt || agent.role, version: null };
  }

  /** Runs a run to its end and records how it ended. Never rejects. */
  private async execute(run: RunContext, resume?: () => Promise<JsonValue>): Promise<RunResult> {
    this.running.set(run.runId, run);
    try {
      return await runToEnd(
        {
          sandbox: this.env.sandbox,
          mcp: this.env.mcp,
          steps: this.steps,
          program: this.env.roster.programs.get(run.agent.id),
        },
        run,
        resume,
      );
    } finally {
      this.running.delete(run.runId);
    }
  }

  /** Whether a run is parked in this roster, with its process gone: one this runtime may continue. */
  canAdopt(runId: string): boolean {
    const orphan = orphanedRun(this.env.ledger, runId);
    return (
      orphan !== null && !this.running.has(runId) && (orphan.roster ?? this.env.roster.dir) === this.env.roster.dir
    );
  }

  /**
   * Takes over a run parked on an approval by a process that is gone, and carries it to its
   * end: the approval's decision settles the waiting call, and the loop goes on from there.
   */
  adopt(runId: string): Promise<RunResult> {
    if (!this.canAdopt(runId))
      return Promise.reject(new WardenError('E_USAGE', `run ${runId} is not parked by a process that is gone`));
    const reader = this.env.ledger.reader;
    const started = reader.page({ runId, type: 'run.started', limit: 1 }).events[0]!;
    const parked = reader.page({ runId, type: 'run.parked', order: 'desc', limit: 1 }).events[0]!.payload;
    const payload = started.payload;
    const run = this.context(runId, this.agent(started.agentId!), payload.input, {
      hop: payload.hop,
      chain: payload.chain ?? [started.agentId!],
      ...(payload.parentRunId ? { parentRunId: payload.parentRunId } : {}),
    });
    const approval = this.env.approvals.get(parked.approvalId)!;
    run.tainted = reader.count({ runId, type: 'guardrail.tripped' }) > 0;
    const result = (async () => {
      await run.record({ type: 'run.adopted', payload: { owner: this.owner } });
      return this.queue.run(() =>
        this.execute(run, () =>
          resumeLoop(this.steps, this.env.mcp, run, parked, () => approvedCall(this.toolEnv, run, approval)),
        ),
      );
    })();
    this.results.set(runId, result);
    return result;
  }

  /** An agent used up its daily budget (on a model call or a tool call): paused, and a person alerted. */
  private async budgetSpent(run: GovernedRun, why: string): Promise<void> {
    await this.pause(run.agent.id, 'warden', why);
    await this.env.ledger.append({
      type: 'alert.raised',
      runId: run.runId,
      agentId: run.agent.id,
      payload: { kind: 'budget', message: why },
    });
  }

  /** What a handoff needs of this runtime. */
  private handoffEnv(): HandoffEnv {
    return {
      ledger: this.env.ledger,
      agent: (agentId) => this.agent(agentId),
      hold: (agentId) => this.paused.hold(agentId),
      checkModelReady: (agent) => this.checkModelReady(agent),
      waitWhilePaused: (run) => waitWhilePaused(run, this.paused, this.env.pollMs ?? 200),
      context: (runId, agent, input, origin) => this.context(runId, agent, input, origin),
      started: (run) => this.started(run),
      execute: (child) => {
        const result = this.execute(child);
        this.results.set(child.runId, result);
        return result;
      },
    };
  }
}
