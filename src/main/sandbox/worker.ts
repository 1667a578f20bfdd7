/**
 * The sandbox worker process: hosts isolates for the runs the host sends it, enforces their
 * CPU caps, and relays their host calls. It is a separate process so that an isolate that
 * crashes V8 takes down this worker, never the console; the host restarts it.
 */
import { SANDBOX_OUTPUT_LIMITS, ToWorkerSchema, type FromWorker, type SandboxCaps } from '../../shared/sandbox.js';
import type { JsonValue } from '../../shared/json.js';
import { hostPort } from './host-port.js';
import { ceilingWatch, workerCeilingMb } from './ceiling.js';
import { IsolateRun } from './isolate-run.js';

/** How often the CPU caps of running isolates are checked. */
const CPU_CHECK_MS = 5;
/** How often this worker's resident memory is checked against its ceiling. */
const CEILING_CHECK_MS = 20;
/** Log lines kept per run, and the length of one; past them the run's log is cut with a note. */
const MAX_LOG_LINES = 1_000;
const MAX_LOG_CHARS = SANDBOX_OUTPUT_LIMITS.logLine;

/** A run in this worker: its isolate, its memory cap, and its host calls waiting for an answer. */
interface Active {
  run: IsolateRun;
  memoryMb: number;
  calls: Map<number, (text: string) => void>;
}

const active = new Map<string, Active>();
const host = hostPort();
/** The ceiling the pool set, if it set one (it comes with every run). */
let fixedCeilingMb: number | undefined;

function send(message: FromWorker): void {
  // Typed here and parsed by the host, which trusts nothing from a worker.
  host.send(message);
}

function start(runId: string, source: string, filename: string, input: JsonValue, caps: SandboxCaps): void {
  const calls = new Map<number, (text: string) => void>();
  let nextCallId = 0;
  let logLines = 0;
  const run = new IsolateRun({ source, filename }, input, caps, {
    hostCall(fn, args) {
      const callId = nextCallId++;
      return new Promise<string>((resolve) => {
        calls.set(callId, resolve);
        send({ type: 'host-call', runId, callId, fn, args });
      });
    },
    log(level, message) {
      logLines += 1;
      if (logLines > MAX_LOG_LINES) {
        if (logLines === MAX_LOG_LINES + 1) {
          send({ type: 'log', runId, level: 'warn', message: `log cut: more than ${MAX_LOG_LINES} lines` });
        }
        return;
      }
      const text = message.length > MAX_LOG_CHARS ? `${message.slice(0, MAX_LOG_CHARS)}… (cut)` : message;
      send({ type: 'log', runId, level, message: text });
    },
  });
  active.set(runId, { run, memoryMb: caps.memoryMb, calls });
  void run.execute().then((outcome) => {
    active.delete(runId);
    send({ type: 'done', runId, outcome });
  });
}

host.onMessage((raw) => {
  const parsed = ToWorkerSchema.safeParse(raw);
  if (!parsed.success) return; // The host speaks the schema; anything else is not from it.
  const message = parsed.data;
  switch (message.type) {
    case 'run':
      fixedCeilingMb = message.workerMemoryMb;
      start(message.runId, message.source, message.filename, message.input, message.caps);
      break;
    case 'cancel':
      active.get(message.runId)?.run.cancel();
      break;
    case 'host-result': {
      const entry = active.get(message.runId);
      const resolve = entry?.calls.get(message.callId);
      if (!entry || !resolve) return;
      entry.calls.delete(message.callId);
      resolve(
        JSON.stringify(
          message.ok
            ? { ok: true, value: message.value ?? null }
            : { ok: false, ...(message.error ?? { code: 'E_SANDBOX_HOST', message: 'host call failed' }) },
        ),
      );
      break;
    }
  }
});

// The host is gone: nothing is left to report to.
host.onClose(() => process.exit(0));

setInterval(() => {
  for (const entry of active.values()) entry.run.checkCpu();
}, CPU_CHECK_MS);

// Behind every isolate's cap: memory the caps cannot count (or a bug in isolated-vm) still
// shows in this process's resident set. Over the ceiling, the host kills and replaces it.
const overCeiling = ceilingWatch();
setInterval(() => {
  if (active.size === 0) return;
  const over = overCeiling(
    workerCeilingMb(
      [...active.values()].map((entry) => entry.memoryMb),
      fixedCeilingMb,
    ),
  );
  if (over) send({ type: 'over-ceiling', ...over });
}, CEILING_CHECK_MS);

send({ type: 'ready' });
