import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import type { DB, NewStreamRow, ShopRow, StreamRow, StreamVisibility } from '../schema';
import type { ParticipantSessionRow, Segment, StreamCohostRow } from '../media.schema';

export async function insertStream(db: Database, stream: NewStreamRow): Promise<StreamRow> {
  return db.insertInto('streams').values(stream).returningAll().executeTakeFirstOrThrow();
}

export async function findStream(db: Database, streamId: string): Promise<StreamRow | undefined> {
  return db.selectFrom('streams').selectAll().where('id', '=', streamId).executeTakeFirst();
}

export async function findShopById(db: Database, shopId: string): Promise<ShopRow | undefined> {
  return db.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirst();
}

export async function listShopsOfOwner(db: Database, ownerId: string): Promise<ShopRow[]> {
  return db
    .selectFrom('shops')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('created_at')
    .execute();
}

/** What an owner may change about a stream; absent fields stay as they are. */
export interface StreamEdit {
  title?: string;
  scheduled_at?: Date | null;
  cover_url?: string | null;
  visibility?: StreamVisibility;
  leaderboard_hidden?: boolean;
  sale_ends_at?: Date;
}

/**
 * A stream's row to update conditionally: only while the stream is in one of `from`, so a
 * change racing another (an edit and going live, two ends) lands on the state it was
 * checked in or not at all. The update answers the row as it is now, or undefined.
 */
function streamIn(db: Database, streamId: string, from: readonly StreamRow['status'][]) {
  return db
    .updateTable('streams')
    .where('id', '=', streamId)
    .where('status', 'in', [...from]);
}

/** A co-host's row to update only while it is in one of `from` (see streamIn). */
function cohostIn(
  db: Database,
  streamId: string,
  userId: string,
  from: readonly StreamCohostRow['status'][],
) {
  return db
    .updateTable('stream_cohosts')
    .where('stream_id', '=', streamId)
    .where('user_id', '=', userId)
    .where('status', 'in', [...from]);
}

/**
 * Edits a stream only while it is in one of `inStatus` (a conditional update, so an edit
 * racing with going live or ending cannot land on the wrong state); undefined when it was not.
 */
export async function updateStream(
  db: Database,
  streamId: string,
  edit: StreamEdit,
  inStatus: readonly StreamRow['status'][],
): Promise<StreamRow | undefined> {
  return streamIn(db, streamId, inStatus).set(edit).returningAll().executeTakeFirst();
}

/** scheduled → live, once; undefined when the stream was not scheduled. */
export async function markStreamLive(
  db: Database,
  streamId: string,
  at: Date,
): Promise<StreamRow | undefined> {
  return streamIn(db, streamId, ['scheduled'])
    .set({ status: 'live', started_at: at })
    .returningAll()
    .executeTakeFirst();
}

/** Every stream on air now, oldest start first. */
export async function listLiveStreams(db: Database): Promise<StreamRow[]> {
  return db
    .selectFrom('streams')
    .selectAll()
    .where('status', '=', 'live')
    .orderBy('started_at')
    .execute();
}

/** scheduled or live → ended, once; undefined when it had already ended. */
export async function markStreamEnded(
  db: Database,
  streamId: string,
  at: Date,
  saleAfterLiveMs: number,
): Promise<StreamRow | undefined> {
  return streamIn(db, streamId, ['scheduled', 'live'])
    .set({
      status: 'ended',
      ended_at: at,
      // the sale goes on after the live: the owner's end, else a day later, but never past
      // the stream's latest group deadline (least() passes over a null)
      sale_ends_at: sql<Date>`coalesce(sale_ends_at, least(
        ${at}::timestamptz + make_interval(secs => ${saleAfterLiveMs / 1000}),
        (select max(group_deadline) from offers
          where offers.stream_id = streams.id and group_min is not null)))`,
    })
    .returningAll()
    .executeTakeFirst();
}

/**
 * ended → live again, only while it ended after `endedAfter`: ended_at is cleared (the
 * stream is on air) and started_at kept (it is the same broadcast). Conditional, so a resume
 * racing another resume, or the window closing, changes nothing.
 */
export async function markStreamResumed(
  db: Database,
  streamId: string,
  endedAfter: Date,
): Promise<StreamRow | undefined> {
  return streamIn(db, streamId, ['ended'])
    .set({ status: 'live', ended_at: null })
    .where('started_at', 'is not', null)
    .where('ended_at', '>', endedAfter)
    .returningAll()
    .executeTakeFirst();
}

export async function insertSegment(
  db: Database,
  row: { streamId: string; segment: Segment | null; setBy: string; at: Date },
): Promise<void> {
  await db
    .insertInto('stream_segments')
    .values({
      stream_id: row.streamId,
      segment: row.segment,
      set_by: row.setBy,
      started_at: row.at,
    })
    .execute();
}

/** The label set last, with its time; null when none was ever set. */
export async function currentSegment(
  db: Database,
  streamId: string,
): Promise<{ segment: Segment | null; at: Date } | null> {
  const row = await db
    .selectFrom('stream_segments')
    .select(['segment', 'started_at'])
    .where('stream_id', '=', streamId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { segment: row.segment, at: row.started_at } : null;
}

/** Every label set on the stream, in order (the studio's history, the analytics' timeline). */
export async function listSegments(
  db: Database,
  streamId: string,
): Promise<{ segment: Segment | null; at: Date }[]> {
  const rows = await db
    .selectFrom('stream_segments')
    .select(['segment', 'started_at'])
    .where('stream_id', '=', streamId)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ segment: r.segment, at: r.started_at }));
}

