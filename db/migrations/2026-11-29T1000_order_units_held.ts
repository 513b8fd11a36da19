import { sql, type Kysely } from 'kysely';

// An order under a per-buyer limit in one statement, not a transaction of three round trips
// (issue 13): the order's statement calls this function for the units the buyer already
// holds on the offer. It first takes the buyer's advisory locks (the account's, then the
// phone's: the keys of buyerLockKeys in order.repository.ts), held until the statement's
// transaction ends, then counts. Each statement of a VOLATILE PL/pgSQL function reads with a
// fresh snapshot, so the count sees every order of this buyer committed before the locks
// were granted, which a count in the calling statement itself (its snapshot taken before
// it waited) would not.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function order_units_held(p_offer uuid, p_buyer uuid, p_phone text)
    returns integer language plpgsql volatile as $$
    declare
      held integer;
    begin
      perform pg_advisory_xact_lock(hashtextextended('order:' || p_offer || ':' || p_buyer, 0));
      perform pg_advisory_xact_lock(
        hashtextextended('order:' || p_offer || ':phone:' || p_phone, 0));
      select coalesce(sum(quantity), 0)::integer into held from orders
        where offer_id = p_offer and (buyer_id = p_buyer or phone = p_phone)
          and state not in ('cancelled', 'refunded');
      return held;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function order_units_held(uuid, uuid, text)`.execute(db);
}
