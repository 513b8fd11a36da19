import { describe, expect, it } from 'vitest';
import { computeStats, maxPresent, presenceSteps, viewerIntervals } from './analytics.service';

const t0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const at = (s: number) => new Date(t0 + s * 1000);

describe('viewer presence', () => {
  it('merges one identity’s overlapping sessions and clips open ones to the end', () => {
    const intervals = viewerIntervals(
      [
        { identity: 'a', joinedAt: at(10), leftAt: at(100) },
        { identity: 'a', joinedAt: at(50), leftAt: at(200) },
        { identity: 'b', joinedAt: at(300), leftAt: null },
      ],
      t0,
      t0 + 400_000,
    );
    expect(intervals.get('a')).toEqual([{ start: t0 + 10_000, end: t0 + 200_000 }]);
    expect(intervals.get('b')).toEqual([{ start: t0 + 300_000, end: t0 + 400_000 }]);
  });

  it('treats intervals as half-open: leaving and joining at the same instant never overlap', () => {
    const steps = presenceSteps([
      { start: 0, end: 10 },
      { start: 10, end: 20 },
    ]);
    expect(maxPresent(steps, -Infinity, Infinity)).toBe(1);
    expect(maxPresent(steps, 20, 30)).toBe(0);
    expect(maxPresent(steps, 5, 6)).toBe(1);
  });
});

describe('computeStats', () => {
  it('is all zeros for a stream that never started', () => {
    const stats = computeStats({
      startedAt: null,
      endedAt: null,
      now: new Date(t0),
      sessions: [],
      commentTimes: [],
      sales: [],
      segments: [],
    });
    expect(stats).toMatchObject({ peakViewers: 0, uniqueViewers: 0, conversion: 0, timeline: [] });
  });

  it('puts events in the minute they happened and late or early ones at the edges', () => {
    const sale = (s: number) => ({
      offerId: 'o',
      buyerId: 'b',
      leaderId: null,
      quantity: 2,
      totalCents: 2500,
      commissionCents: 0,
      createdAt: at(s),
    });
    const stats = computeStats({
      startedAt: at(0),
      endedAt: at(150),
      now: at(1000),
      sessions: [{ identity: 'b', joinedAt: at(0), leftAt: at(150) }],
      commentTimes: [at(-5), at(59), at(60), at(149)],
      sales: [sale(61), sale(500)],
      segments: [{ segment: 'tasting', at: at(90) }],
    });
    expect(stats.timeline.map((p) => p.comments)).toEqual([2, 1, 1]);
    expect(stats.timeline.map((p) => p.orders)).toEqual([0, 1, 1]);
    expect(stats.timeline.map((p) => p.segment)).toEqual([null, 'tasting', 'tasting']);
    expect(stats.conversion).toBe(1);
    expect(stats.avgWatchSeconds).toBe(150);
  });
});