/** Invites (or re-invites after a take-back) a user on stage. */
export async function upsertCohostInvite(
  db: Database,
  row: { streamId: string; userId: string; invitedBy: string },
): Promise<StreamCohostRow> {
  return db
    .insertInto('stream_cohosts')
    .values({ stream_id: row.streamId, user_id: row.userId, invited_by: row.invitedBy })
    .onConflict((oc) =>
      oc.columns(['stream_id', 'user_id']).doUpdateSet({
        status: 'invited',
        invited_by: row.invitedBy,
        invited_at: new Date(),
        accepted_at: null,
        revoked_at: null,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findCohost(
  db: Database,
  streamId: string,
  userId: string,
): Promise<StreamCohostRow | undefined> {
  return db
    .selectFrom('stream_cohosts')
    .selectAll()
    .where('stream_id', '=', streamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** invited → accepted; undefined when there was no open invitation. */
export async function acceptCohostInvite(
  db: Database,
  streamId: string,
  userId: string,
  at: Date,
): Promise<StreamCohostRow | undefined> {
  return cohostIn(db, streamId, userId, ['invited'])
    .set({ status: 'accepted', accepted_at: at })
    .returningAll()
    .executeTakeFirst();
}

/** invited or accepted → revoked; undefined when the user was not on (or invited to) stage. */
export async function revokeCohost(
  db: Database,
  streamId: string,
  userId: string,
  at: Date,
): Promise<StreamCohostRow | undefined> {
  return cohostIn(db, streamId, userId, ['invited', 'accepted'])
    .set({ status: 'revoked', revoked_at: at })
    .returningAll()
    .executeTakeFirst();
}

export async function insertRemovedParticipant(
  db: Database,
  row: { streamId: string; userId: string; removedBy: string },
): Promise<void> {
  await db
    .insertInto('stream_removed_participants')
    .values({ stream_id: row.streamId, user_id: row.userId, removed_by: row.removedBy })
    .onConflict((oc) => oc.columns(['stream_id', 'user_id']).doNothing())
    .execute();
}

export async function isRemovedParticipant(
  db: Database,
  streamId: string,
  userId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('stream_removed_participants')
    .select('user_id')
    .where('stream_id', '=', streamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function userExists(db: Database, userId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a webhook event id; false when it was recorded before (a replay). Takes a
 * transaction so the event's effects commit together with its id, or not at all.
 */
export async function recordWebhookEvent(
  trx: Transaction<DB>,
  row: { id: string; event: string; roomName: string | null; createdAt: Date },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('livekit_webhook_events')
    .values({ id: row.id, event: row.event, room_name: row.roomName, created_at: row.createdAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** A participant's stay in a stream's room, as a webhook tells its start or end. */
export interface ParticipantStay {
  participantSid: string;
  streamId: string;
  identity: string;
  at: Date;
}

export async function insertParticipantJoin(db: Database, row: ParticipantStay): Promise<void> {
  await db
    .insertInto('participant_sessions')
    .values({
      participant_sid: row.participantSid,
      stream_id: row.streamId,
      identity: row.identity,
      joined_at: row.at,
    })
    .onConflict((oc) => oc.column('participant_sid').doNothing())
    .execute();
}

/** Closes a stay; a leave that arrives without its join opens and closes it at once. */
export async function markParticipantLeft(db: Database, row: ParticipantStay): Promise<void> {
  await db
    .insertInto('participant_sessions')
    .values({
      participant_sid: row.participantSid,
      stream_id: row.streamId,
      identity: row.identity,
      joined_at: row.at,
      left_at: row.at,
    })
    .onConflict((oc) =>
      oc.column('participant_sid').doUpdateSet((eb) => ({
        left_at: eb.fn.coalesce('participant_sessions.left_at', eb.val(row.at)),
      })),
    )
    .execute();
}

/** Closes every open stay of a stream, e.g. when it ends. */
export async function closeOpenParticipantSessions(
  db: Database,
  streamId: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('participant_sessions')
    .set({ left_at: at })
    .where('stream_id', '=', streamId)
    .where('left_at', 'is', null)
    .where('joined_at', '<=', at)
    .execute();
}

/** People in the room now, not counting the given hosts. */
export async function countCurrentViewers(
  db: Database,
  streamId: string,
  excludeIdentities: string[],
): Promise<number> {
  let query = db
    .selectFrom('participant_sessions')
    .select((eb) => eb.fn.count<number>('identity').distinct().as('count'))
    .where('stream_id', '=', streamId)
    .where('left_at', 'is', null);
  if (excludeIdentities.length) query = query.where('identity', 'not in', excludeIdentities);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listParticipantSessions(
  db: Database,
  streamId: string,
): Promise<ParticipantSessionRow[]> {
  return db
    .selectFrom('participant_sessions')
    .selectAll()
    .where('stream_id', '=', streamId)
    .orderBy('joined_at')
    .execute();
}

/** The latest group deadline among the stream's group offers (a sale may not outlast it). */
export async function latestGroupDeadline(db: Database, streamId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('offers')
    .select((eb) => eb.fn.max('group_deadline').as('latest'))
    .where('stream_id', '=', streamId)
    .where('group_min', 'is not', null)
    .executeTakeFirst();
  return row?.latest ? new Date(row.latest) : null;
}
