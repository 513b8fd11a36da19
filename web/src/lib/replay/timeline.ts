// What the replay shows at a moment of playback: the chapter, the offer pinned then, and the
// comments posted until then. Pure, so the player and its tests agree.
import type { ReplayPin } from '../api/contracts.ts';

/**
 * How far ahead of the playhead a moment counts as reached: a seek lands on the key frame
 * before its mark, and timeupdate fires only every 250 ms or so.
 */
export const REACHED_SLACK_MS = 250;

/** The index of the last item that starts at or before `atMs` (-1 when none has yet). */
export function lastReached(items: readonly { atMs: number }[], atMs: number): number {
  return items.findLastIndex((item) => item.atMs <= atMs + REACHED_SLACK_MS);
}

/** The offer pinned at `atMs` of the replay, or null (none yet, or unpinned). */
export function pinnedAt(pins: readonly ReplayPin[], atMs: number): string | null {
  return pins[lastReached(pins, atMs)]?.offerId ?? null;
}

/** How many of the comments (oldest first) were posted by `atMs` of the replay. */
export function commentsUntil(comments: readonly { atMs: number }[], atMs: number): number {
  return lastReached(comments, atMs) + 1;
}
