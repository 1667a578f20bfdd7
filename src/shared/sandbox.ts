import { z } from 'zod';
import { ErrorDataSchema } from './errors.js';
import { JsonValueSchema } from './json.js';

/** The caps of one sandboxed run. */
export const SandboxCapsSchema = z.strictObject({
  /** Isolate heap, MB (isolated-vm's minimum is 8). */
  memoryMb: z.number().int().min(8).max(16_384),
  /** CPU time of the agent's own code, ms; time waiting for host calls does not count. */
  cpuMs: z.number().int().min(1).max(3_600_000),
  /** The whole run, ms. */
  wallMs: z.number().int().min(1).max(86_400_000),
});
/** The caps of one sandboxed run. */
export type SandboxCaps = z.infer<typeof SandboxCapsSchema>;

/** Caps a run gets when nothing says otherwise. */
export const DEFAULT_CAPS: SandboxCaps = { memoryMb: 64, cpuMs: 1_000, wallMs: 60_000 };

const MiB = 1024 * 1024;

/**
 * How much may leave an isolate, in characters of JSON. Sizes are measured inside the isolate
 * before anything is flattened or copied, so a string that is cheap to build there
 * ('x'.repeat(5e8), or one string referenced many times) is refused while it is still cheap.
 * A result or host call over its limit is refused with E_SANDBOX_TOO_LARGE; a log line or a
 * thrown error's message is cut with a note.
 */
export const SANDBOX_OUTPUT_LIMITS = {
  /** A program's result. */
  result: 8 * MiB,
  /** The arguments of one host call (warden.model, tool, handoff, memory.*). */
  hostCall: 8 * MiB,
  /** Everything one run keeps in warden.memory at once, keys and values. */
  memory: 16 * MiB,
  /** One log line. */
  logLine: 8_192,
  /** A thrown error's name and message. */
  errorMessage: 8_192,
} as const;

/**
 * A worker's resident-memory ceiling, behind every isolate's cap, when the pool names none:
 * this much for the worker itself, plus {@link WORKER_CEILING_PER_CAP} times the memory caps
 * of the runs it holds (isolated-vm's own cap can be overshot by two to three times).
 */
export const WORKER_CEILING_BASE_MB = 256;
/** How many times its runs' memory caps a worker may hold on top of its base. */
export const WORKER_CEILING_PER_CAP = 3;

/** Which cap ended a run. */
export const LimitSchema = z.enum(['memory', 'cpu', 'wall']);

/** The host functions an agent program can call through `warden`. */
export const HostFunctionSchema = z.enum(['model', 'tool', 'handoff', 'memory.get', 'memory.set', 'memory.delete']);
/** A host function name. */
export type HostFunction = z.infer<typeof HostFunctionSchema>;

/** How a sandboxed run ended. */
export const RunOutcomeSchema = z.strictObject({
  status: z.enum(['ok', 'error', 'limit', 'cancelled']),
  result: JsonValueSchema.optional(),
  error: ErrorDataSchema.optional(),
  limit: LimitSchema.optional(),
  cpuMs: z.number().nonnegative(),
  wallMs: z.number().nonnegative(),
});
/** How a sandboxed run ended. */
export type RunOutcome = z.infer<typeof RunOutcomeSchema>;

/** A log line an agent wrote with `warden.log`. */
export const LogLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);

/** Messages from the host to a sandbox worker process. */
export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('run'),
    runId: z.string(),
    source: z.string(),
    filename: z.string(),
    input: JsonValueSchema,
    caps: SandboxCapsSchema,
    /** The worker's resident-memory ceiling, MB, when the pool sets one; else it follows its runs' caps. */
    workerMemoryMb: z.number().int().positive().optional(),
  }),
  z.strictObject({ type: z.literal('cancel'), runId: z.string() }),
  z.strictObject({
    type: z.literal('host-result'),
    runId: z.string(),
    callId: z.number().int(),
    ok: z.boolean(),
    value: JsonValueSchema.optional(),
    error: ErrorDataSchema.optional(),
  }),
]);
/** A message to a sandbox worker. */
export type ToWorker = z.infer<typeof ToWorkerSchema>;

/** Messages from a sandbox worker process to the host. */
export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({
    type: z.literal('host-call'),
    runId: z.string(),
    callId: z.number().int(),
    fn: HostFunctionSchema,
    args: z.array(JsonValueSchema),
  }),
  z.strictObject({
    type: z.literal('log'),
    runId: z.string(),
    level: LogLevelSchema,
    message: z.string(),
  }),
  z.strictObject({ type: z.literal('done'), runId: z.string(), outcome: RunOutcomeSchema }),
  /** The worker's resident memory went over its ceiling: the host kills and replaces it. */
  z.strictObject({
    type: z.literal('over-ceiling'),
    rssMb: z.number().nonnegative(),
    ceilingMb: z.number().positive(),
  }),
]);
/** A message from a sandbox worker. */
export type FromWorker = z.infer<typeof FromWorkerSchema>;
