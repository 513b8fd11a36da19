import { describe, expect, it } from 'vitest';
import { backoffMs } from './reconnect';

describe('backoffMs', () => {
  it('doubles from the first wait and stops at 10 s', () => {
    expect([0, 1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, 1000))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('spreads by ± half the jitter', () => {
    expect(backoffMs(0, 500, 0.5, () => 0)).toBe(375);
    expect(backoffMs(0, 500, 0.5, () => 0.5)).toBe(500);
    expect(backoffMs(5, 500, 0.5, () => 1)).toBe(12_500);
  });
});
