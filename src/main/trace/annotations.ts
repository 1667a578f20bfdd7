import type { AnyEvent } from '../../shared/events.js';
import type { Annotation, TraceSpan } from '../../shared/trace.js';

/**
 * A run's event that is not a span, as an annotation on the span it concerns: what the agent
 * logged and what tripped are shown; the runtime's bookkeeping (a run parked for another
 * process to continue, adopted by one) is marked internal. Null for an event that is a span.
 */
export function annotationOf(event: AnyEvent): Omit<Annotation, 'seq' | 'ts'> | null {
  const shown = (text: string) => ({ type: event.type, internal: false, text });
  const internal = (text: string) => ({ type: event.type, internal: true, text });
  switch (event.type) {
    case 'run.log':
      return shown(`${event.payload.level}: ${event.payload.message}`);
    case 'guardrail.tripped':
      return shown(`guardrail ${event.payload.guardrail} tripped: ${event.payload.detail}`);
    case 'circuit.tripped':
      return shown(
        `circuit tripped at hop ${event.payload.hop} of ${event.payload.hopLimit}: ${event.payload.chain.join(' → ')}`,
      );
    case 'sandbox.limit':
      return shown(
        `${event.payload.limit} cap hit after ${event.payload.cpuMs} ms of CPU, ${event.payload.wallMs} ms of wall time`,
      );
    case 'alert.raised':
      return shown(`alert (${event.payload.kind}): ${event.payload.message}`);
    case 'mcp.failed':
      return shown(
        `MCP server ${event.payload.server} failed (${event.payload.phase}): ${event.payload.error.message}`,
      );
    case 'run.parked':
      return internal(`parked waiting for approval ${event.payload.approvalId} (step ${event.payload.step})`);
    case 'run.adopted':
      return internal(`adopted by ${event.payload.owner.host} pid ${event.payload.owner.pid}`);
    default:
      return internal(event.type);
  }
}

/** The span and its parts without the runtime's bookkeeping annotations, as a reader sees them by default. */
export function withoutInternal(span: TraceSpan): TraceSpan {
  return {
    ...span,
    annotations: span.annotations.filter((note) => !note.internal),
    children: span.children.map(withoutInternal),
  };
}
