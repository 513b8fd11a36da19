import {
  findCohost,
  findShopById,
  findStream,
  isRemovedParticipant,
} from '../../db/repositories/stream.repository';
import type { MediaWebhookEvent } from '../../media/media.service';
import type { AppDeps } from '../context';
import { isUuid } from '../rules/ids';

// The stage guard: the media server cannot be told to refuse a token (livekit-server v1.13.5
// ignores RemoveParticipant's revokeTokenTs, and a connected participant is handed fresh
// tokens carrying its grants of the moment). So whoever joins a stream's room, or publishes
// in it, is checked against the database when LiveKit says so (the participant_joined and
// track_published webhooks):
// - someone removed from the stream is removed again;
// - someone who may publish as far as the media server knows, but who is neither the shop's
//   owner nor an accepted co-host of the live stream, is put back to viewer grants, which
//   also unpublishes any track they managed to publish;
// - an accepted co-host joining with a subscribe-only token is given the stage.
// The tokens the API issues already make this rare: co-hosts get subscribe-only tokens and
// are given the stage in the room itself (acceptCohost), so an old token of theirs can
// never publish; the guard covers tokens the media server refreshed while they were on
// stage, and an owner's token after the shop changed hands.

export type GuardVerdict = 'allowed' | 'promoted' | 'removed' | 'demoted' | 'ignored';

/** What a participant may do in a stream's room now, by the database. */
async function allowedRole(
  db: AppDeps['db'],
  streamId: string,
  identity: string,
): Promise<'publisher' | 'viewer' | 'removed'> {
  // visitors (`visitor-…`) only ever watch
  if (!isUuid(identity)) return 'viewer';
  const stream = await findStream(db, streamId);
  if (!stream) return 'viewer';
  const [shop, cohost, removed] = await Promise.all([
    findShopById(db, stream.shop_id),
    findCohost(db, streamId, identity),
    isRemovedParticipant(db, streamId, identity),
  ]);
  if (removed) return 'removed';
  if (stream.status !== 'live') return 'viewer';
  if (shop?.owner_id === identity || cohost?.status === 'accepted') return 'publisher';
  return 'viewer';
}

/** Applies the guard to one webhook event; anything but a join or a publish is ignored. */
export async function guardStage(
  deps: Pick<AppDeps, 'db' | 'media' | 'logger'>,
  event: Pick<MediaWebhookEvent, 'event' | 'roomName' | 'participant'>,
): Promise<GuardVerdict> {
  const p = event.participant;
  if (event.event !== 'participant_joined' && event.event !== 'track_published') return 'ignored';
  if (!p || !event.roomName || !isUuid(event.roomName)) return 'ignored';
  const room = event.roomName;
  const allowed = await allowedRole(deps.db, room, p.identity);
  if (allowed === 'removed') {
    await deps.media.removeParticipant(room, p.identity);
    deps.logger.warn({ streamId: room, identity: p.identity }, 'removed participant rejoined');
    return 'removed';
  }
  if (allowed === 'viewer' && (p.canPublish || event.event === 'track_published')) {
    await deps.media.setParticipantRole(room, p.identity, 'viewer');
    deps.logger.warn(
      { streamId: room, identity: p.identity, event: event.event },
      'publisher no longer allowed on stage: back to viewer grants',
    );
    return 'demoted';
  }
  if (allowed === 'publisher' && !p.canPublish && event.event === 'participant_joined') {
    // an accepted co-host (re)joining with their subscribe-only token: the stage is theirs
    await deps.media.setParticipantRole(room, p.identity, 'cohost');
    return 'promoted';
  }
  return 'allowed';
}
