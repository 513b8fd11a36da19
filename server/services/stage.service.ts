import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database';
import type { Segment } from '../../db/media.schema';
import {
  acceptCohostInvite,
  currentSegment,
  findCohost,
  insertRemovedParticipant,
  insertSegment,
  isRemovedParticipant,
  revokeCohost,
  upsertCohostInvite,
  userExists,
} from '../../db/repositories/stream.repository';
import { AppError } from '../errors';
import { requireMayActOn, requireModerator } from './comment.service';
import { mayWatchMembersOnly } from './member.service';
import type { User } from './auth.service';
import type { MediaToken } from '../contracts/stream';
import { isUuid } from '../rules/ids';
import {
  loadOwnedStream,
  loadStream,
  roomMetadata,
  roomName,
  type CohostView,
  type StreamDeps,
} from './stream.service';

// The stage of a stream's room: who gets which media token, the segment on air, co-hosts
// invited, accepted and sent back, participants removed, and a user's own place. (Who may publish is enforced in
// the room too: stage-guard.service.ts.)

export type IssuedToken = MediaToken;

/**
 * A LiveKit token for this stream. Host grants only for the owner or an accepted co-host;
 * everyone else subscribes. Signed-in users join as their user id; a visitor who has not
 * signed in gets a one-off `visitor-…` identity that can only watch.
 */
export async function issueToken(
  deps: StreamDeps,
  user: User | null,
  streamId: string,
  wanted: 'host' | 'viewer' | undefined,
): Promise<IssuedToken> {
  const { stream, shop } = await loadStream(deps.db, streamId);
  if (stream.status !== 'live') {
    throw new AppError(
      'stream_not_live',
      stream.status === 'ended' ? 'This stream has ended.' : 'This stream has not started yet.',
    );
  }
  let role: 'host' | 'cohost' | 'viewer' = 'viewer';
  if (user && shop.owner_id === user.id) {
    role = 'host';
  } else if (user) {
    if (await isRemovedParticipant(deps.db, stream.id, user.id)) {
      throw new AppError('participant_removed', 'You were removed from this stream.');
    }
    const cohost = await findCohost(deps.db, stream.id, user.id);
    if (cohost?.status === 'accepted') role = 'cohost';
  }
  // A members-only stream (the shop's private domain): its members, owner, moderators and
  // accepted co-hosts watch; everyone else is offered to join first.
  if (
    stream.visibility === 'members' &&
    role === 'viewer' &&
    !(await mayWatchMembersOnly(deps.db, shop, user))
  ) {
    throw new AppError(
      'members_only',
      "This stream is for the shop's members: join the shop to watch.",
    );
  }
  if (wanted === 'host' && role === 'viewer') {
    throw new AppError('forbidden', 'Only the shop owner or an invited co-host can publish.');
  }
  if (wanted === 'viewer') role = 'viewer';
  const identity = user?.id ?? `visitor-${randomUUID()}`;
  if (role === 'host') {
    // Rooms are opened by the app only (livekit.yaml: auto_create false); make sure the
    // owner's room is there, e.g. after an external media server restarted.
    const segment = await currentSegment(deps.db, stream.id);
    await deps.media
      .openRoom(roomName(stream.id), roomMetadata(stream, segment?.segment ?? null))
      .catch((err: unknown) => deps.logger.warn({ err, streamId }, 'could not open the room'));
  }
  // A co-host's token only subscribes: the stage is given in the room, by the server, once
  // the database says so (acceptCohost, or the stage guard when they join), so a token kept
  // after the stage was taken back can never publish (see stage-guard.service.ts).
  const token = await deps.media.token({
    room: roomName(stream.id),
    identity,
    name: user?.name ?? '',
    role: role === 'host' ? 'host' : 'viewer',
  });
  return {
    url: deps.media.publicUrl,
    token,
    role: role === 'viewer' ? 'viewer' : 'host',
    identity,
  };
}

export async function setSegment(
  deps: StreamDeps,
  user: User,
  streamId: string,
  segment: Segment | null,
): Promise<{ segment: Segment | null; at: string }> {
  const { stream } = await loadOwnedStream(deps.db, user, streamId);
  if (stream.status === 'ended') throw new AppError('conflict', 'This stream has ended.');
  const at = new Date();
  await insertSegment(deps.db, { streamId: stream.id, segment, setBy: user.id, at });
  if (stream.status === 'live') {
    try {
      await deps.media.updateRoomMetadata(roomName(stream.id), roomMetadata(stream, segment));
    } catch (err) {
      // Viewers still hear of it through the realtime event; the record is what counts.
      deps.logger.warn({ err, streamId }, 'could not update the room metadata');
    }
  }
  deps.realtime.publish(stream.id, 'stream:segment', {
    streamId: stream.id,
    segment,
    at: at.toISOString(),
  });
  return { segment, at: at.toISOString() };
}

