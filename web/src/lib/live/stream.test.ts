import { describe, expect, it } from 'vitest';
import { countdown, parseLiveStream, parseMediaToken, segmentFromRoomMetadata } from './stream';

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

describe('parsers', () => {
  const stream = {
    id: 's1',
    title: '试吃',
    status: 'live',
    scheduledAt: null,
    startedAt: '2030-01-01T00:00:00Z',
    endedAt: null,
    coverUrl: null,
    shop: { id: 'p1', slug: 'wangji-fruit', name: '王记鲜果', address: null },
    offers: [
      {
        id: 'o1',
        productName: '脐橙',
        imageUrl: null,
        priceCents: 3990,
        remaining: 5,
        groupMin: null,
        groupCount: 0,
      },
    ],
    pinnedOfferId: null,
    viewerCount: 3,
    segment: 'tasting',
  };
  it('reads a stream and refuses a malformed one', () => {
    expect(parseLiveStream(stream)).toMatchObject({
      id: 's1',
      segment: 'tasting',
      offers: [{ id: 'o1' }],
    });
    expect(parseLiveStream({ ...stream, status: 'paused' })).toBeNull();
    expect(parseLiveStream({ ...stream, offers: [{ id: 'o1' }] })).toBeNull();
    expect(parseLiveStream({ ...stream, segment: '<b>' })?.segment).toBeNull();
  });
  it('reads a token', () => {
    expect(
      parseMediaToken({ url: 'ws://x', token: 't', role: 'viewer', identity: 'u' }),
    ).not.toBeNull();
    expect(parseMediaToken({ url: 'ws://x', token: 't', role: 'admin', identity: 'u' })).toBeNull();
  });
  it('reads the segment from room metadata, ignoring junk', () => {
    expect(segmentFromRoomMetadata('{"segment":"qa"}')).toBe('qa');
    expect(segmentFromRoomMetadata('{"segment":null}')).toBeNull();
    expect(segmentFromRoomMetadata('not json')).toBeUndefined();
  });
});
