import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { io, type Socket } from 'socket.io-client';

/** The app as its own process (API only), so a test can SIGKILL it and start it again. */
export async function startServerProcess(databaseUrl: string, port: number) {
  const output: string[] = [];
  // node itself with tsx's loader, not the tsx CLI: the CLI runs the app in a grandchild
  // that a SIGKILL of the CLI would leave running
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LIVEKIT_URL: inject('livekitUrl'),
      API_ONLY: '1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.status < 500 || res.status === 503) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not come up:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    output,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      child.kill(signal);
      await exited;
    },
  };
}

/** A browser-like HTTP client of a running server: same-origin header, one session cookie. */
export class HttpClient {
  cookie = '';
  constructor(public baseUrl: string) {}
  async post(path: string, json: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        origin: this.baseUrl,
        'content-type': 'application/json',
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: JSON.stringify(json),
    });
    const set = res.headers.getSetCookie()[0]?.split(';')[0];
    if (set) this.cookie = set;
    return res;
  }
  async get(path: string) {
    return fetch(`${this.baseUrl}${path}`, {
      headers: { origin: this.baseUrl, ...(this.cookie ? { cookie: this.cookie } : {}) },
    });
  }
}

/** A viewer in a stream's room, collecting every event it receives. */
export async function watchStream(baseUrl: string, streamId: string, cookie: string) {
  const events: { event: string; payload: unknown }[] = [];
  const socket: Socket = io(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { origin: baseUrl, cookie },
    reconnection: false,
    forceNew: true,
  });
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  socket.on('disconnect', (reason) => events.push({ event: 'disconnect', payload: reason }));
  await new Promise<void>((ok, fail) => {
    socket.once('connect', () => ok());
    socket.once('connect_error', fail);
  });
  await new Promise<void>((ok, fail) => {
    socket.emit('stream:join', { streamId }, (answer: unknown) => {
      if (typeof answer === 'object' && answer !== null && 'ok' in answer) ok();
      else fail(new Error(`join refused: ${JSON.stringify(answer)}`));
    });
  });
  return { events, close: () => socket.close() };
}
