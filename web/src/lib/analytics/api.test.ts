import { describe, expect, it } from 'vitest';
import { StreamStats } from '../api/contracts';
import { formatDuration, formatPercent } from './api';

const parseStreamStats = (body: unknown) => StreamStats.safeParse(body).data ?? null;

describe('analytics formatting', () => {
  it('shows conversion as a percentage with at most one decimal', () => {
    expect(formatPercent(2 / 3)).toBe('66.7%');
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(0)).toBe('0%');
  });

  it('shows watch time as m:ss or h:mm:ss', () => {
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(0)).toBe('0:00');
  });

  it('refuses an answer of the wrong shape', () => {
    expect(parseStreamStats({ peakViewers: 'many' })).toBeNull();
  });
});
