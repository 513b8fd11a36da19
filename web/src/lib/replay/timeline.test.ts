import { describe, expect, it } from 'vitest';
import { commentsUntil, lastReached, pinnedAt } from './timeline';

describe('the replay timeline', () => {
  const pins = [
    { offerId: 'a', atMs: 0 },
    { offerId: 'b', atMs: 5_000 },
    { offerId: null, atMs: 9_000 },
  ];

  it('shows the offer pinned at the playhead, none after an unpin', () => {
    expect(pinnedAt([], 3_000)).toBeNull();
    expect(pinnedAt(pins, 0)).toBe('a');
    expect(pinnedAt(pins, 4_000)).toBe('a');
    expect(pinnedAt(pins, 4_800)).toBe('b'); // a seek lands just before the mark
    expect(pinnedAt(pins, 9_500)).toBeNull();
  });

  it('counts the comments posted by the playhead', () => {
    const comments = [{ atMs: 0 }, { atMs: 0 }, { atMs: 2_000 }, { atMs: 7_000 }];
    expect(commentsUntil(comments, 0)).toBe(2);
    expect(commentsUntil(comments, 6_000)).toBe(3);
    expect(commentsUntil(comments, 60_000)).toBe(4);
    expect(lastReached([{ atMs: 1_000 }], 0)).toBe(-1);
  });
});
