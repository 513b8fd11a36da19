import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/events';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function openSocket(
  baseUrl: string,
  opts: { cookie?: string; origin?: string } = {},
): TestSocket {
  return connect(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    extraHeaders: {
      origin: opts.origin ?? baseUrl,
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
    },
  });
}

export function connected(socket: TestSocket, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    const timer = setTimeout(() => reject(new Error('connect timed out')), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** The connect_error message a refused handshake gives. */
export function refusal(socket: TestSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('was not refused')), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      reject(new Error('connected, but should have been refused'));
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.disconnect();
      resolve(err.message);
    });
  });
}

/** An acknowledgement: {ok: true, …} or {error: {code, message}}; tests match on its shape. */
type AckAnswer = Record<string, unknown>;

/** Emits an event that takes an acknowledgement and waits for the answer. */
export function ask(
  socket: TestSocket,
  event: keyof ClientToServerEvents,
  payload: unknown,
  timeoutMs = 5000,
): Promise<AckAnswer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${event} got no answer`)), timeoutMs);
    const emit = socket.emit as (e: string, p: unknown, ack: (a: AckAnswer) => void) => void;
    emit.call(socket, event, payload, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/** Collects every payload of an event from now on. */
export function collect<E extends keyof ServerToClientEvents>(socket: TestSocket, event: E) {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  const on = socket.on as (
    e: string,
    fn: (p: Parameters<ServerToClientEvents[E]>[0]) => void,
  ) => void;
  on.call(socket, event, (payload) => seen.push(payload));
  return seen;
}

export async function until(
  check: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
