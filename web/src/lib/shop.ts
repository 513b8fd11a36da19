import type { StreamSummary } from './api/types';

/**
 * The streams a visitor of a shop page cares about: whatever is live now, then scheduled
 * streams soonest first (those without a time last). Ended streams are left out.
 */
export function upcomingStreams(streams: readonly StreamSummary[]): StreamSummary[] {
  const time = (stream: StreamSummary): number => {
    const ms = stream.scheduledAt === null ? Number.NaN : Date.parse(stream.scheduledAt);
    return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
  };
  const rank = (stream: StreamSummary): number => (stream.status === 'live' ? 0 : 1);
  return streams
    .filter((stream) => stream.status !== 'ended')
    .sort((a, b) => rank(a) - rank(b) || time(a) - time(b));
}
