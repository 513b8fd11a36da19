// A stream's own calls, for the watch page and the studio: its view, media tokens, the
// owner's controls and the stage. Each answer is checked at runtime against its contract.
import { api, apiHref, done, read, type Api } from '../api/client.ts';
import {
  CohostAccepted,
  CohostInvited,
  CohostRevoked,
  MediaToken,
  MyStage,
  SegmentMark,
  StreamEnvelope,
  StreamLeaderboard,
  StreamSummaryEnvelope,
  type Segment,
} from '../api/contracts.ts';

const at = (streamId: string) => ({ params: { path: { streamId } } });

/** The stream as watchers see it (public). */
export const streamView = (streamId: string, client: Api = api) =>
  read(client.GET('/api/streams/{streamId}', at(streamId)), StreamEnvelope);

/** A LiveKit token: host only for the owner or an accepted co-host. */
export const mediaToken = (streamId: string, role?: 'host' | 'viewer', client: Api = api) =>
  read(
    client.POST('/api/streams/{streamId}/token', { ...at(streamId), body: role ? { role } : {} }),
    MediaToken,
  );

export const startStream = (streamId: string) =>
  read(api.POST('/api/streams/{streamId}/start', at(streamId)), StreamSummaryEnvelope);

export const endStream = (streamId: string) =>
  read(api.POST('/api/streams/{streamId}/end', at(streamId)), StreamSummaryEnvelope);

/** Puts a stream ended less than 2 hours ago back on air (409 resume_expired after that). */
export const resumeStream = (streamId: string) =>
  read(api.POST('/api/streams/{streamId}/resume', at(streamId)), StreamSummaryEnvelope);

export const setSegment = (streamId: string, segment: Segment | null) =>
  read(
    api.POST('/api/streams/{streamId}/segment', { ...at(streamId), body: { segment } }),
    SegmentMark,
  );

/** My place in the stream: owner, co-host invitation, removed. */
export const myStage = (streamId: string) =>
  read(api.GET('/api/streams/{streamId}/me', at(streamId)), MyStage);

export const inviteCohost = (streamId: string, userId: string) =>
  read(
    api.POST('/api/streams/{streamId}/cohosts', { ...at(streamId), body: { userId } }),
    CohostInvited,
  );

export const acceptCohost = (streamId: string) =>
  read(api.POST('/api/streams/{streamId}/cohosts/accept', at(streamId)), CohostAccepted);

export const revokeCohost = (streamId: string, userId: string) =>
  read(
    api.POST('/api/streams/{streamId}/cohosts/{userId}/revoke', {
      params: { path: { streamId, userId } },
    }),
    CohostRevoked,
  );

export const removeParticipant = (streamId: string, userId: string) =>
  done(
    api.POST('/api/streams/{streamId}/participants/{userId}/remove', {
      params: { path: { streamId, userId } },
    }),
  );

/** The stream's calendar file (.ics), a download link. */
export const calendarHref = (streamId: string) =>
  apiHref('/api/streams/{streamId}/calendar.ics', at(streamId).params);

/** The stream's 团长榜 (public; `hidden` with no leaders when the owner hid it from viewers). */
export const streamLeaderboard = (streamId: string, client: Api = api) =>
  read(client.GET('/api/streams/{streamId}/leaderboard', at(streamId)), StreamLeaderboard);
