import { TrackSource } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { grantsFor } from './media.service';

describe('grantsFor', () => {
  it('lets a viewer subscribe and nothing else', () => {
    expect(grantsFor('viewer', 'r1')).toEqual({
      room: 'r1',
      roomJoin: true,
      canSubscribe: true,
      canPublish: false,
      canPublishData: false,
      canPublishSources: [],
    });
  });

  it('lets a co-host publish camera and microphone only, without data', () => {
    const grant = grantsFor('cohost', 'r1');
    expect(grant).toMatchObject({ canPublish: true, canPublishData: false });
    expect(grant.canPublishSources).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
  });

  it('lets the host publish camera, microphone and screen, and never administer the room', () => {
    const grant = grantsFor('host', 'r1');
    expect(grant).toMatchObject({ canPublish: true, canSubscribe: true, canPublishData: true });
    expect(grant.canPublishSources).toContain(TrackSource.SCREEN_SHARE);
    expect(grant.roomAdmin).toBeUndefined();
    expect(grant.roomCreate).toBeUndefined();
  });
});
