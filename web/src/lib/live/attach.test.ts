import { describe, expect, it } from 'vitest';
import { segmentFromRoomMetadata } from './attach';

describe('room metadata', () => {
  it('reads the segment, ignoring junk', () => {
    expect(segmentFromRoomMetadata('{"segment":"qa"}')).toBe('qa');
    expect(segmentFromRoomMetadata('{"segment":null}')).toBeNull();
    expect(segmentFromRoomMetadata('{"segment":"<b>"}')).toBeNull();
    expect(segmentFromRoomMetadata('not json')).toBeUndefined();
    expect(segmentFromRoomMetadata(undefined)).toBeUndefined();
  });
});
