import { sql } from 'kysely';
import type { Database } from '../database';
import type { CommentRole, CommentRow } from '../realtime.schema';

export interface StreamForRealtime {
  id: string;
  shopId: string;
  ownerId: string;
  status: 'scheduled' | 'live' | 'ended';
  visibility: 'public' | 'members';
}

export async function findStreamForRealtime(
  db: Database,
  streamId: string,
): Promise<StreamForRealtime | undefined> {
  const row = await db
    .selectFrom('streams')
    .innerJoin('shops', 'shops.id', 'streams.shop_id')
    .select([
      'streams.id',
      'streams.shop_id',
      'shops.owner_id',
      'streams.status',
      'streams.visibility',
    ])
    .where('streams.id', '=', streamId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      shopId: row.shop_id,
      ownerId: row.owner_id,
      status: row.status,
      visibility: row.visibility,
    }
  );
}

export async function insertComment(
  db: Database,
  comment: {
    streamId: string;
    userId: string;
    authorName: string;
    text: string;
    authorRole?: CommentRole | null;
  },
): Promise<CommentRow> {
  return db
    .insertInto('comments')
    .values({
      stream_id: comment.streamId,
      user_id: comment.userId,
      author_name: comment.authorName,
      text: comment.text,
      author_role: comment.authorRole ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The newest visible comments of a stream, returned oldest first. */
export async function listRecentComments(
  db: Database,
  streamId: string,
  limit: number,
): Promise<CommentRow[]> {
  const rows = await db
    .selectFrom('comments')
    .selectAll()
    .where('stream_id', '=', streamId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** Marks a comment deleted; undefined when it is not in that stream or already deleted. */
export async function softDeleteComment(
  db: Database,
  opts: { id: string; streamId: string; deletedBy: string },
): Promise<CommentRow | undefined> {
  return db
    .updateTable('comments')
    .set({ deleted_at: sql<Date>`now()`, deleted_by: opts.deletedBy })
    .where('id', '=', opts.id)
    .where('stream_id', '=', opts.streamId)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function findMuteUntil(
  db: Database,
  streamId: string,
  userId: string,
): Promise<Date | undefined> {
  const row = await db
    .selectFrom('stream_mutes')
    .select('muted_until')
    .where('stream_id', '=', streamId)
    .where('user_id', '=', userId)
    .where('muted_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.muted_until;
}

export async function upsertMute(
  db: Database,
  mute: { streamId: string; userId: string; until: Date; mutedBy: string },
): Promise<void> {
  await db
    .insertInto('stream_mutes')
    .values({
      stream_id: mute.streamId,
      user_id: mute.userId,
      muted_until: mute.until,
      muted_by: mute.mutedBy,
    })
    .onConflict((oc) =>
      oc.columns(['stream_id', 'user_id']).doUpdateSet({
        muted_until: mute.until,
        muted_by: mute.mutedBy,
      }),
    )
    .execute();
}

export async function listBlockedWords(db: Database, shopId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('shop_blocked_words')
    .select('word')
    .where('shop_id', '=', shopId)
    .orderBy('word')
    .execute();
  return rows.map((r) => r.word);
}

export async function replaceBlockedWords(
  db: Database,
  shopId: string,
  words: string[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('shop_blocked_words').where('shop_id', '=', shopId).execute();
    if (words.length) {
      await trx
        .insertInto('shop_blocked_words')
        .values(words.map((word) => ({ shop_id: shopId, word })))
        .execute();
    }
  });
}

export async function addLikes(db: Database, streamId: string, count: number): Promise<number> {
  const row = await db
    .updateTable('streams')
    .set({ like_count: sql<number>`like_count + ${count}` })
    .where('id', '=', streamId)
    .returning('like_count')
    .executeTakeFirst();
  return row?.like_count ?? 0;
}

export async function findLikeCount(db: Database, streamId: string): Promise<number> {
  const row = await db
    .selectFrom('streams')
    .select('like_count')
    .where('id', '=', streamId)
    .executeTakeFirst();
  return row?.like_count ?? 0;
}
