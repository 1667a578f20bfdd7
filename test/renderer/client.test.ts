import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Push } from '../../src/shared/api.js';
import { desktopClient } from '../../src/renderer/src/client.js';

// The desktop client over a bridge shaped like the preload's: what the main process sends on
// warden:push arrives unread, and the client reads it before the console sees it.
function bridged() {
  let relay: (push: unknown) => void = () => undefined;
  const client = desktopClient({
    onPush(listener) {
      relay = listener;
      return () => undefined;
    },
    exportLedger: async () => ({ ok: true, value: null }),
  });
  return { client, send: (push: unknown) => relay(push) };
}

afterEach(() => vi.restoreAllMocks());

describe('the console client reading pushes', () => {
  it('hands on text and event pushes as they came', () => {
    const { client, send } = bridged();
    const seen: Push[] = [];
    client.onPush((push) => seen.push(push));
    const text: Push = { type: 'text', pieces: [{ runId: 'run-1', agentId: 'intake', callId: 'c-1', text: 'Hi' }] };
    send(text);
    send({ type: 'events', events: [] });
    expect(seen).toEqual([text, { type: 'events', events: [] }]);
  });

  it('drops a malformed push with a warning, and goes on with the next', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { client, send } = bridged();
    const seen: Push[] = [];
    client.onPush((push) => seen.push(push));
    send({ type: 'events', events: [{ seq: 'one' }] });
    send(['not', 'a', 'push']);
    send({ type: 'text', pieces: [] });
    expect(seen).toEqual([{ type: 'text', pieces: [] }]);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/dropped a malformed push: events push: events\.0: seq is not/),
      expect.stringMatching(/dropped a malformed push: a push is not an object/),
    ]);
  });
});
