// Kept-open HTTP/1.1 connections for bench:orders' flash sale "on open connections": each
// buyer's request goes out on a connection opened (and used once) beforehand, as an app
// behind a reverse proxy receives its requests on the proxy's kept-alive upstream
// connections rather than on 1,000 new ones. Requests are written as prebuilt bytes and the
// answers read with a minimal parser, so the load generator's own cost stays small next to
// the server's (Node's fetch costs the generator more CPU than the bare endpoint spends).
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  body: string;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One connection, one request at a time. */
export class OpenConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { ok: (a: RawAnswer) => void; fail: (e: Error) => void } | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.settle();
    });
    const closed = (e?: Error) => {
      this.waiting?.fail(e ?? new Error('connection closed before the answer'));
      this.waiting = null;
    };
    socket.on('error', closed);
    socket.on('close', () => closed());
  }

  static open(port: number, host = '127.0.0.1'): Promise<OpenConnection> {
    return new Promise((ok, fail) => {
      const socket = connect({ port, host }, () => ok(new OpenConnection(socket)));
      socket.once('error', fail);
    });
  }

  /** Writes `raw` (one whole HTTP/1.1 request) and resolves with its answer. */
  send(raw: Buffer): Promise<RawAnswer> {
    if (this.waiting) throw new Error('one request at a time');
    return new Promise((ok, fail) => {
      this.waiting = { ok, fail };
      this.socket.write(raw);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  /** Completes the waiting request once its whole answer is in the buffer. */
  private settle(): void {
    if (!this.waiting) return;
    const headEnd = this.buffer.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = this.buffer.subarray(0, headEnd).toString('latin1');
    const status = Number(head.slice(9, 12));
    const start = headEnd + HEAD_END.length;
    let body: Buffer;
    let end: number;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (length) {
      end = start + Number(length[1]);
      if (this.buffer.length < end) return;
      body = this.buffer.subarray(start, end);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const parts: Buffer[] = [];
      let at = start;
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', at);
        if (lineEnd < 0) return;
        const size = parseInt(this.buffer.subarray(at, lineEnd).toString('latin1'), 16);
        const dataEnd = lineEnd + 2 + size;
        if (this.buffer.length < dataEnd + 2) return;
        if (size === 0) {
          end = dataEnd + 2;
          break;
        }
        parts.push(this.buffer.subarray(lineEnd + 2, dataEnd));
        at = dataEnd + 2;
      }
      body = Buffer.concat(parts);
    } else {
      end = start;
      body = Buffer.alloc(0);
    }
    this.buffer = this.buffer.subarray(end);
    const { ok } = this.waiting;
    this.waiting = null;
    ok({ status, body: body.toString('utf8') });
  }
}

/** The bytes of one HTTP/1.1 request on a kept-alive connection. */
export function rawRequest(
  method: 'GET' | 'POST',
  host: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Buffer {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const lines = [`${method} ${path} HTTP/1.1`, `host: ${host}`, 'connection: keep-alive'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) {
    lines.push('content-type: application/json');
    lines.push(`content-length: ${Buffer.byteLength(payload)}`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${payload}`);
}
