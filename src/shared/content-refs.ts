import { z } from 'zod';
import type { AnyEvent } from './events.js';
import type { ContentRef } from './event-fields.js';
import { ToolCallSchema } from './models.js';

/**
 * Content the ledger keeps by hash (see `contentRef` in event-fields.ts): which events refer to
 * which bodies, and the shape of the bodies a model call refers to. A body is the canonical
 * JSON of a message (ChatMessage), of the tools offered (ToolDefinition[]), of a reply
 * ({@link ModelReplyBodySchema}) or of a tool's whole result (any JSON).
 */

/** A tool result whose JSON is longer than this is kept by reference (tool.result v4 `resultRef`), whole. */
export const INLINE_RESULT_CHARS = 4 * 1024;

/** What a model answered, as a model call's `reply` refers to it. */
export const ModelReplyBodySchema = z.strictObject({
  text: z.string().nullable(),
  toolCalls: z.array(ToolCallSchema),
  /** Reasoning or thinking the provider returned with the answer, in order. */
  reasoning: z.string().optional(),
});
/** What a model answered. */
export type ModelReplyBody = z.infer<typeof ModelReplyBodySchema>;

/** Every piece of content an event refers to, in the order it names them (repeats kept). */
export function contentRefsOf(event: AnyEvent): ContentRef[] {
  switch (event.type) {
    case 'model.called':
      return [...requestRefs(event.payload.request), ...(event.payload.reply ? [event.payload.reply] : [])];
    case 'model.failed':
      return requestRefs(event.payload.request);
    case 'tool.result':
      return event.payload.resultRef ? [event.payload.resultRef] : [];
    default:
      return [];
  }
}

function requestRefs(request: { messages: ContentRef[]; tools?: ContentRef } | undefined): ContentRef[] {
  if (!request) return [];
  return request.tools ? [...request.messages, request.tools] : request.messages;
}
