import { describe, expect, it } from 'vitest';
import { lastResortsAfterStop, stillServing as stillServingOf, useServed } from './serve-process.js';
import { httpRequest, pageSocket } from './session.js';
import { closeCode, frame, rawWebSocket, sendRaw } from './wire.js';

// Each request that once ended the whole `warden serve` process (and the runs in flight with
// it), sent to the real command in a child process: each gets a 4xx or a clean close, and the
// process goes on answering.

const served = useServed('warden-serve-total-');
const stillServing = () => stillServingOf(served, 'the case before');

const raw = (lines: string[]) => `${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n`;

describe('warden serve never exits because of a request', () => {
  it('answers GET // without a session with a 4xx', async () => {
    const reply = await sendRaw(served.serve.port, raw(['GET // HTTP/1.1', `Host: 127.0.0.1:${served.serve.port}`]));
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    await stillServing();
  });

  it('answers a browser preflight OPTIONS // with a 4xx', async () => {
    const reply = await sendRaw(
      served.serve.port,
      raw([
        'OPTIONS // HTTP/1.1',
        `Host: 127.0.0.1:${served.serve.port}`,
        'Origin: http://127.0.0.1:9',
        'Access-Control-Request-Method: GET',
      ]),
    );
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    await stillServing();
  });

  it('answers a static path whose percent-encoding does not decode with a 400', async () => {
    const reply = await httpRequest(served.serve.port, '/%E0%A4%A', { cookie: served.session.cookie });
    expect([reply.status, reply.text]).toEqual([400, 'The path is not a valid URL path.\n']);
    await stillServing();
  });

  it('closes a WebSocket whose message is over 1 MiB (1009) and goes on', async () => {
    const socket = await pageSocket(served.serve.port, served.session);
    const code = new Promise<number>((done) => socket.once('close', (c) => done(c)));
    socket.send(Buffer.alloc(1024 * 1024 + 1, 0x61));
    expect(await code).toBe(1009);
    await stillServing();
  });

  it('closes a WebSocket that sends a frame without the mask bit (1002) and goes on', async () => {
    const ws = await rawWebSocket(served.serve.port, {
      Cookie: served.session.cookie,
      Origin: `http://127.0.0.1:${served.serve.port}`,
      'Sec-WebSocket-Protocol': `warden, warden-key.${served.session.key}`,
    });
    ws.socket.write(frame({ opcode: 1, masked: false, payload: Buffer.from('{"id":1}') }));
    expect(closeCode(await ws.closed)).toBe(1002);
    await stillServing();
  });

  it('needed no last resort: each case was answered on its own path', async () => {
    expect(await lastResortsAfterStop(served)).toBe(0);
  });
});
