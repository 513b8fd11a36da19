import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import type { DB } from '../schema';
import type { NotificationKind, NotificationRow } from '../notifications.schema';

// Notices (issue 14.6): written in the transaction of the change they tell of, one per event
// and recipient (dedupe_key), read by the bell, and mailed by the delivery sweep.

export interface NewNotice {
  user_id: string;
  kind: NotificationKind;
  stream_id: string | null;
  data: Record<string, unknown>;
  /** the event and the recipient, e.g. `live:<streamId>:<userId>` */
  dedupe_key: string;
}

export type NoticeWithLocale = NotificationRow & { locale: string | null };

/**
 * Writes the notices that are new (a repeated event writes none); email is pending for
 * recipients with an address when mail is on. Returns the rows written.
 */
export async function insertNotices(
  db: Database | Transaction<DB>,
  notices: readonly NewNotice[],
  emailOn: boolean,
): Promise<NoticeWithLocale[]> {
  if (notices.length === 0) return [];
  const result = await sql<NoticeWithLocale>`
    with written as (
      insert into notifications (user_id, kind, stream_id, data, dedupe_key, email_state)
      select v.user_id, v.kind, v.stream_id, v.data, v.dedupe_key,
        case when ${emailOn} and u.email is not null then 'pending' else 'none' end
      from (values ${sql.join(
        notices.map(
          (n) =>
            sql`(${n.user_id}::uuid, ${n.kind}::text, ${n.stream_id}::uuid,
              ${JSON.stringify(n.data)}::jsonb, ${n.dedupe_key}::text)`,
        ),
      )}) as v(user_id, kind, stream_id, data, dedupe_key)
      join users u on u.id = v.user_id
      on conflict (dedupe_key) do nothing
      returning *
    )
    select written.*, u.locale from written join users u on u.id = written.user_id
  `.execute(db);
  return result.rows;
}

export async function listNotices(
  db: Database,
  userId: string,
  limit = 50,
): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function unreadCount(db: Database, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markNoticesRead(
  db: Database,
  userId: string,
  ids: readonly string[] | undefined,
): Promise<void> {
  let query = db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids) query = query.where('id', 'in', [...ids]);
  await query.execute();
}

/**
 * Notices whose email is due, locked until the transaction ends (skip locked: two processes
 * never mail the same one), with the recipient's address and language.
 */
export async function claimPendingEmails(
  trx: Transaction<DB>,
  limit: number,
): Promise<(NoticeWithLocale & { email: string })[]> {
  const result = await sql<NoticeWithLocale & { email: string }>`
    select n.*, u.email, u.locale from notifications n join users u on u.id = n.user_id
    where n.email_state = 'pending' and u.email is not null
    order by n.created_at
    limit ${limit}
    for update of n skip locked
  `.execute(trx);
  return result.rows;
}

export async function recordEmail(
  trx: Transaction<DB>,
  id: string,
  outcome: 'sent' | 'retry' | 'failed',
): Promise<void> {
  await trx
    .updateTable('notifications')
    .set((eb) => ({
      email_state: outcome === 'retry' ? 'pending' : outcome,
      email_attempts: eb('email_attempts', '+', 1),
      ...(outcome === 'sent' ? { emailed_at: new Date() } : {}),
    }))
    .where('id', '=', id)
    .execute();
}

// 提醒我: residents who asked to hear when a scheduled stream goes live.

export async function setReminder(
  db: Database,
  streamId: string,
  userId: string,
  on: boolean,
): Promise<void> {
  if (on) {
    await db
      .insertInto('stream_reminders')
      .values({ stream_id: streamId, user_id: userId })
      .onConflict((oc) => oc.columns(['stream_id', 'user_id']).doNothing())
      .execute();
  } else {
    await db
      .deleteFrom('stream_reminders')
      .where('stream_id', '=', streamId)
      .where('user_id', '=', userId)
      .execute();
  }
}

export async function hasReminder(db: Database, streamId: string, userId: string) {
  const row = await db
    .selectFrom('stream_reminders')
    .select('user_id')
    .where('stream_id', '=', streamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Who hears that a stream went live: those who asked to be reminded, and the shop's members. */
export async function goLiveAudience(
  db: Database | Transaction<DB>,
  streamId: string,
): Promise<string[]> {
  const rows = await sql<{ user_id: string }>`
    select user_id from stream_reminders where stream_id = ${streamId}
    union
    select m.user_id from shop_members m join streams s on s.shop_id = m.shop_id
    where s.id = ${streamId}
  `.execute(db);
  return rows.rows.map((r) => r.user_id);
}
