import type { WebSocket } from 'ws';
import { toErrorData } from '../../shared/errors.js';
import { RequestSchema, type Push, type Reply } from '../../shared/api.js';
import { TICKET_METHOD, type Ticket } from '../../shared/serve.js';
import type { ConsoleApi } from '../host/api/index.js';

/**
 * Serves the console API on one open WebSocket: requests parsed against the contract and
 * answered as `{id, ok, result | error}`, ledger events and models' text pushed in batches,
 * and download tickets for this socket's session. Nothing a client sends can throw out of it.
 */
export function attachApi(ws: WebSocket, api: ConsoleApi, issueTicket: () => string, sockets: Set<WebSocket>): void {
  sockets.add(ws);
  const send = (message: Reply | Push) => {
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch {
      // A result JSON cannot hold (a cycle, a BigInt) is Warden's bug: say so to this request only.
      text = JSON.stringify({
        id: 'id' in message ? message.id : -1,
        ok: false,
        error: { code: 'E_INTERNAL', message: 'the reply could not be encoded' },
      });
    }
    ws.send(text);
  };
  // Pushes are the contract's PushSchema as they are: the page reads them with shared/push.ts.
  const unsubscribe = api.subscribe((push) => send(push));
  // A protocol error (an unmasked frame, a message over the size limit, bad UTF-8) arrives here;
  // ws has already sent the close code that names it and ends the connection.
  ws.on('error', () => undefined);
  ws.on('close', () => {
    sockets.delete(ws);
    unsubscribe();
  });
  ws.on('message', (data) => {
    let parsed;
    try {
      parsed = RequestSchema.safeParse(JSON.parse(String(data)));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) return send({ id: -1, ok: false, error: { code: 'E_USAGE', message: 'not a request' } });
    const { id, method, params } = parsed.data;
    if (method === TICKET_METHOD) return send({ id, ok: true, result: { ticket: issueTicket() } satisfies Ticket });
    api.call(method, params, 'console').then(
      (result) => send({ id, ok: true, result }),
      (error: unknown) => send({ id, ok: false, error: toErrorData(error, 'E_INTERNAL') }),
    );
  });
}
