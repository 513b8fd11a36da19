import { sql } from 'kysely';
import type { Database } from '../database';

/** Sessions expired more than `days` ago: the cookie no longer signs anyone in. */
export async function deleteExpiredSessions(db: Database, days: number): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('expires_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Webhook event ids kept to apply each event once, older than `days`. */
export async function deleteOldWebhookEvents(db: Database, days: number): Promise<number> {
  const result = await db
    .deleteFrom('livekit_webhook_events')
    .where('received_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Idempotency records (an order's key and request hash) older than `days`: the order stays,
 * only the key is forgotten, so a client retrying after that long places a new order.
 */
export async function forgetOldIdempotencyKeys(db: Database, days: number): Promise<number> {
  const result = await db
    .updateTable('orders')
    .set({ idempotency_key: null, request_hash: null })
    .where('idempotency_key', 'is not', null)
    .where('created_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
