import type { Database } from '../database';

// What the replay shows beside the recording (issue 10): the offers as they were pinned, and
// the comments, each at the time it happened.

/** Records a pin (or an unpin, `offerId` null) at the database's now. */
export async function insertPin(
  db: Database,
  streamId: string,
  offerId: string | null,
): Promise<void> {
  await db.insertInto('stream_pins').values({ stream_id: streamId, offer_id: offerId }).execute();
}

/** The stream's pins and unpins, oldest first. */
export async function listPins(
  db: Database,
  streamId: string,
): Promise<{ offerId: string | null; at: Date }[]> {
  const rows = await db
    .selectFrom('stream_pins')
    .select(['offer_id', 'pinned_at'])
    .where('stream_id', '=', streamId)
    .orderBy('pinned_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ offerId: r.offer_id, at: r.pinned_at }));
}

/** The stream's visible comments, oldest first, at most `limit`. */
export async function listStreamComments(db: Database, streamId: string, limit: number) {
  return db
    .selectFrom('comments')
    .select(['id', 'author_name', 'author_role', 'text', 'created_at'])
    .where('stream_id', '=', streamId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}
