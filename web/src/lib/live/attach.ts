// Svelte actions that bind LiveKit tracks to media elements and detach on teardown, and the
// readers of what the server puts in LiveKit's metadata and data messages.
import type { Track } from 'livekit-client';
import type { Segment } from '../api/contracts.ts';

/** `<video use:attachTrack={track}>`: attaches, swaps on change, detaches on destroy. */
export function attachTrack(el: HTMLMediaElement, track: Track | null) {
  let current: Track | null = null;
  const set = (next: Track | null) => {
    if (current === next) return;
    current?.detach(el);
    current = next;
    next?.attach(el);
  };
  set(track);
  return {
    update: set,
    destroy: () => set(null),
  };
}

/** The participant role the server put in the token metadata: host, cohost or viewer. */
export function roleFromMetadata(metadata: string | undefined): 'host' | 'cohost' | 'viewer' {
  if (!metadata) return 'viewer';
  try {
    const parsed: unknown = JSON.parse(metadata);
    if (typeof parsed === 'object' && parsed !== null && 'role' in parsed) {
      const role = parsed.role;
      if (role === 'host' || role === 'cohost') return role;
    }
  } catch {
    // not ours
  }
  return 'viewer';
}

/** A server notice on the "linli" data topic; null for anything else. */
export function parseNotice(
  payload: Uint8Array,
): { type: 'cohost:invited' | 'cohost:removed'; streamId: string } | null {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const type = 'type' in parsed ? parsed.type : null;
    const streamId = 'streamId' in parsed ? parsed.streamId : null;
    if ((type === 'cohost:invited' || type === 'cohost:removed') && typeof streamId === 'string') {
      return { type, streamId };
    }
  } catch {
    // not ours
  }
  return null;
}

// The contract's segments, checked against its type (a type import keeps zod out of the
// watch page's bundle for this one check).
const SEGMENTS: Record<Segment, true> = { sourcing: true, kitchen: true, tasting: true, qa: true };
const isSegment = (value: unknown): value is Segment =>
  typeof value === 'string' && Object.hasOwn(SEGMENTS, value);

/**
 * The segment in the room metadata (set by the server on start and on segment changes): null
 * when none or not one we know, undefined when the metadata says nothing usable.
 */
export function segmentFromRoomMetadata(metadata: string | undefined): Segment | null | undefined {
  if (!metadata) return undefined;
  try {
    const parsed: unknown = JSON.parse(metadata);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const segment = 'segment' in parsed ? parsed.segment : undefined;
    return isSegment(segment) ? segment : null;
  } catch {
    return undefined;
  }
}
