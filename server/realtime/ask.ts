import type { Logger } from 'pino';
import type { z } from 'zod';
import { isDatabaseUnavailable } from '../../db/database';
import { AppError } from '../errors';
import type { User } from '../services/auth.service';
import type { StreamForRealtime } from '../../db/repositories/comment.repository';
import type { ClientToServerEvents } from './events';
import type { RealtimeSocket } from './types';

// The one wrapper every socket action goes through: parse the payload, run the action,
// answer the ack with `{ ok: true, … }` or `{ ok: false, error }`, and log what was not expected.

type Refused = {
  ok: false;
  error: { code: string; message: string; limit?: { perBuyer: number; held: number } };
};
type Answer = { ok: true } | Refused;

export function toAnswer(err: unknown): Refused {
  if (err instanceof AppError) {
    return {
      ok: false,
      error: {
        code: err.code,
        message: err.message,
        // limit_exceeded (a "+N" in the chat): the per-buyer limit and what is already held
        ...(err.limit ? { limit: err.limit } : {}),
      },
    };
  }
  if (isDatabaseUnavailable(err)) {
    return {
      ok: false,
      error: { code: 'unavailable', message: 'The database is not answering; try again.' },
    };
  }
  return { ok: false, error: { code: 'internal', message: 'Something went wrong on our side.' } };
}

function reply(ack: unknown, answer: Answer): void {
  if (typeof ack === 'function') (ack as (a: Answer) => void)(answer);
}

/**
 * Handles `event`: a payload that fails `schema` is answered `validation_failed` with
 * `invalid` (before the action costs anything); the action's result is sent as
 * `{ ok: true, …result }`; an AppError is answered as such, a database blip as
 * `unavailable`, anything else as `internal` and logged with the event and the socket.
 */
export function onAsk<S extends z.ZodType>(
  socket: RealtimeSocket,
  logger: Logger,
  event: keyof ClientToServerEvents,
  schema: S,
  invalid: string,
  action: (payload: z.infer<S>) => Promise<object | void>,
): void {
  // typed per event by ClientToServerEvents at the call sites' payload schemas
  const on = socket.on.bind(socket) as unknown as (
    e: string,
    listener: (raw: unknown, ack: unknown) => void,
  ) => void;
  on(event, (raw, ack) => {
    void (async () => {
      try {
        const parsed = schema.safeParse(raw);
        if (!parsed.success) throw new AppError('validation_failed', invalid);
        const result = await action(parsed.data);
        reply(ack, { ok: true, ...(result ?? {}) });
      } catch (err) {
        if (!(err instanceof AppError)) {
          const context = { err, event, socketId: socket.id, userId: socket.data.user?.id };
          if (isDatabaseUnavailable(err))
            logger.warn(context, 'socket action: database unavailable');
          else logger.error(context, 'socket action failed');
        }
        reply(ack, toAnswer(err));
      }
    })();
  });
}

/** The socket's user, or `unauthenticated`: posting and moderating need a session. */
export function signedIn(socket: RealtimeSocket): User {
  const user = socket.data.user;
  if (!user) throw new AppError('unauthenticated', 'Pick a nickname (or sign in) first.');
  return user;
}

/** The stream this socket joined, or `bad_request`. */
export function inStream(socket: RealtimeSocket): StreamForRealtime {
  const stream = socket.data.stream;
  if (!stream) throw new AppError('bad_request', 'Join a stream first.');
  return stream;
}
