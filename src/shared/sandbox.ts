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
]);
/** A message from a sandbox worker. */
export type FromWorker = z.infer<typeof FromWorkerSchema>;
