// How the studio and the watch page get back into a LiveKit room: livekit-client's own
// reconnection first, then, once it has given up, our own tries with a fresh token.
import { DefaultReconnectPolicy } from 'livekit-client';

/**
 * livekit-client's own reconnection (± 50 % jitter), about 40 s in all. Its default waits
 * 1.2 s, 2.7 s, then 4.8 s; a media server that restarted is back within a second or two,
 * so this tries more often early on.
 */
export const RECONNECT_DELAYS_MS = [
  0, 300, 600, 1000, 1500, 2000, 3000, 5000, 7000, 7000, 7000, 7000,
] as const;

export function reconnectPolicy(): DefaultReconnectPolicy {
  return new DefaultReconnectPolicy([...RECONNECT_DELAYS_MS]);
}

/** The longest wait between two of our own tries. */
export const MAX_BACKOFF_MS = 10_000;

/**
 * The wait before our own try number `attempt` (from 0): `firstMs`, doubling up to 10 s.
 * `jitter` (0 to 1) spreads it by ± half that fraction, so phones that lost the same
 * server do not all come back in the same instant; `random` is Math.random's shape.
 */
export function backoffMs(
  attempt: number,
  firstMs: number,
  jitter = 0,
  random: () => number = Math.random,
): number {
  const base = Math.min(firstMs * 2 ** attempt, MAX_BACKOFF_MS);
  return jitter === 0 ? base : base * (1 - jitter / 2 + random() * jitter);
}
