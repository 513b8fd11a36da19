import {
  closeOpenParticipantSessions,
  findStream,
  insertParticipantJoin,
  markParticipantLeft,
  recordWebhookEvent,
} from '../../db/repositories/stream.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { isUuid } from '../rules/ids';
import { guardStage } from './stage-guard.service';

/**
 * Applies a verified LiveKit webhook once: the event id is recorded in the same
 * transaction as its effects, so a replay changes nothing. Returns whether it was applied.
 */
export async function applyWebhook(
  deps: Pick<AppDeps, 'db' | 'media' | 'logger'>,
  body: string,
  authorization: string | undefined,
): Promise<{ applied: boolean; event: string }> {
  const event = await deps.media.verifyWebhook(body, authorization).catch(() => {
    throw new AppError('unauthenticated', 'The webhook signature is missing or does not match.');
  });
  const streamId = event.roomName && isUuid(event.roomName) ? event.roomName : null;
  const applied = await deps.db.transaction().execute(async (trx) => {
    const fresh = await recordWebhookEvent(trx, {
      id: event.id,
      event: event.event,
      roomName: event.roomName,
      createdAt: event.createdAt,
    });
    if (!fresh || !streamId || !(await findStream(trx, streamId))) return fresh;
    // the recorder (egress) subscribes like a viewer but is not one: not counted, not a session
    const p = event.participant?.recorder ? undefined : event.participant;
    const stay = p && {
      participantSid: p.sid,
      streamId,
      identity: p.identity,
      at: event.createdAt,
    };
    switch (event.event) {
      case 'participant_joined':
        if (stay) await insertParticipantJoin(trx, stay);
        break;
      case 'participant_left':
      case 'participant_connection_aborted':
        if (stay) await markParticipantLeft(trx, stay);
        break;
      case 'room_finished':
        await closeOpenParticipantSessions(trx, streamId, event.createdAt);
        break;
      default:
        // track and egress events: nothing to record yet
        break;
    }
    return true;
  });
  if (applied && streamId) {
    await guardStage(deps, event).catch((err: unknown) =>
      deps.logger.error({ err, streamId, event: event.event }, 'stage guard failed'),
    );
  }
  return { applied, event: event.event };
}
