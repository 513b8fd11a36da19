import { describe, expect, it } from 'vitest';
import { countdown } from './countdown';

describe('countdown', () => {
  it('splits the time left and stops at zero', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(countdown(new Date('2030-01-02T01:02:03Z'), now)).toEqual({
      days: 1,
      hours: 1,
      minutes: 2,
      seconds: 3,
    });
    expect(countdown(new Date('2029-12-31T00:00:00Z'), now)).toEqual({
      days: 0,
      hours: 0,
      minutes: 0,
      seconds: 0,
    });
  });
});
