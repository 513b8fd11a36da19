// A stream's numbers for its owner, checked at runtime against the contract.
import { api, apiHref, read, type Api } from '../api/client.ts';
import { StreamStats, type Segment } from '../api/contracts.ts';

export type { StreamStats, TimelinePoint } from '../api/contracts.ts';
export type SegmentLabel = Segment | null;

export const streamStats = (streamId: string, client: Api = api) =>
  read(
    client.GET('/api/streams/{streamId}/stats', { params: { path: { streamId } } }),
    StreamStats,
  );

/** The stream's orders as a CSV file, a download link. */
export const ordersCsvHref = (streamId: string) =>
  apiHref('/api/streams/{streamId}/orders.csv', { path: { streamId } });

/** 2/3 → "66.7%"; whole percentages without a decimal. */
export function formatPercent(ratio: number): string {
  const tenths = Math.round(ratio * 1000);
  return tenths % 10 === 0 ? `${String(tenths / 10)}%` : `${(tenths / 10).toFixed(1)}%`;
}

/** 125 → "2:05", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${String(h)}:${String(m).padStart(2, '0')}:${sec}` : `${String(m)}:${sec}`;
}
