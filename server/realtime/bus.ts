import { EventEmitter } from 'node:events';
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
  };
}
