import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import type { DB } from '../schema';

export interface OutboxEvent {
  stream_id: string;
  event: string;
  payload: unknown;
}

export interface OutboxRow extends OutboxEvent {
  id: number;
}

/** Writes events in the transaction of the change they announce. */
export async function insertOutbox(
  trx: Transaction<DB>,
  events: OutboxEvent[],
): Promise<OutboxRow[]> {
  if (events.length === 0) return [];
  const rows = await trx
    .insertInto('commerce_outbox')
    .values(
      events.map((e) => ({
        stream_id: e.stream_id,
        event: e.event,
        payload: JSON.stringify(e.payload),
      })),
    )
    .returning(['id', 'stream_id', 'event', 'payload'])
    .execute();
  return rows;
}

export async function deleteOutbox(db: Database, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('commerce_outbox').where('id', 'in', ids).execute();
}

/**
 * Claims events older than `olderThanMs` that nobody published (their process died between
 * commit and publish), in id order; skip-locked so two processes never claim the same row.
 * The caller publishes them and then deletes them in the same transaction.
 */
export async function claimStaleOutbox(
  trx: Transaction<DB>,
  olderThanMs: number,
  limit: number,
): Promise<OutboxRow[]> {
  return trx
    .selectFrom('commerce_outbox')
    .select(['id', 'stream_id', 'event', 'payload'])
    .where('created_at', '<=', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function deleteOutboxIn(trx: Transaction<DB>, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('commerce_outbox').where('id', 'in', ids).execute();
}
