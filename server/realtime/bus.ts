import { EventEmitter } from 'node:events';
import type { NotificationNewPayload } from '../contracts/notification';
import type { StreamEventName, StreamEventPayload } from './events';

/**
 * How services announce what happened in a stream, after their transaction commits. The
 * realtime layer (socket.io) listens and fans out to the stream's room; services never touch
 * sockets.
 */
export interface RealtimeBus {
  publish<E extends StreamEventName>(
    streamId: string,
    event: E,
    payload: StreamEventPayload<E>,
  ): void;
  subscribe(
    listener: <E extends StreamEventName>(
      streamId: string,
      event: E,
      payload: StreamEventPayload<E>,
    ) => void,
  ): () => void;
  /** A notice for one person (the bell): the socket layer sends it to their sockets alone. */
  notifyUser(userId: string, payload: NotificationNewPayload): void;
  onUserNotice(listener: (userId: string, payload: NotificationNewPayload) => void): () => void;
}

export function createRealtimeBus(): RealtimeBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(50);
  return {
    publish(streamId, event, payload) {
      emitter.emit('event', streamId, event, payload);
    },
    subscribe(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    notifyUser(userId, payload) {
      emitter.emit('notice', userId, payload);
    },
    onUserNotice(listener) {
      emitter.on('notice', listener);
      return () => emitter.off('notice', listener);
    },
  };
}
