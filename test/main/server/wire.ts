import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

// Bytes on a raw TCP socket, for what an HTTP or WebSocket client library refuses to send:
// malformed request lines, undecodable paths, unmasked or oversized frames.

/** What came back on a raw socket before the server closed it (or the test stopped waiting). */
export interface RawReply {
  /** The status of the first response line, or null when none came. */
  status: number | null;
  text: string;
}

/** Sends bytes to the server and collects what it answers until it closes or goes quiet. */
export function sendRaw(port: number, bytes: Buffer | string, quietMs = 1500): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: status ? Number(status[1]) : null, text });
    };
    // Quiet is not a verdict on speed: a request the server keeps open is simply let go.
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, quietMs);
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      idle();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => {
      socket.write(bytes);
      idle();
    });
  });
}

/** A WebSocket frame with every field chosen by the caller, right or wrong. */
export interface FrameSpec {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  masked?: boolean;
  payload?: Buffer;
  /** A length to claim in the header instead of the payload's own. */
  claimedLength?: number;
}

/** Encodes one frame as RFC 6455 lays it out (masking the payload when asked). */
export function frame(spec: FrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const length = spec.claimedLength ?? payload.length;
  const masked = spec.masked ?? true;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f);
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, (masked ? 0x80 : 0) | length]);
  else if (length < 65_536) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8((masked ? 0x80 : 0) | 126, 1);
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8((masked ? 0x80 : 0) | 127, 1);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

/** An open WebSocket at the byte level: the handshake done, frames written by hand. */
export interface RawWebSocket {
  socket: Socket;
  /** Resolves once the server closed the connection, with every byte it sent after the handshake. */
  closed: Promise<Buffer>;
}

/** Opens `/api` on a raw socket with the given headers; rejects unless the server answers 101. */
export function rawWebSocket(port: number, headers: Record<string, string>): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let upgraded = false;
    let markClosed: (rest: Buffer) => void = () => undefined;
    const closed = new Promise<Buffer>((done) => (markClosed = done));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (!upgraded) reject(new Error(`no upgrade: ${received.toString('latin1').split('\r\n')[0]}`));
      markClosed(received);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (upgraded) return;
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = received.subarray(0, end).toString('latin1');
      if (!head.startsWith('HTTP/1.1 101')) return socket.destroy();
      upgraded = true;
      received = received.subarray(end + 4);
      resolve({ socket, closed });
    });
    socket.on('connect', () => {
      const lines = [
        'GET /api HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  });
}

/** The close code in the first close frame (opcode 8) a server sent, or null. */
export function closeCode(bytes: Buffer): number | null {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let start = at + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (opcode === 8) return length >= 2 ? bytes.readUInt16BE(start) : null;
    at = start + length;
  }
  return null;
}
