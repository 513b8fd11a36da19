import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import type { DB } from '../schema';
import type { WaitlistEntryRow } from '../waitlist.schema';

// Waitlists for sold-out offers (issue 17.4). Units reserved for the line are held in
// offers.reserved, apart from `remaining`: the order statement and the stock gate read
// `remaining` alone, so they never sell a reserved unit.

/** An entry with its place in line (1: next) while it waits. */
export type WaitlistEntryWithPosition = WaitlistEntryRow & { position: number | null };

const positionOf = sql<number | null>`case when w.state = 'waiting' then (
    select count(*)::int from waitlist_entries q
    where q.offer_id = w.offer_id and q.state = 'waiting' and q.seq <= w.seq
  ) end`;

/**
 * Puts the user in the offer's line, under a share lock on the offer's row so that units
 * coming back (whose update waits for the lock) are handed out after this entry is in line,
 * never in between. 'in_stock' when the offer still has units to order: no line for them.
 * Joining twice answers the place already held.
 */
export async function joinWaitlist(
  trx: Transaction<DB>,
  input: { offerId: string; streamId: string; userId: string },
): Promise<WaitlistEntryRow | 'in_stock' | 'no_offer'> {
  const offer = await trx
    .selectFrom('offers')
    .select(['remaining'])
    .where('id', '=', input.offerId)
    .where('stream_id', '=', input.streamId)
    .forShare()
    .executeTakeFirst();
  if (!offer) return 'no_offer';
  const existing = await activeEntry(trx, input.offerId, input.userId);
  if (existing) return existing;
  if (offer.remaining > 0) return 'in_stock';
  const row = await trx
    .insertInto('waitlist_entries')
    .values({ offer_id: input.offerId, stream_id: input.streamId, user_id: input.userId })
    .onConflict((oc) =>
      oc.columns(['offer_id', 'user_id']).where('state', 'in', ['waiting', 'offered']).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  // a concurrent join of the same user won: theirs is the place
  return row ?? (await activeEntry(trx, input.offerId, input.userId)) ?? 'no_offer';
}

function activeEntry(
  db: Database | Transaction<DB>,
  offerId: string,
  userId: string,
): Promise<WaitlistEntryRow | undefined> {
  return db
    .selectFrom('waitlist_entries')
    .selectAll()
    .where('offer_id', '=', offerId)
    .where('user_id', '=', userId)
    .where('state', 'in', ['waiting', 'offered'])
    .executeTakeFirst();
}

/** The user's entries in a stream's lines: the active ones, and the last of each offer. */
export async function listUserEntries(
  db: Database,
  streamId: string,
  userId: string,
): Promise<WaitlistEntryWithPosition[]> {
  return db
    .selectFrom('waitlist_entries as w')
    .selectAll('w')
    .select(positionOf.as('position'))
    .distinctOn('w.offer_id')
    .where('w.stream_id', '=', streamId)
    .where('w.user_id', '=', userId)
    .orderBy('w.offer_id')
    .orderBy('w.seq', 'desc')
    .execute();
}

/** The unit reserved for the user on the offer, while the reservation holds. */
export async function findOfferedEntry(
  db: Database,
  offerId: string,
  userId: string,
): Promise<WaitlistEntryRow | undefined> {
  return db
    .selectFrom('waitlist_entries')
    .selectAll()
    .where('offer_id', '=', offerId)
    .where('user_id', '=', userId)
    .where('state', '=', 'offered')
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

export interface Reserved {
  /** the offer's stock after the reservations */
  remaining: number;
  quantity: number;
  group_min: number | null;
  group_reached_at: Date | null;
  product_name: string;
  /** the entries that now have a unit reserved */
  offered: WaitlistEntryRow[];
}

/**
 * Hands units the offer has back (in `remaining`) to the first in its line, one each, for
 * `holdSeconds`: they move from `remaining` to `reserved`. Only an open offer does this.
 * Runs inside the transaction that returned the units, whose update already holds the
 * offer's row lock, so two returns never hand out the same unit.
 */
export async function reserveForWaitlist(
  trx: Transaction<DB>,
  offerId: string,
  holdSeconds: number,
): Promise<Reserved> {
  const result = await sql<{
    remaining: number;
    quantity: number;
    group_min: number | null;
    group_reached_at: Date | null;
    product_name: string;
    offered: WaitlistEntryRow[] | null;
  }>`
    with o as (
      select id, remaining from offers
      where id = ${offerId} and closed_at is null and group_failed_at is null
      for update
    ), picked as (
      select w.id from waitlist_entries w
      where w.offer_id = ${offerId} and w.state = 'waiting'
      order by w.seq
      limit coalesce((select greatest(remaining, 0) from o), 0)
      for update skip locked
    ), marked as (
      update waitlist_entries set state = 'offered', offered_at = now(),
        expires_at = now() + make_interval(secs => ${holdSeconds})
      where id in (select id from picked)
      returning *
    ), moved as (
      update offers set remaining = remaining - (select count(*) from marked)::int,
        reserved = reserved + (select count(*) from marked)::int
      where id = ${offerId}
      returning remaining, quantity, group_min, group_reached_at, product_id
    )
    select moved.remaining, moved.quantity, moved.group_min, moved.group_reached_at,
      p.name as product_name,
      (select json_agg(marked order by marked.seq) from marked) as offered
    from moved join products p on p.id = moved.product_id
  `.execute(trx);
  const row = result.rows[0];
  if (!row) throw new Error(`offer ${offerId} vanished while units came back`);
  return {
    remaining: row.remaining,
    quantity: row.quantity,
    group_min: row.group_min,
    group_reached_at: row.group_reached_at,
    product_name: row.product_name,
    offered: (row.offered ?? []).map(entryFromJson),
  };
}

function entryFromJson(e: WaitlistEntryRow): WaitlistEntryRow {
  return {
    ...e,
    seq: String(e.seq),
    offered_at: e.offered_at ? new Date(e.offered_at) : null,
    expires_at: e.expires_at ? new Date(e.expires_at) : null,
    created_at: new Date(e.created_at),
  };
}

/**
 * Ends an entry that holds a unit (its time ran out, or its resident left the line) and
 * puts the unit back in `remaining`, where reserveForWaitlist hands it to the next in line.
 * Null when the entry no longer holds one (claimed, or ended by another call already).
 */
export async function releaseReservation(
  trx: Transaction<DB>,
  entryId: string,
  to: 'expired' | 'left',
  opts: { onlyIfDue: boolean; userId?: string },
): Promise<{ offerId: string; streamId: string } | null> {
  const result = await sql<{ offer_id: string; stream_id: string }>`
    with gone as (
      update waitlist_entries set state = ${to}
      where id = ${entryId} and state = 'offered'
        ${opts.onlyIfDue ? sql`and expires_at <= now()` : sql``}
        ${opts.userId ? sql`and user_id = ${opts.userId}` : sql``}
      returning offer_id, stream_id
    ), back as (
      update offers set reserved = reserved - 1, remaining = remaining + 1
      where id = (select offer_id from gone)
      returning id
    )
    select gone.offer_id, gone.stream_id from gone, back
  `.execute(trx);
  const row = result.rows[0];
  return row ? { offerId: row.offer_id, streamId: row.stream_id } : null;
}

/** Takes a waiting resident out of the line. True when they were in it. */
export async function leaveLine(
  trx: Transaction<DB>,
  offerId: string,
  userId: string,
): Promise<boolean> {
  const left = await trx
    .updateTable('waitlist_entries')
    .set({ state: 'left' })
    .where('offer_id', '=', offerId)
    .where('user_id', '=', userId)
    .where('state', '=', 'waiting')
    .executeTakeFirst();
  return left.numUpdatedRows > 0n;
}

/** Reservations whose time has run out (the sweep's safety net behind the expiry jobs). */
export async function listDueReservations(db: Database, limit = 100): Promise<string[]> {
  const rows = await db
    .selectFrom('waitlist_entries')
    .select('id')
    .where('state', '=', 'offered')
    .where('expires_at', '<=', sql<Date>`now()`)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