export async function inviteCohost(
  deps: StreamDeps,
  user: User,
  streamId: string,
  guestId: string,
): Promise<CohostView> {
  const { stream, shop } = await loadOwnedStream(deps.db, user, streamId);
  if (stream.status === 'ended') throw new AppError('conflict', 'This stream has ended.');
  if (guestId === shop.owner_id)
    throw new AppError('bad_request', 'The owner is already on stage.');
  if (!isUuid(guestId) || !(await userExists(deps.db, guestId))) {
    throw new AppError('not_found', 'No such user.');
  }
  if (await isRemovedParticipant(deps.db, stream.id, guestId)) {
    throw new AppError('participant_removed', 'This user was removed from the stream.');
  }
  const row = await upsertCohostInvite(deps.db, {
    streamId: stream.id,
    userId: guestId,
    invitedBy: user.id,
  });
  deps.realtime.publish(stream.id, 'cohost:invited', { streamId: stream.id, userId: guestId });
  if (stream.status === 'live') {
    // Reaches the invitee's watch page directly, without depending on the socket layer.
    await deps.media
      .notify(roomName(stream.id), [guestId], { type: 'cohost:invited', streamId: stream.id })
      .catch((err: unknown) => deps.logger.warn({ err, streamId }, 'invite notice failed'));
  }
  return { userId: row.user_id, name: '', status: row.status };
}

/** The invited user accepts: they may now publish camera and microphone. */
export async function acceptCohost(
  deps: StreamDeps,
  user: User,
  streamId: string,
): Promise<{ status: 'accepted' }> {
  const { stream } = await loadStream(deps.db, streamId);
  if (stream.status !== 'live') throw new AppError('stream_not_live', 'This stream is not live.');
  const accepted = await acceptCohostInvite(deps.db, stream.id, user.id, new Date());
  if (!accepted) {
    const existing = await findCohost(deps.db, stream.id, user.id);
    if (existing?.status !== 'accepted') {
      throw new AppError('forbidden', 'You have no invitation to this stage.');
    }
  }
  // Already connected as a viewer: widen their grants in place, no reconnect needed.
  await deps.media.setParticipantRole(roomName(stream.id), user.id, 'cohost');
  return { status: 'accepted' };
}

/** The owner takes the stage back: the co-host's grants shrink, unpublishing their tracks. */
export async function revokeCohostStage(
  deps: StreamDeps,
  user: User,
  streamId: string,
  guestId: string,
): Promise<{ status: 'revoked' }> {
  const { stream } = await loadOwnedStream(deps.db, user, streamId);
  if (!isUuid(guestId)) throw new AppError('not_found', 'No such co-host.');
  const revoked = await revokeCohost(deps.db, stream.id, guestId, new Date());
  if (!revoked) throw new AppError('not_found', 'This user is not on stage.');
  if (stream.status === 'live') {
    await deps.media.setParticipantRole(roomName(stream.id), guestId, 'viewer');
  }
  deps.realtime.publish(stream.id, 'cohost:removed', { streamId: stream.id, userId: guestId });
  if (stream.status === 'live') {
    await deps.media
      .notify(roomName(stream.id), [guestId], { type: 'cohost:removed', streamId: stream.id })
      .catch((err: unknown) => deps.logger.warn({ err, streamId }, 'take-back notice failed'));
  }
  return { status: 'revoked' };
}

/**
 * Removes someone from a stream: disconnected now, and refused a token from then on. The
 * owner, an accepted co-host or the shop's moderator may; only the owner removes a co-host
 * or another moderator, and nobody the owner.
 */
export async function removeStreamParticipant(
  deps: StreamDeps,
  user: User,
  streamId: string,
  targetId: string,
): Promise<void> {
  const { stream, shop } = await loadStream(deps.db, streamId);
  const realtimeStream = {
    id: stream.id,
    shopId: shop.id,
    ownerId: shop.owner_id,
    status: stream.status,
    visibility: stream.visibility,
  };
  const role = await requireModerator(deps.db, user, realtimeStream);
  if (targetId === shop.owner_id) throw new AppError('bad_request', 'The owner cannot be removed.');
  if (targetId === user.id) throw new AppError('bad_request', 'You cannot remove yourself.');
  if (!isUuid(targetId) || !(await userExists(deps.db, targetId))) {
    throw new AppError('not_found', 'No such user.');
  }
  await requireMayActOn(deps.db, role, realtimeStream, targetId);
  await insertRemovedParticipant(deps.db, {
    streamId: stream.id,
    userId: targetId,
    removedBy: user.id,
  });
  await revokeCohost(deps.db, stream.id, targetId, new Date());
  await deps.media.removeParticipant(roomName(stream.id), targetId);
  deps.realtime.publish(stream.id, 'user:removed', { streamId: stream.id, userId: targetId });
}

/** The signed-in user's place in a stream: owner, co-host invitation, removed. */
export async function getMyStage(
  db: Database,
  user: User,
  streamId: string,
): Promise<{
  owner: boolean;
  cohost: 'invited' | 'accepted' | 'revoked' | null;
  removed: boolean;
}> {
  const { stream, shop } = await loadStream(db, streamId);
  const [cohost, removed] = await Promise.all([
    findCohost(db, stream.id, user.id),
    isRemovedParticipant(db, stream.id, user.id),
  ]);
  return { owner: shop.owner_id === user.id, cohost: cohost?.status ?? null, removed };
}
