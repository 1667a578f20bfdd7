import type { JsonValue } from '../../../shared/json.js';
import { usd } from '../../../shared/money.js';
import { spanDuration } from '../format.js';
import { ErrorLine, Fact, Json, list, text } from './SpanParts.js';
import { isRemoved, record, removedText } from './trace-rows.js';

/** The tool calls a model asked for: each by name, with its arguments. */
function ToolCalls({ calls }: { calls: JsonValue | undefined }) {
  const all = list(calls);
  if (all.length === 0) return null;
  return (
    <ul className="tool-calls">
      {all.map((call, i) => {
        const c = record(call) ?? {};
        return (
          <li key={i} data-tool-call={text(c.name)}>
            calls <code>{text(c.name)}</code> <span className="muted">{text(c.id)}</span>
            <Json value={c.arguments} />
          </li>
        );
      })}
    </ul>
  );
}

/** One message of the prompt: its role, its text, the tool calls an assistant made, what a tool answered. */
function Message({ message }: { message: JsonValue }) {
  if (isRemoved(message))
    return (
      <li className="message removed-message" data-role="removed">
        <p className="removed">{removedText(message)}</p>
      </li>
    );
  const m = record(message) ?? {};
  const role = text(m.role);
  return (
    <li className={`message role-${role}`} data-role={role}>
      <span className="message-head">
        <span className="role">{role}</span>
        {role === 'tool' && (
          <>
            {' '}
            <code>{text(m.name)}</code> <span className="muted">answers {text(m.toolCallId)}</span>
          </>
        )}
      </span>
      {text(m.content) !== '' && <pre>{text(m.content)}</pre>}
      <ToolCalls calls={m.toolCalls} />
    </li>
  );
}

/** What a model may have thought before it answered: text, or the provider's blocks as they came. */
function Reasoning({ value }: { value: JsonValue | undefined }) {
  if (value === undefined || value === null || value === '') return null;
  return (
    <div className="reasoning" data-reasoning>
      <h4>Reasoning</h4>
      <Json value={value} />
    </div>
  );
}

/**
 * A model call: its provider, tokens, cost and time, then the prompt it was sent (its messages
 * in order with their roles; the tools offered, folded) and its reply (reasoning, text, tool
 * calls). Any of these retention removed says so in its place. A call recorded before the
 * ledger kept prompts and replies says that instead.
 */
export function ModelContent({ content: c }: { content: Record<string, JsonValue> }) {
  const request = c.request;
  const reply = c.reply;
  const req = record(request);
  const rep = record(reply);
  const tools = req?.tools;
  return (
    <>
      <dl className="facts">
        <Fact name="model">
          <code>
            {text(c.provider)}:{text(c.model)}
          </code>
        </Fact>
        {typeof c.inputTokens === 'number' && (
          <>
            <Fact name="tokens">
              <span data-tokens>
                {c.inputTokens} in, {text(c.outputTokens)} out
              </span>
            </Fact>
            <Fact name="cost">{typeof c.costUsd === 'number' ? usd(c.costUsd) : '—'}</Fact>
          </>
        )}
        <Fact name="latency">{spanDuration(Number(c.latencyMs ?? 0))}</Fact>
      </dl>
      <ErrorLine error={c.error} />
      {request === undefined && reply === undefined && !c.error && (
        <p className="muted">This call was recorded before the ledger kept prompts and replies.</p>
      )}
      {request !== undefined && (
        <div className="prompt" data-request>
          <h4>Prompt</h4>
          {isRemoved(request) ? (
            <p className="removed">{removedText(request)}</p>
          ) : (
            <>
              <ol className="messages">
                {list(req?.messages).map((m, i) => (
                  <Message key={i} message={m} />
                ))}
              </ol>
              {isRemoved(tools) ? (
                <p className="removed">tools offered: {removedText(tools)}</p>
              ) : (
                list(tools).length > 0 && (
                  <details className="tools-offered">
                    <summary>{list(tools).length} tools offered</summary>
                    <ul>
                      {list(tools).map((t, i) => {
                        const tool = record(t) ?? {};
                        return (
                          <li key={i}>
                            <code>{text(tool.name)}</code> <span className="muted">{text(tool.description)}</span>
                            <Json value={tool.inputSchema} />
                          </li>
                        );
                      })}
                    </ul>
                  </details>
                )
              )}
            </>
          )}
        </div>
      )}
      {reply !== undefined && (
        <div className="reply" data-reply>
          <h4>Reply</h4>
          {isRemoved(reply) ? (
            <p className="removed">{removedText(reply)}</p>
          ) : (
            <>
              <Reasoning value={rep?.reasoning} />
              {text(rep?.text) !== '' && <pre data-reply-text>{text(rep?.text)}</pre>}
              <ToolCalls calls={rep?.toolCalls} />
            </>
          )}
        </div>
      )}
    </>
  );
}
