import { describe, expect, it } from 'vitest';
import type { StreamSummary } from './api/types';
import { upcomingStreams } from './shop';

const stream = (id: string, status: StreamSummary['status'], scheduledAt: string | null) => ({
  id,
  title: id,
  status,
  scheduledAt,
  startedAt: null,
  endedAt: null,
  coverUrl: null,
  visibility: 'public' as const,
});

describe('upcomingStreams', () => {
  it('puts live streams first, then the soonest scheduled, and drops ended ones', () => {
    const result = upcomingStreams([
      stream('later', 'scheduled', '2030-01-02T10:00:00Z'),
      stream('tbd', 'scheduled', null),
      stream('done', 'ended', '2020-01-01T10:00:00Z'),
      stream('soon', 'scheduled', '2030-01-01T10:00:00Z'),
      stream('now', 'live', '2029-12-31T10:00:00Z'),
    ]);
    expect(result.map((s) => s.id)).toEqual(['now', 'soon', 'later', 'tbd']);
  });
});
