import { useEffect, useState } from 'react';
import type { EventOf } from '../../../shared/events.js';
import type { WardenClient } from '../client.js';
import { byteSize } from '../format.js';

/** One part of a recorded tool result that held more than text. */
export type Part = NonNullable<EventOf<'tool.result'>['payload']['content']>[number];

/**
 * Image types the console draws. Others (SVG among them) are named, not drawn: a picture is
 * shown from a data: URL the page builds itself, never from a server's address.
 */
const DRAWN = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

/**
 * The parts of a tool result that held more than text: texts as text, images drawn (their bytes
 * fetched through the console API when the ledger keeps them by hash), audio and binary
 * resources by kind, size and type, links by their name and address as text, never followed.
 * `seq` is the `tool.result` event's, by which `tool.content` gives a part's bytes.
 */
export function ToolContent({ client, seq, parts }: { client: WardenClient; seq: number; parts: Part[] }) {
  return (
    <ul className="tool-content" aria-label="Tool result content">
      {parts.map((part, index) => (
        <li key={index} data-part={part.type}>
          <PartView client={client} seq={seq} index={index} part={part} />
        </li>
      ))}
    </ul>
  );
}

function PartView({ client, seq, index, part }: { client: WardenClient; seq: number; index: number; part: Part }) {
  switch (part.type) {
    case 'text':
      return <pre>{part.text}</pre>;
    case 'image':
      return (
        <figure>
          {DRAWN.has(part.mimeType) && !part.withheld && (
            <Picture client={client} seq={seq} index={index} part={part} />
          )}
          <figcaption className="muted">{describe(part)}</figcaption>
        </figure>
      );
    case 'audio':
      return <span className="muted">{describe(part)}</span>;
    case 'resource_link':
      return (
        <span>
          link: <strong>{part.title ?? part.name}</strong> <code>{part.uri}</code>
          {part.mimeType ? <span className="muted"> {part.mimeType}</span> : null}
          {part.description ? <span className="muted"> — {part.description}</span> : null}
        </span>
      );
    case 'resource':
      return (
        <div>
          <span className="muted">resource </span>
          <code>{part.uri}</code>
          {part.text !== undefined ? <pre>{part.text}</pre> : <span className="muted"> {describe(part)}</span>}
        </div>
      );
  }
}

function Picture({
  client,
  seq,
  index,
  part,
}: {
  client: WardenClient;
  seq: number;
  index: number;
  part: Extract<Part, { type: 'image' }>;
}) {
  const inline = part.data !== undefined ? `data:${part.mimeType};base64,${part.data}` : null;
  const [fetched, setFetched] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (inline) return;
    let current = true;
    void client.call('tool.content', { seq, index }).then(
      (bytes) => {
        if (current) setFetched(`data:${part.mimeType};base64,${bytes.data}`);
      },
      (error: Error) => {
        if (current) setProblem(error.message);
      },
    );
    return () => {
      current = false;
    };
  }, [client, seq, index, inline, part.mimeType]);
  if (problem) return <span className="notice error">{problem}</span>;
  const src = inline ?? fetched;
  return src ? <img src={src} alt={`image from the tool result, ${part.mimeType}`} /> : null;
}

/** "image, 3.9 KB, image/png", and why no copy was kept if none was. */
function describe(part: Part): string {
  if (part.type === 'text' || part.type === 'resource_link') return part.type;
  const kind = part.type === 'resource' ? 'binary resource' : part.type;
  const size = part.bytes !== undefined ? `, ${byteSize(part.bytes)}` : '';
  const type = part.mimeType ? `, ${part.mimeType}` : '';
  return `${kind}${size}${type}${part.withheld ? ` (not kept: ${part.withheld})` : ''}`;
}
